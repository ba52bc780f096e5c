"""A Qt widget around a matplotlib Figure that draws the report's chart functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget


def _chart_style():
    """The reports' matplotlib style, when the reports package is installed."""
    try:
        from culturescope.reports.charts import chart_style
    except ImportError:  # pragma: no cover - reports are part of every build
        from contextlib import nullcontext

        return nullcontext()
    return chart_style()


class ChartCanvas(QWidget):
    """Owns a Figure on a ``FigureCanvasQTAgg``; ``draw_with(fn, *args)`` draws a chart.

    The chart functions (``culturescope.reports.charts``) take an Axes and never touch
    pyplot, so the GUI and the reports draw exactly the same picture. matplotlib is
    imported on first construction, not when the app starts.
    """

    def __init__(self, parent: QWidget | None = None, *, width: float = 6, height: float = 3.5):
        super().__init__(parent)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(int(height * 60))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.axes = None

    def draw_with(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        """Clear the figure, make one Axes, call ``fn(ax, *args, **kwargs)`` and redraw.

        Drawn in the reports' chart style, so the app and the PDF look the same.
        """
        with _chart_style():
            self.figure.clear()
            self.axes = self.figure.add_subplot(111)
            result = fn(self.axes, *args, **kwargs)
            self.canvas.draw()
        return result

    def set_height(self, inches: float) -> None:
        """Resize the figure to ``inches`` tall (the width follows the widget)."""
        self.figure.set_figheight(inches)
        self.canvas.setMinimumHeight(int(inches * self.figure.dpi))

    def clear(self, message: str = "") -> None:
        """An empty chart, optionally with a centred message."""
        self.figure.clear()
        self.axes = None
        if message:
            self.figure.text(0.5, 0.5, message, ha="center", va="center", color="#667085")
        self.canvas.draw_idle()
