"""Every chart also as a table: the same numbers for the keyboard and screen readers.

:class:`ChartPanel` holds a chart and its table with a "Show as table" switch (a checkable
button, so Tab reaches it and Space toggles it). The table builders return plain rows
from a score result; hidden groups keep their reason and never show a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "–" if x is None else format(x, spec)


@dataclass
class TableData:
    """Headers, cell texts and, per cell, what a screen reader says (the full story)."""

    headers: list[str]
    rows: list[list[str]]
    spoken: list[list[str]] = field(default_factory=list)


def pillar_table(result) -> TableData:
    """One row per pillar: mean, 95% CI, percent positive, band, n."""
    dims = [d for d in result.dimensions if d.pillar] or list(result.dimensions)[:3]
    rows, spoken = [], []
    for d in dims:
        ci = f"{_fmt(d.ci95[0])}–{_fmt(d.ci95[1])}" if d.ci95 else "–"
        row = [
            d.title,
            _fmt(d.mean),
            ci,
            f"{_fmt(d.percent_positive, '.0f')}%",
            d.band_label or "–",
            str(d.n),
        ]
        rows.append(row)
        spoken.append(
            [
                d.title,
                f"{d.title}: mean {row[1]}",
                f"{d.title}: 95% confidence interval {ci}",
                f"{d.title}: {row[3]} {d.positive_label}",
                f"{d.title}: band {row[4]}",
                f"{d.title}: {d.n} people",
            ]
        )
    return TableData(["Pillar", "Mean", "95% CI", "% positive", "Band", "n"], rows, spoken)


def likert_table(items) -> TableData:
    """One row per item: percent negative, neutral and positive, mean and n."""
    rows, spoken = [], []
    for i in items:
        row = [
            i.text,
            f"{_fmt(i.percent_negative, '.0f')}%",
            f"{_fmt(i.percent_neutral, '.0f')}%",
            f"{_fmt(i.percent_positive, '.0f')}%",
            _fmt(i.mean),
            str(i.n),
        ]
        rows.append(row)
        short = i.id
        spoken.append(
            [
                i.text,
                f"{short}: {row[1]} negative",
                f"{short}: {row[2]} neutral",
                f"{short}: {row[3]} positive",
                f"{short}: mean {row[4]}",
                f"{short}: {i.n} answers",
            ]
        )
    return TableData(["Item", "Negative", "Neutral", "Positive", "Mean", "n"], rows, spoken)


def heatmap_table(result, dims: list[str]) -> TableData:
    """Groups × dimensions: the mean in each cell; n, mean and rwg(j) in its spoken text.

    A hidden group shows "Insufficient responses" with its reason, never a number.
    """
    titles = [result.instrument.dimension_by_id[d].title for d in dims]
    rows, spoken = [], []
    for g in result.groups:
        if g.hidden:
            reason = g.reason or "hidden"
            rows.append([g.label, *(["hidden"] * len(dims))])
            text = f"{g.label}: Insufficient responses — {reason}"
            spoken.append([text] * (len(dims) + 1))
            continue
        row, said = [f"{g.label} (n={g.n})"], [f"{g.label}, {g.n} people"]
        for did, title in zip(dims, titles, strict=True):
            d = g.dimension(did)
            if d is None or d.mean is None:
                row.append("–")
                said.append(f"{g.label} · {title}: no score")
                continue
            row.append(_fmt(d.mean))
            said.append(
                f"{g.label} · {title}: n={d.n}, mean {_fmt(d.mean)}, rwg(j) {_fmt(d.rwg_j)}, "
                f"{_fmt(d.percent_positive, '.0f')}% {d.positive_label}"
            )
        rows.append(row)
        spoken.append(said)
    return TableData(["Group", *titles], rows, spoken)


def practice_table(rows, threshold: float) -> TableData:
    """The policy-vs-practice chart as a table: per practice area, what the register claims
    and the share of staff who see the practice."""
    out, spoken = [], []
    for r in rows:
        claimed = r.claimed_status or "no policy"
        seen = "–" if r.percent_positive is None else f"{r.percent_positive:.0f}%"
        strong = (r.claimed_status or "") in ("implemented", "audited")
        low = r.percent_positive is not None and r.percent_positive < threshold
        flag = "on paper only?" if strong and low else ("below" if low else "")
        out.append([r.title, claimed, seen, flag or "–"])
        said = f"{r.title}: register says {claimed}; {seen} see it in practice"
        if low:
            said += f", below {threshold:.0f}%"
        spoken.append([said] * 4)
    headers = ["Practice area", "Register says", "See it in practice", f"Below {threshold:.0f}%"]
    return TableData(headers, out, spoken)


def comparison_table(rows, labels: tuple[str, str]) -> TableData:
    """The leaders-vs-front-line chart as a table: both groups' means (with 95% intervals
    where known) per pillar or practice area; a hidden side says so, with no number."""
    out, spoken = [], []
    for r in rows:
        cells, said = [r.title], []
        means = []
        for label, side in zip(labels, (r.first, r.second), strict=True):
            if side is None or side.mean is None:
                cells.append("Insufficient responses")
                said.append(f"{r.title}, {label}: insufficient responses")
                means.append(None)
                continue
            ci = f" ({_fmt(side.ci95[0])}–{_fmt(side.ci95[1])})" if side.ci95 else ""
            cells.append(f"{_fmt(side.mean)}{ci}")
            said.append(f"{r.title}, {label}: mean {_fmt(side.mean)}{ci}")
            means.append(side.mean)
        diff = (
            "–" if None in means else f"{means[0] - means[1]:+.2f}"  # type: ignore[operator]
        )
        cells.append(diff)
        said.append(f"{r.title}: difference {diff}")
        out.append(cells)
        spoken.append([r.title, *said])
    return TableData(["Measure", labels[0], labels[1], "Difference"], out, spoken)


class ChartPanel(QWidget):
    """A chart with a "Show as table" switch; ``chart`` is the ChartCanvas."""

    def __init__(self, chart: QWidget, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addStretch(1)
        self.toggle = QPushButton(self.tr("Show as table"))
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(self.tr("Show {0} as a table").format(name))
        self.toggle.toggled.connect(self._switch)
        row.addWidget(self.toggle)
        layout.addLayout(row)
        self.table = QTableWidget()
        self.table.setAccessibleName(self.tr("{0}, as a table").format(name))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(chart)
        self.stack.addWidget(self.table)
        layout.addWidget(self.stack)
        self.data: TableData | None = None

    def _switch(self, as_table: bool) -> None:
        self.stack.setCurrentWidget(self.table if as_table else self.chart)
        self.toggle.setText(self.tr("Show as chart") if as_table else self.tr("Show as table"))
        if as_table:
            self.table.setMinimumHeight(min(self.chart.height(), 420))

    def set_data(self, data: TableData) -> None:
        """Fill the table (kept in step with the chart by the page)."""
        self.data = data
        t = self.table
        t.clear()
        t.setColumnCount(len(data.headers))
        t.setRowCount(len(data.rows))
        t.setHorizontalHeaderLabels(data.headers)
        for r, row in enumerate(data.rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                said = data.spoken[r][c] if data.spoken and r < len(data.spoken) else text
                item.setToolTip(said)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, said)
                if c > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                t.setItem(r, c, item)
        header = t.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(data.headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        t.resizeRowsToContents()
        if t.rowCount() and t.columnCount() > 1:
            t.setCurrentCell(0, 1)
