"""Regenerate the README's screenshots from a fresh demo database.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py [OUT_DIR] [--pages-only]

Writes dashboard.png, dashboard-dark.png, signals.png, import-preview.png,
paper-entry.png, kiosk-question.png and scorecard-summary.png (the PDF's executive
summary page, rendered with poppler's ``pdftoppm``) into ``docs/screenshots/`` by
default, and every page (and the long dialogs) in the light and the dark theme at
1366x768 into ``pages/`` below it, named ``<page>-<theme>.png``: look at them after a
change to the styling.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from culturescope.demo import create_demo
from culturescope.gui import app as gui_app
from culturescope.gui.main_window import MainWindow
from culturescope.gui.state import AppState
from culturescope.reports.export import export_scorecard
from culturescope.settings import Settings
from culturescope.storage import Store

SIZE = (1366, 768)  # the most common laptop screen
THEMES = ("light", "dark")


def settle(window) -> None:
    QApplication.processEvents()
    gui_app.wait_for_tasks(window.state)
    QApplication.processEvents()


def type_keys(widget_of, text: str) -> None:
    for ch in text:
        QTest.keyClicks(widget_of(), ch)


def every_page(window, out: Path) -> None:
    """Every page of ``window`` (and the long dialogs) in both themes, at SIZE."""
    from culturescope.gui import theme
    from culturescope.gui.pages.campaigns_page import CampaignDialog
    from culturescope.gui.pages.policies_page import PolicyDialog
    from culturescope.instruments import available_instruments
    from culturescope.policies import policies

    out.mkdir(parents=True, exist_ok=True)
    state = window.state
    for name in THEMES:
        theme.apply(name)
        for spec in window.specs:
            window.show_page(spec.key)
            settle(window)
            window.grab().save(str(out / f"{spec.key}-{name}.png"))
        campaign = state.current_campaign
        # As the app opens it for a new campaign (CampaignsPage.create_campaign): only the
        # newest version of each instrument is offered, so the default is what users see.
        dialog = CampaignDialog(
            available_instruments(newest_only=True),
            state.settings,
            window,
            others=state.store.campaigns(),
        )
        dialog.show()
        settle(window)
        dialog.grab().save(str(out / f"campaign-dialog-{name}.png"))
        dialog.close()
        register = policies(state.store, campaign.organisation)
        if register:
            inst = state.store.instrument(campaign.instrument_key)
            dialog = PolicyDialog(inst, register[0], window)
            dialog.show()
            settle(window)
            dialog.grab().save(str(out / f"policy-dialog-{name}.png"))
            dialog.close()
    theme.apply("light")


def start_screen(out: Path, work: Path) -> None:
    """The first screen of an empty database, in both themes."""
    from culturescope.gui import theme

    store = Store(str(work / "empty.db"))
    window = MainWindow(AppState(store, Settings()), remember_geometry=False)
    window.resize(*SIZE)
    window.show()
    for name in THEMES:
        theme.apply(name)
        settle(window)
        window.grab().save(str(out / f"start-{name}.png"))
    theme.apply("light")
    window.close()
    store.close()


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    pages_only = "--pages-only" in sys.argv[1:]
    out = Path(args[0] if args else Path(__file__).parent / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="culturescope-shots-"))
    store = Store(str(work / "demo.db"))
    create_demo(store)
    gui_app._application("light")
    state = AppState(store, Settings())
    state.reload_campaign()
    window = MainWindow(state, remember_geometry=False)
    window.resize(*SIZE)
    window.show()

    every_page(window, out / "pages")
    start_screen(out / "pages", work)
    # The start screen's window took the focus: typing below goes to this one again.
    window.activateWindow()
    for _ in range(50):
        if window.isActiveWindow():
            break
        QApplication.processEvents()
        QTest.qWait(20)
    if pages_only:
        window.close()
        store.close()
        shutil.rmtree(work, ignore_errors=True)
        print(f"screenshots written to {out / 'pages'}")
        return 0

    for page in ("dashboard", "signals"):
        window.show_page(page)
        settle(window)
        window.grab().save(str(out / f"{page}.png"))
    shutil.copy(out / "pages" / "dashboard-dark.png", out / "dashboard-dark.png")

    # Import wizard: a Microsoft-Forms-style export at the mapping preview.
    campaign = state.current_campaign
    template = work / "Forms export.xlsx"
    _forms_export(store, campaign, template)
    page = window.show_page("import")
    page.choose_file(str(template))
    settle(window)
    window.grab().save(str(out / "import-preview.png"))

    # Paper entry: a form half typed in.
    page = window.show_page("paper")
    settle(window)
    page.form_number.setFocus()
    type_keys(QApplication.focusWidget, "0041")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    type_keys(QApplication.focusWidget, "Research")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    type_keys(QApplication.focusWidget, "1")
    type_keys(QApplication.focusWidget, "Berlin")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    type_keys(QApplication.focusWidget, "2" + "44354")
    QApplication.processEvents()
    window.grab().save(str(out / "paper-entry.png"))

    # Kiosk: the first question page with two answers given.
    from culturescope.gui.kiosk import KioskWindow

    state.settings.set_passphrase("screenshots")
    kiosk = KioskWindow(state, campaign, idle_ms=600_000)
    kiosk.start()
    kiosk.resize(*SIZE)
    QApplication.processEvents()
    kiosk.start_button.click()
    kiosk.next_button.click()  # the "about you" answers are optional
    QApplication.processEvents()
    for digit in "4":
        QTest.keyClick(kiosk.focusWidget() or kiosk, getattr(Qt.Key, f"Key_{digit}"))
    QApplication.processEvents()
    kiosk.grab().save(str(out / "kiosk-question.png"))
    kiosk.unlock_and_close()

    # The scorecard's executive summary.
    pdf = export_scorecard(store, campaign.name, "pdf", work / "scorecard.pdf")
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-f",
                "2",
                "-l",
                "2",
                "-singlefile",
                str(pdf),
                str(out / "scorecard-summary"),
            ],
            check=True,
        )
    window.close()
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots written to {out}")
    return 0


def _forms_export(store, campaign, path: Path) -> None:
    """A small Microsoft Forms-style workbook: metadata columns, then item texts."""
    import random

    import openpyxl

    inst = store.instrument(campaign.instrument_key)
    rng = random.Random(3)
    wb = openpyxl.Workbook()
    ws = wb.active
    head = ["ID", "Start time", "Completion time", "Email", "Name", "Team", "Role level"]
    ws.append(head + [item.text_for("en") for item in inst.items])
    for n in range(40):
        row = [
            n + 1,
            "11/20/26 9:01:02",
            "11/20/26 9:09:40",
            "anonymous",
            "",
            "Research",
            "Front-line staff",
        ]
        row += [_label(inst.scale_of(i).labels, rng) for i in inst.items]
        ws.append(row)
    ws.cell(row=9, column=9).value = "Agree strongly"
    wb.save(path)


def _label(labels, rng) -> str:
    return labels[min(len(labels) - 1, max(0, round(rng.gauss(len(labels) * 0.6, 1))))]


if __name__ == "__main__":
    sys.exit(main())
