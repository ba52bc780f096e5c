"""The campaign's own settings in one dialog: name, instrument, confidentiality thresholds,
survey period, the previous campaign (for the trend) and expected headcounts.

Creating a campaign and editing one use the same dialog; a refused value is marked at its
box with the reason under it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui import messages
from culturescope.gui.widgets import DateField, field_error_label, mark_invalid, scrolling_dialog
from culturescope.instruments import Instrument
from culturescope.storage import Campaign
from culturescope.thresholds import MAX_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR

HEADCOUNTS_MODULE = "culturescope.importing.headcounts"


def headcounts_text(headcounts: dict[str, dict[str, int]], instrument: Instrument | None) -> str:
    """A readable one-line summary: "Team: 6 groups, 240 people · Role level: 3 groups"."""
    if not headcounts:
        return "None: response rates are not shown."
    labels = {}
    if instrument is not None:
        labels = {d.id: d.label for d in instrument.demographics}
    parts = []
    for did, groups in headcounts.items():
        people = sum(int(v) for v in groups.values())
        parts.append(f"{labels.get(did, did)}: {len(groups)} groups, {people:,} people")
    return " · ".join(parts)


class CampaignDialog(QDialog):
    """Create a campaign (``campaign`` None) or edit one's settings.

    Parameters
    ----------
    instruments : list of Instrument
        The instruments a new campaign can use.
    settings : Settings
        The app settings (default thresholds for a new campaign).
    parent : QWidget, optional
    campaign : Campaign, optional
        The campaign to edit; None to create one.
    others : list of Campaign, optional
        The other campaigns, offered as the previous campaign.
    check_headcounts : callable, optional
        ``check_headcounts(headcounts, show)`` starts comparing a loaded sheet with the
        campaign's responses off the UI thread and returns its task (with ``cancel()`` and
        ``wait(msecs)``); it calls ``show(result)`` with a
        :class:`~culturescope.signals.participation.HeadcountCheck` (None if it failed or
        was cancelled). Groups with more responses than people are listed under the sheet.
    check_previous : callable, optional
        ``check_previous(previous_id, instrument, opens_on)`` returns the core's
        :class:`~culturescope.storage.PreviousCheck` for the chosen previous campaign: a
        refusal is marked at the box (and blocks saving), warnings are shown under it.
    """

    def __init__(
        self,
        instruments: list[Instrument],
        settings,
        parent: QWidget | None = None,
        *,
        campaign: Campaign | None = None,
        others: list[Campaign] | None = None,
        instrument: Instrument | None = None,
        check_headcounts: Callable[[dict[str, dict[str, int]], Callable[[Any], None]], Any]
        | None = None,
        check_previous: Callable[[int, Instrument | None, Any], Any] | None = None,
    ):
        super().__init__(parent)
        self._check_headcounts = check_headcounts
        self._check_previous = check_previous
        self._check_task: Any = None
        self.campaign = campaign
        self.instruments = instruments
        self.headcounts: dict[str, dict[str, int]] = dict(campaign.headcounts) if campaign else {}
        self._instrument = instrument
        self.setWindowTitle(
            self.tr("Campaign settings — {0}").format(campaign.name)
            if campaign
            else self.tr("New campaign")
        )
        outer, layout = scrolling_dialog(self, 640, 620)
        form = QFormLayout()
        layout.addLayout(form)

        self.name = QLineEdit(campaign.name if campaign else "")
        self.name.setPlaceholderText(self.tr("e.g. 2026 Q4"))
        self.name.setAccessibleName(self.tr("Campaign name"))
        self.name_problem = field_error_label()
        self._row(form, self.tr("&Name:"), self.name, self.name_problem)
        self.name.textEdited.connect(lambda _t: mark_invalid(self.name, "", self.name_problem))

        self.instrument = QComboBox()
        self.instrument.setAccessibleName(self.tr("Instrument"))
        for inst in instruments:
            self.instrument.addItem(f"{inst.title} ({inst.version})", inst.key)
        if campaign is not None:
            index = self.instrument.findData(campaign.instrument_key)
            if index < 0:
                self.instrument.addItem(campaign.instrument_key, campaign.instrument_key)
                index = self.instrument.count() - 1
            self.instrument.setCurrentIndex(index)
            self.instrument.setEnabled(False)
            note = QLabel(self.tr("Fixed once a campaign exists: its responses answer it."))
            note.setObjectName("reason")
            note.setWordWrap(True)
            self._row(form, self.tr("&Instrument:"), self.instrument, note)
        else:
            self._row(form, self.tr("&Instrument:"), self.instrument)

        heading = QLabel(self.tr("Confidentiality"))
        heading.setObjectName("sectionTitle")
        form.addRow(heading)
        self.min_group = QSpinBox()
        self.min_group.setRange(MIN_GROUP_SIZE_FLOOR, MAX_GROUP_SIZE)
        self.min_group.setValue(
            campaign.min_group_size if campaign else max(3, settings.min_group_size)
        )
        self.min_group.setAccessibleName(self.tr("Minimum group size for scores"))
        self.min_group.setToolTip(
            self.tr(
                "Groups with fewer responses are shown as 'Insufficient responses' (never below 3)"
            )
        )
        self._row(form, self.tr("Minimum group size for &scores:"), self.min_group)
        self.min_comments = QSpinBox()
        self.min_comments.setRange(MIN_GROUP_SIZE_FLOOR, MAX_GROUP_SIZE)
        self.min_comments.setValue(
            campaign.min_comment_group_size
            if campaign
            else max(self.min_group.value(), settings.min_comment_group_size)
        )
        self.min_comments.setAccessibleName(self.tr("Minimum group size for comments"))
        self.comments_problem = field_error_label()
        self._row(
            form,
            self.tr("Minimum group size for &comments:"),
            self.min_comments,
            self.comments_problem,
        )
        for box in (self.min_group, self.min_comments):
            box.valueChanged.connect(
                lambda _v: mark_invalid(self.min_comments, "", self.comments_problem)
            )

        heading = QLabel(self.tr("Survey period and trend"))
        heading.setObjectName("sectionTitle")
        form.addRow(heading)
        self.opens = DateField(self.tr("Survey opens"))
        self.closes = DateField(self.tr("Survey closes"))
        if campaign is not None:
            self.opens.set_value(campaign.opens_on)
            self.closes.set_value(campaign.closes_on)
        self._row(form, self.tr("Survey &opens:"), self.opens)
        self.closes_problem = field_error_label()
        self._row(form, self.tr("Survey c&loses:"), self.closes, self.closes_problem)
        self.closes.edit.dateChanged.connect(
            lambda _d: mark_invalid(self.closes.edit, "", self.closes_problem)
        )
        self.previous = QComboBox()
        self.previous.setAccessibleName(self.tr("Previous campaign"))
        self.previous.addItem(self.tr("None (no trend)"), None)
        for other in others or []:
            if campaign is not None and other.id == campaign.id:
                continue
            self.previous.addItem(other.name, other.id)
        if campaign is not None and campaign.previous_campaign_id is not None:
            self.previous.setCurrentIndex(
                max(0, self.previous.findData(campaign.previous_campaign_id))
            )
        previous_note = QLabel(
            self.tr(
                "An earlier campaign: the dashboard and the scorecard show the change since it."
            )
        )
        previous_note.setObjectName("reason")
        previous_note.setWordWrap(True)
        self.previous_problem = field_error_label()
        self.previous_warning = QLabel()
        self.previous_warning.setWordWrap(True)
        self.previous_warning.setVisible(False)
        self._row(
            form,
            self.tr("&Previous campaign:"),
            self.previous,
            previous_note,
            self.previous_problem,
            self.previous_warning,
        )
        self.previous.currentIndexChanged.connect(lambda _i: self.previous_rule())
        self.opens.edit.dateChanged.connect(lambda _d: self.previous_rule())
        self.instrument.currentIndexChanged.connect(lambda _i: self.previous_rule())

        heading = QLabel(self.tr("Expected headcounts"))
        heading.setObjectName("sectionTitle")
        form.addRow(heading)
        self.headcounts_label = QLabel()
        self.headcounts_label.setWordWrap(True)
        self.headcounts_button = QPushButton(self.tr("Load &headcount sheet…"))
        self.headcounts_button.setAccessibleName(self.tr("Load a headcount sheet"))
        self.headcounts_button.clicked.connect(lambda _checked=False: self.load_headcounts())
        self.headcounts_clear = QPushButton(self.tr("Clear"))
        self.headcounts_clear.setAccessibleName(self.tr("Clear the headcounts"))
        self.headcounts_clear.clicked.connect(self._clear_headcounts)
        self.headcounts_reason = QLabel()
        self.headcounts_reason.setObjectName("reason")
        self.headcounts_reason.setWordWrap(True)
        self.headcounts_problem = field_error_label()
        # Groups with more responses than people: information, not a refusal.
        self.headcounts_check = QLabel()
        self.headcounts_check.setWordWrap(True)
        self.headcounts_check.setVisible(False)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.headcounts_button)
        buttons_row.addWidget(self.headcounts_clear)
        buttons_row.addStretch(1)
        box = QVBoxLayout()
        box.addWidget(self.headcounts_label)
        box.addLayout(buttons_row)
        box.addWidget(self.headcounts_reason)
        box.addWidget(self.headcounts_problem)
        box.addWidget(self.headcounts_check)
        form.addRow(self.tr("People per group:"), box)
        available = importlib.util.find_spec(HEADCOUNTS_MODULE) is not None
        self.headcounts_button.setEnabled(available)
        self.headcounts_reason.setText(
            self.tr(
                "A sheet with one row per group and its number of people (e.g. Team, People) "
                "lets the scorecard show response rates. A sheet replaces the headcounts of "
                "the demographics it lists; Clear removes them all."
            )
            if available
            else self.tr("Reading headcount sheets is not part of this build.")
        )
        self._show_headcounts()

        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Save") if campaign else self.tr("Create")
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.name.setFocus()
        if self.previous.currentData() is not None:
            self.previous_rule()  # what is wrong with the stored choice shows at once

    @staticmethod
    def _row(form: QFormLayout, label: str, field: QWidget, *under: QWidget) -> None:
        caption = QLabel(label)
        caption.setBuddy(field.focusProxy() or field)
        if not under:
            form.addRow(caption, field)
            return
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(field)
        for w in under:
            box.addWidget(w)
        form.addRow(caption, box)

    # ---- previous campaign ------------------------------------------------------------
    def previous_rule(self) -> str:
        """Show the core's rule for the chosen previous campaign; the refusal ("" if none)."""
        chosen = self.previous.currentData()
        refusal, warnings = "", []
        if chosen is not None and self._check_previous is not None:
            try:
                check = self._check_previous(
                    chosen, self.chosen_instrument(), self.opens.value()
                )
            except Exception:  # a busy database: the store checks again when saving
                check = None
            if check is not None:
                refusal = check.refusal or ""
                warnings = list(check.warnings)
        mark_invalid(self.previous, refusal, self.previous_problem)
        self.previous_warning.setText("\n".join(warnings))
        self.previous_warning.setVisible(bool(warnings))
        return refusal

    # ---- headcounts -----------------------------------------------------------------
    def chosen_instrument(self) -> Instrument | None:
        key = self.instrument.currentData()
        found = next((i for i in self.instruments if i.key == key), None)
        return found or self._instrument

    def _show_headcounts(self) -> None:
        self.headcounts_label.setText(headcounts_text(self.headcounts, self.chosen_instrument()))
        self.headcounts_clear.setEnabled(bool(self.headcounts))

    def _clear_headcounts(self) -> None:
        self.headcounts = {}
        self._show_check_text("")
        self._show_headcounts()

    def _show_check_text(self, text: str) -> None:
        self.headcounts_check.setText(text)
        self.headcounts_check.setVisible(bool(text))

    def _start_check(self, counts: dict[str, dict[str, int]]) -> None:
        if self._check_headcounts is None:
            return
        self._show_check_text(self.tr("Comparing the headcounts with the responses…"))

        def show(result: Any) -> None:
            if self.headcounts is not counts:
                return  # another sheet was loaded (or cleared) meanwhile
            if result is None:
                self._show_check_text("")
                return
            lines = [over.message for over in result.overcounts]
            self._show_check_text("\n".join(lines))

        self._stop_check()
        self._check_task = self._check_headcounts(counts, show)

    def _stop_check(self) -> None:
        """Cancel a comparison still running (a new sheet, or the dialog closes)."""
        task, self._check_task = self._check_task, None
        if task is not None and task.is_running():
            task.cancel()
            task.wait(5000)  # it stops at its next checkpoint, well within this

    def done(self, result: int) -> None:
        self._stop_check()
        super().done(result)

    def load_headcounts(self, path: str | None = None) -> bool:
        """Read a headcount sheet; a refused sheet is explained under the button."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Headcount sheet"),
                "",
                self.tr("Spreadsheets (*.xlsx *.xlsm *.ods *.csv)"),
            )
            if not path:
                return False
        from culturescope import CultureScopeError

        reader = importlib.import_module(HEADCOUNTS_MODULE)
        try:
            counts = reader.read_headcounts(path, self.chosen_instrument())
        except CultureScopeError as exc:
            problems = getattr(exc, "problems", None) or [messages.describe(exc)]
            mark_invalid(
                self.headcounts_button,
                "\n".join(str(p) for p in problems[:5]),
                self.headcounts_problem,
            )
            return False
        mark_invalid(self.headcounts_button, "", self.headcounts_problem)
        # As `campaign set --headcounts`: the sheet replaces the headcounts of the
        # demographics it lists and keeps the others (a team sheet keeps the role counts).
        merged = {**self.headcounts, **counts}
        self.headcounts = merged
        self._show_headcounts()
        self._start_check(merged)
        return True

    # ---- result ----------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        """The campaign fields as entered (for ``Store.update_campaign``)."""
        return {
            "name": self.name.text().strip(),
            "min_group_size": self.min_group.value(),
            "min_comment_group_size": self.min_comments.value(),
            "opens_on": self.opens.value(),
            "closes_on": self.closes.value(),
            "previous_campaign_id": self.previous.currentData(),
            "headcounts": self.headcounts,
        }

    def check(self) -> str:
        """Mark the first wrong box; the problem in words ("" when all is well)."""
        if not self.name.text().strip():
            problem = self.tr("Give the campaign a name.")
            mark_invalid(self.name, problem, self.name_problem)
            self.name.setFocus()
            return problem
        if self.chosen_instrument() is None:
            problem = self.tr("Choose an instrument.")
            self.problem.setText(problem)  # the list is empty: nothing to mark
            return problem
        if self.min_comments.value() < self.min_group.value():
            problem = self.tr(
                "The minimum group size for comments cannot be below the one for scores."
            )
            mark_invalid(self.min_comments, problem, self.comments_problem)
            self.min_comments.setFocus()
            return problem
        refusal = self.previous_rule()
        if refusal:
            self.previous.setFocus()
            return refusal
        opens, closes = self.opens.value(), self.closes.value()
        if opens and closes and closes < opens:
            problem = self.tr("The survey cannot close before it opens ({0}).").format(
                opens.isoformat()
            )
            mark_invalid(self.closes.edit, problem, self.closes_problem)
            self.closes.setFocus()
            return problem
        return ""

    def accept(self) -> None:
        if self.check():
            return
        self.problem.setText("")
        super().accept()
