"""Instruments: browse shipped and user instruments, preview them, load a user's file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui import messages, theme
from culturescope.gui.state import AppState
from culturescope.gui.style import icon
from culturescope.gui.widgets import clear_layout, page_header, tool_button
from culturescope.instruments import (
    Instrument,
    InstrumentError,
    install_user_instrument,
    load_instrument,
    report_gaps,
    scan_instruments,
)


def describe_problems(exc: InstrumentError) -> list[tuple[str, str, str]]:
    """(file, key, problem) rows of an instrument error."""
    return [(Path(exc.source).name, key, problem) for key, problem in exc.problems]


class SurveyPreview(QScrollArea):
    """The survey as a respondent sees it: consent, demographics, questions, comments.

    Answers can be clicked to try the survey out; nothing is stored.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Survey preview"))
        self.body = QWidget()
        self.body.setObjectName("previewBody")
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(24, 16, 24, 16)
        self.setWidget(self.body)
        self.groups: list[QButtonGroup] = []

    def show_instrument(self, inst: Instrument | None) -> None:
        clear_layout(self.layout_)
        self.groups = []
        if inst is None:
            return
        lang = inst.default_language
        title = QLabel(inst.title)
        title.setObjectName("pageTitle")
        self.layout_.addWidget(title)
        if inst.consent:
            consent = QLabel(inst.consent.get(lang) or next(iter(inst.consent.values())))
            consent.setWordWrap(True)
            self.layout_.addWidget(consent)
        if inst.demographics:
            heading = QLabel(self.tr("About you"))
            heading.setObjectName("sectionTitle")
            self.layout_.addWidget(heading)
            form = QFormLayout()
            for d in inst.demographics:
                box = QComboBox()
                box.setAccessibleName(d.label)
                if d.free_text:
                    box.setEditable(True)
                    box.setPlaceholderText(self.tr("(typed or chosen by the respondent)"))
                else:
                    box.addItems([o.label for o in d.options])
                    box.setCurrentIndex(-1)
                form.addRow(d.label + ":", box)
            self.layout_.addLayout(form)
        number = 0
        for dim in inst.dimensions:
            items = inst.items_of(dim.id)
            if not items:
                continue
            heading = QLabel(dim.title)
            heading.setObjectName("sectionTitle")
            self.layout_.addWidget(heading)
            if dim.description:
                desc = QLabel(dim.description)
                desc.setObjectName("muted")
                desc.setWordWrap(True)
                self.layout_.addWidget(desc)
            for item in items:
                number += 1
                self.layout_.addWidget(self._question(inst, item, number, lang))
        for prompt in inst.comments:
            label = QLabel(prompt.text_for(lang))
            label.setWordWrap(True)
            edit = QPlainTextEdit()
            edit.setAccessibleName(prompt.text_for(lang))
            edit.setFixedHeight(60)
            self.layout_.addWidget(label)
            self.layout_.addWidget(edit)
        self.layout_.addStretch(1)

    def _question(self, inst: Instrument, item, number: int, lang: str) -> QWidget:
        scale = inst.scale_of(item)
        frame = QFrame()
        frame.setObjectName("card")
        grid = QGridLayout(frame)
        grid.setContentsMargins(12, 8, 12, 8)
        text = QLabel(f"{number}. {item.text_for(lang)}")
        text.setWordWrap(True)
        grid.addWidget(text, 0, 0, 1, scale.points + 1)
        group = QButtonGroup(frame)
        self.groups.append(group)
        for col, value in enumerate(range(1, scale.points + 1)):
            self._radio(grid, group, item, lang, value, scale.labels[value - 1], 1, col)
        if scale.na_code is not None:
            label = scale.na_label or "N/A"
            self._radio(grid, group, item, lang, scale.na_code, label, 2, 0, span=scale.points)
        return frame

    def _radio(self, grid, group, item, lang, value, label, row, col, span=1) -> None:
        radio = QRadioButton(label)
        radio.setAccessibleName(f"{item.text_for(lang)}: {label}")
        group.addButton(radio, value)
        grid.addWidget(radio, row, col, 1, span)


class InstrumentsPage(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.instruments: list[Instrument] = []
        self.shipped: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        top = QHBoxLayout()
        top.addWidget(
            page_header(
                self.tr("Instruments"),
                self.tr("The questionnaires campaigns use. Shipped ones, and files of your own."),
            ),
            1,
        )
        self.load_button = tool_button(
            self.tr("&Add instrument…"),
            "open",
            self.tr(
                "Check a YAML instrument file and add it to your instruments (kept in the "
                "'instruments' folder of your data folder)"
            ),
        )
        self.load_button.clicked.connect(self._ask_load)
        top.addWidget(self.load_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.problems = QTreeWidget()
        self.problems.setHeaderLabels([self.tr("File"), self.tr("Key"), self.tr("Problem")])
        self.problems.setAccessibleName(self.tr("Problems in instrument files"))
        self.problems.setRootIsDecorated(False)
        self.problems.setMaximumHeight(150)
        self.problems.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("error")
        self.problems_label.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("muted")
        layout.addWidget(self.notice)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)

        split = QSplitter()
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Instruments"))
        self.list.setMinimumWidth(250)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._on_select)
        split.addWidget(self.list)
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(8, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        rlay.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                self.tr("Id"),
                self.tr("Item"),
                self.tr("Reverse-keyed"),
                self.tr("Practice areas"),
            ]
        )
        self.tree.setAccessibleName(self.tr("Dimensions and items"))
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.tree.setColumnWidth(3, 220)
        self.preview = SurveyPreview()
        self.tabs.addTab(self.tree, icon("instruments"), self.tr("&Structure"))
        self.tabs.addTab(self.preview, icon("preview"), self.tr("&Preview as respondent"))
        rlay.addWidget(self.tabs, 1)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 900])
        layout.addWidget(split, 1)
        self._preview_key: str | None = None
        self.tabs.currentChanged.connect(lambda _i: self._fill_preview())

    # ---- view ---------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        found, errors = scan_instruments()
        self.shipped = {i.key for i in scan_instruments(include_user=False)[0]}
        self.instruments = found
        current = select or (
            self.instruments[self.list.currentRow()].key
            if 0 <= self.list.currentRow() < len(self.instruments)
            else None
        )
        self.list.blockSignals(True)
        self.list.clear()
        for inst in found:
            origin = self.tr("shipped") if inst.key in self.shipped else self.tr("yours")
            item = QListWidgetItem(icon("instruments"), f"{inst.title}\n{inst.version} · {origin}")
            item.setToolTip(inst.description)
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows = [n for n, i in enumerate(found) if i.key == current]
        self.list.setCurrentRow(rows[0] if rows else (0 if found else -1))
        if not rows and found:
            self._on_select(0)
        self.show_problems(
            [row for exc in errors for row in describe_problems(exc)],
            self.tr("Some of your instrument files are invalid and are not offered:")
            if errors
            else "",
        )

    def show_problems(self, rows: list[tuple[str, str, str]], heading: str) -> None:
        self.notice.clear()
        self.problems.clear()
        for row in rows:
            item = QTreeWidgetItem(list(row))
            item.setToolTip(2, row[2])
            self.problems.addTopLevelItem(item)
        self.problems.resizeColumnToContents(0)
        self.problems.resizeColumnToContents(1)
        self.problems.setVisible(bool(rows))
        self.problems_label.setText(heading)
        self.problems_label.setVisible(bool(rows))

    def current(self) -> Instrument | None:
        row = self.list.currentRow()
        return self.instruments[row] if 0 <= row < len(self.instruments) else None

    def _on_select(self, _row: int) -> None:
        inst = self.current()
        self.tree.clear()
        if inst is None:
            self.summary.setText(self.tr("No instrument."))
            self.preview.show_instrument(None)
            return
        n_rev = sum(1 for i in inst.items if i.reverse)
        self.summary.setText(
            f"<b>{inst.title}</b> &nbsp;·&nbsp; {inst.id} {inst.version}<br>"
            f"<span style='color:{theme.colour('muted')}'>{inst.description}</span><br>"
            + self.tr("{0} items in {1} dimensions; {2} reverse-keyed (marked ↺).").format(
                len(inst.items), len(inst.dimensions), n_rev
            )
        )
        areas = inst.practice_area_by_id
        lang = inst.default_language
        for dim in inst.dimensions:
            label = dim.title + (self.tr("  (pillar)") if dim.pillar else "")
            parent = QTreeWidgetItem([label])
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            parent.setToolTip(0, f"{dim.id}: {dim.description}")
            self.tree.addTopLevelItem(parent)
            parent.setFirstColumnSpanned(True)
            for item in inst.items_of(dim.id):
                text = item.text_for(lang)
                child = QTreeWidgetItem(
                    [
                        item.id,
                        text,
                        self.tr("↺ yes") if item.reverse else "",
                        ", ".join(areas[a].title if a in areas else a for a in item.practice_areas),
                    ]
                )
                tip = text + "\n" + self.tr("Scale: {0}").format(item.scale)
                if item.reverse:
                    tip += "\n" + self.tr(
                        "Reverse-keyed: agreeing is unfavourable; scored reversed."
                    )
                child.setToolTip(1, tip)
                child.setToolTip(3, child.text(3))
                parent.addChild(child)
            parent.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(2)
        self._preview_key = None
        self._fill_preview()

    def _fill_preview(self) -> None:
        inst = self.current()
        if self.tabs.currentWidget() is not self.preview or inst is None:
            return
        if self._preview_key != inst.key:  # built only when looked at
            self.preview.show_instrument(inst)
            self._preview_key = inst.key

    # ---- loading a user's file ------------------------------------------------------
    def _ask_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Load an instrument file"),
            str(Path.home()),
            self.tr("Instrument files (*.yaml *.yml);;All files (*)"),
        )
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> bool:
        """Validate ``path``; install it when valid, else list its problems. True if installed."""
        try:
            inst = load_instrument(path)
        except InstrumentError as exc:
            self.show_problems(
                describe_problems(exc),
                self.tr("{0} was not added: correct these problems and load it again.").format(
                    Path(path).name
                ),
            )
            return False
        except OSError as exc:
            messages.error(
                self,
                self.tr("The file cannot be read"),
                messages.describe(exc),
                self.tr("Check the file exists and you may read it."),
            )
            return False
        if inst.key in self.shipped:
            self.show_problems(
                [
                    (
                        Path(path).name,
                        "id",
                        self.tr("is the same id and version as a shipped instrument"),
                    )
                ],
                self.tr("{0} was not added: give it its own id or a new version.").format(
                    Path(path).name
                ),
            )
            return False
        try:
            install_user_instrument(path)
        except InstrumentError as exc:  # a shipped id, or changed content of a version
            self.show_problems(
                describe_problems(exc),
                self.tr("{0} was not added.").format(Path(path).name),
            )
            return False
        self.refresh(select=inst.key)
        gaps = report_gaps(inst)
        self.notice.setText(
            self.tr("Added {0} {1}.").format(inst.title, inst.version)
            + "".join(" " + self.tr("Note: {0}.").format(g) for g in gaps)
        )
        return True
