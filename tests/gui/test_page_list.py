"""Every page of the sidebar exists, and a misspelt page module is an error at once
instead of a page that silently disappears."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from culturescope.gui import pages
from culturescope.gui.pages import PAGES, PageSpec, available_pages


def test_every_page_module_is_listed_and_has_its_class():
    on_disk = {p.stem for p in Path(pages.__file__).parent.glob("*_page.py")}
    assert on_disk == {spec.module.rsplit(".", 1)[1] for spec in PAGES}
    for spec in PAGES:
        assert issubclass(spec.load(), QWidget), spec


def test_a_misspelt_page_module_fails_loudly():
    typo = PageSpec("signals", "Signals", "signals", "culturescope.gui.pages.signal_page", "X")
    with pytest.raises(ImportError, match=r"'signals' \(culturescope\.gui\.pages\.signal_page\)"):
        available_pages([*PAGES, typo])


def test_the_main_window_refuses_a_missing_page(qtbot, state, monkeypatch):
    from culturescope.gui.main_window import MainWindow

    typo = PageSpec("export", "Export", "export", "culturescope.gui.pages.exprot_page", "X")
    monkeypatch.setattr(pages, "PAGES", [*PAGES[:-2], typo, PAGES[-1]])
    with pytest.raises(ImportError, match="exprot_page"):
        MainWindow(state, remember_geometry=False)
