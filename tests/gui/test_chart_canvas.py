"""The chart canvas renders a picture once, when it can be seen, at its final size."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget


def _counted(canvas) -> list[int]:
    """Count the renders of ``canvas``'s figure (the expensive matplotlib part)."""
    renders = [0]
    figure = canvas.figure
    draw = figure.draw

    def counting(renderer):
        renders[0] += 1
        return draw(renderer)

    figure.draw = counting
    return renders


def _bars(ax, n=3):
    ax.barh(range(n), range(1, n + 1))
    ax.set_yticks(range(n), [f"row {k}" for k in range(n)])


def test_hidden_chart_renders_only_when_shown(qtbot):
    from culturescope.gui.charts import ChartCanvas

    holder = QWidget()
    qtbot.addWidget(holder)
    chart = ChartCanvas(holder, width=5, height=2)
    QVBoxLayout(holder).addWidget(chart)
    renders = _counted(chart)
    chart.draw_with(_bars)
    chart.draw_with(_bars, 5)  # a second request before anything is seen
    QApplication.processEvents()
    assert renders[0] == 0  # nobody sees it: nothing rendered
    assert [t.get_text() for t in chart.axes.get_yticklabels()][-1] == "row 4"  # built
    holder.resize(600, 300)
    holder.show()
    qtbot.waitUntil(lambda: renders[0] >= 1)
    QApplication.processEvents()
    assert renders[0] == 1  # once, at the size it is shown at (not before the resize too)
    width = chart.canvas.width() * chart.canvas.device_pixel_ratio
    assert chart.figure.get_size_inches()[0] * chart.figure.dpi == width
    # visible: two quick redraws and a resize are one render
    chart.draw_with(_bars, 2)
    chart.draw_with(_bars, 4)
    holder.resize(700, 320)
    qtbot.waitUntil(lambda: renders[0] >= 2)
    QApplication.processEvents()
    assert renders[0] == 2


def test_grab_of_a_hidden_chart_is_drawn(qtbot):
    """grab() paints a hidden widget without showing it: the chart renders then."""
    from matplotlib.patches import Rectangle
    from PySide6.QtGui import QColor

    from culturescope.gui.charts import ChartCanvas

    chart = ChartCanvas(width=4, height=2)
    qtbot.addWidget(chart)
    chart.resize(400, 200)
    renders = _counted(chart)

    def dark_block(ax):
        ax.axis("off")
        ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, color="#102030"))

    chart.draw_with(dark_block)
    image = chart.grab().toImage()
    assert renders[0] == 1
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert centre == QColor("#102030")


def test_a_chart_below_the_fold_renders_when_scrolled_into_view(qtbot):
    from PySide6.QtWidgets import QScrollArea

    from culturescope.gui.charts import ChartCanvas

    body = QWidget()
    layout = QVBoxLayout(body)
    top = ChartCanvas(width=5, height=3)
    below = ChartCanvas(width=5, height=3)
    for chart in (top, below):
        layout.addWidget(chart)
        chart.canvas.setMinimumHeight(400)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(body)
    qtbot.addWidget(area)
    area.resize(500, 300)
    counts = [_counted(top), _counted(below)]
    top.draw_with(_bars)
    below.draw_with(_bars, 4)
    area.show()
    qtbot.waitUntil(lambda: counts[0][0] == 1)
    QApplication.processEvents()
    assert counts[1][0] == 0  # not on screen: not rendered
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: counts[1][0] == 1)
    QApplication.processEvents()
    assert [c[0] for c in counts] == [1, 1]  # scrolling back only copies the picture
    area.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    assert [c[0] for c in counts] == [1, 1]
