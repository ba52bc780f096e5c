"""The import wizard takes ODK Central's .zip download as it is and leaves out the
submissions rejected in Central's review, saying so."""

from __future__ import annotations

import zipfile

from culturescope.gui.pages.import_page import ImportPage
from test_importing_odk_central import central_csv
from test_importing_odk_review import _review


def test_wizard_reads_the_central_zip_and_leaves_rejected_out(qtbot, state, flagship, tmp_path):
    page = ImportPage(state)
    qtbot.addWidget(page)
    page.refresh()
    main_csv = _review(central_csv(tmp_path / "safety.csv", flagship, range(9)), {4: "rejected"})
    archive = tmp_path / "safety.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(main_csv, "safety.csv")
        zf.writestr("safety-repeat_incident.csv", "what,PARENT_KEY,KEY\n")
    page.choose_file(str(archive))
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    assert page.stack.currentWidget() is page.step_preview
    text = " ".join(page.preview_summary.text().split())
    assert "8 responses will be added (9 rows read; 1 skipped: 1 rejected in ODK Central)" in text
