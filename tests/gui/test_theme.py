"""Themes: both are readable by the numbers, follow the system, and reach every widget."""

from __future__ import annotations

import re

import pytest

from culturescope.gui import theme


@pytest.fixture
def restore_theme(qapp):
    yield
    theme.apply("light", qapp)


@pytest.mark.parametrize("tokens", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_every_pairing_meets_its_contrast(tokens):
    assert theme.contrast_failures(tokens) == []


def test_contrast_is_computed_the_wcag_way():
    assert theme.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    broken = theme.Tokens(**{**theme.LIGHT.__dict__, "muted": "#AAAAAA"})
    assert any("muted on surface" in f for f in theme.contrast_failures(broken))


def test_readable_on_moves_away_from_the_background():
    for bg in (theme.LIGHT.surface, theme.DARK.surface):
        fixed = theme.readable_on("#E69F00", bg)
        assert theme.contrast(fixed, bg) >= 4.5


def test_stylesheet_takes_every_colour_from_the_tokens_and_no_fixed_font_size():
    from culturescope.paths import resources_dir

    template = (resources_dir() / "styles" / "app.qss").read_text(encoding="utf-8")
    body = re.sub(r"/\*.*?\*/", "", template, flags=re.S)
    assert not re.findall(r"#[0-9A-Fa-f]{3,6}\b", body), "a colour outside the tokens"
    assert not re.findall(r"\d+(\.\d+)?pt", body), "a fixed point size"
    for tokens in (theme.LIGHT, theme.DARK):
        small = theme.stylesheet(tokens, 9.0)
        large = theme.stylesheet(tokens, 16.0)
        assert "$" not in small
        assert tokens.text in small and tokens.surface in small
        title = re.compile(r"QLabel#pageTitle \{ font-size: ([\d.]+)pt")
        assert float(title.search(large).group(1)) > float(title.search(small).group(1))


def test_system_scheme_is_followed_unless_overridden(qapp, monkeypatch, restore_theme):
    monkeypatch.setattr(theme, "system_is_dark", lambda: True)
    assert theme.apply("system", qapp) is theme.DARK
    assert qapp.palette().color(qapp.palette().ColorRole.Window).name().upper() == "#12161F"
    assert theme.apply("light", qapp) is theme.LIGHT
    monkeypatch.setattr(theme, "system_is_dark", lambda: False)
    assert theme.apply("system", qapp) is theme.LIGHT
    assert theme.apply("dark", qapp) is theme.DARK


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_message_boxes_and_dialogs_are_readable(qtbot, qapp, choice, restore_theme):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QLabel, QMessageBox

    tokens = theme.apply(choice, qapp)
    box = QMessageBox(QMessageBox.Icon.Warning, "Title", "Something happened", parent=None)
    box.setInformativeText("What to do next")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    background = image.pixelColor(2, 2).name()
    assert theme.contrast(background, tokens.window) < 1.1  # the theme's background
    for label in box.findChildren(QLabel):
        if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
            continue
        text = label.palette().color(QPalette.ColorRole.WindowText).name()
        assert theme.contrast(text, background) >= 4.5, label.text()


def test_icons_follow_the_theme(qapp, restore_theme):
    from culturescope.gui.style import icon

    theme.apply("light", qapp)
    light = icon("dashboard").pixmap(24, 24).toImage()
    theme.apply("dark", qapp)
    dark = icon("dashboard").pixmap(24, 24).toImage()
    assert light != dark


def test_dark_charts_are_recoloured_and_readable(qtbot, qapp, restore_theme, state):
    """Every label of a dark heatmap reads on what is behind it (its cell or the chart)."""
    from matplotlib.text import Text

    from culturescope.gui.charts import ChartCanvas, _cell_under, _hex
    from culturescope.reports.charts import team_heatmap
    from culturescope.scoring import score

    # hidden groups too: a minimum of 17 hides the teams of 16
    state.store.update_campaign("2026 Q4", min_group_size=17, min_comment_group_size=17)
    result = score(state.store, state.current_campaign.id, by=("team",))
    tokens = theme.apply("dark", qapp)
    canvas = ChartCanvas(width=8, height=4)
    qtbot.addWidget(canvas)
    canvas.draw_with(team_heatmap, result)
    assert _hex(canvas.figure.patch.get_facecolor()) == tokens.surface
    ax = canvas.axes
    assert _hex(ax.get_facecolor()) == tokens.surface
    cells = [(ax, p) for ax in canvas.figure.axes for p in ax.patches if p.get_fill()]
    checked = 0
    for text in canvas.figure.findobj(Text):
        if not text.get_text().strip():
            continue
        # what is behind a label: its own box (a hidden row's reason), its cell, the chart
        under = text.get_bbox_patch() or _cell_under(text, cells)
        background = _hex(under.get_facecolor()) if under is not None else tokens.surface
        ratio = theme.contrast(_hex(text.get_color()), background)
        assert ratio >= 4.5, f"{text.get_text()!r}: {ratio:.2f}:1"
        checked += 1
    assert checked > 10
    assert any(t.get_bbox_patch() for t in canvas.figure.findobj(Text) if "hidden" in t.get_text())
    # the same chart follows a switch back to light
    theme.apply("light", qapp)
    assert _hex(canvas.figure.patch.get_facecolor()) == theme.LIGHT.surface
    canvas.clear("nothing")
    assert canvas.figure.texts[0].get_color() == theme.LIGHT.muted


@pytest.mark.parametrize("name", ["light", "dark"])
def test_data_colours_are_never_swapped_for_the_theme(qtbot, qapp, restore_theme, state, name):
    """A 50% heatmap cell is the scale's near-white middle: drawn as on paper in both
    themes (not as the dark page), like every other cell and bar; its label reads on it."""
    import dataclasses

    from matplotlib.colors import to_hex

    from culturescope.gui.charts import ChartCanvas, _hex
    from culturescope.reports.charts import DATA, HEATMAP_CMAP, likert_bars, team_heatmap
    from culturescope.scoring import score

    result = score(state.store, state.current_campaign.id, by=("team",))
    group = result.groups[0]
    first = group.dimensions[0]
    half = dataclasses.replace(first, percent_positive=50.0)
    group = dataclasses.replace(group, dimensions=(half, *group.dimensions[1:]))
    result = dataclasses.replace(result, groups=(group, *result.groups[1:]))
    tokens = theme.apply(name, qapp)
    canvas = ChartCanvas(width=8, height=4)
    qtbot.addWidget(canvas)
    canvas.draw_with(team_heatmap, result, dimensions=[first.id])
    cell = next(p for p in canvas.axes.patches if p.get_gid() == DATA)  # row 0, the 50% one
    assert to_hex(cell.get_facecolor()).upper() == to_hex(HEATMAP_CMAP(0.5)).upper()
    assert _hex(cell.get_facecolor()) != tokens.surface_alt
    label = next(t for t in canvas.axes.texts if t.get_text() == "50%")
    assert theme.contrast(_hex(label.get_color()), _hex(cell.get_facecolor())) >= 4.5
    # Likert bars and their colour key: the colours of the light theme in both.
    inst = result.instrument
    items = [i for i in result.items if i.id in inst.item_by_id][:4]
    canvas.draw_with(likert_bars, items, instrument=inst)
    bars = [to_hex(p.get_facecolor()) for p in canvas.axes.patches if p.get_gid() == DATA]
    keys = [to_hex(p.get_facecolor()) for p in canvas.axes.get_legend().get_patches()]
    assert bars and set(bars) <= set(keys)


@pytest.mark.parametrize("tokens", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_band_badges_are_readable(tokens, flagship):
    from culturescope.gui.pages.dashboard_page import band_badge_style

    for band in flagship.bands:
        style = band_badge_style(band.colour, tokens)
        background = re.search(r"background: (#\w{6})", style).group(1)
        text = re.search(r"; color: (#\w{6})", style).group(1)
        assert theme.contrast(text, background) >= 4.5, band.label
