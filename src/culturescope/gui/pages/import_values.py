"""The import wizard's value mapping: each answer value the instrument does not know, once,
with how often it occurs and a drop-down to say what it means.

Nothing is guessed: a value stays unmapped (and the file refused) until the user picks
what it means. The wizard saves the choices per organisation and instrument, and offers
them (pre-selected) on the next import.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui.widgets import tool_button


class ValueMappingPanel(QWidget):
    """A table of values with a "means" drop-down each, and an Apply button.

    ``applied`` is emitted with the mapping (key -> value -> target) when the user presses
    Apply; :meth:`mapping` reads it at any time.
    """

    applied = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        title = QLabel(self.tr("Answer values to map"))
        title.setObjectName("sectionTitle")
        lay.addWidget(title)
        self.intro = QLabel(
            self.tr(
                "These answers are not options of the instrument. Choose what each one "
                "means, then press Apply; CultureScope never guesses. Your choices are "
                "remembered for this organisation's next imports."
            )
        )
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Question"), self.tr("Value in the file"), self.tr("Cells"), self.tr("Means")]
        )
        self.table.setAccessibleName(self.tr("Answer values to map"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.apply_button = tool_button(self.tr("&Apply value mapping"), "preview")
        self.apply_button.clicked.connect(lambda: self.applied.emit(self.mapping()))
        row.addWidget(self.apply_button)
        lay.addLayout(row)
        self._rows: list[tuple[str, str, QComboBox]] = []

    def show_values(self, plan, mapping: dict[str, dict[str, str]]) -> bool:
        """List ``plan``'s unknown values and the values ``mapping`` maps; False when there
        is nothing to show."""
        from culturescope.importing.values import demographic_choices, scale_choices

        instrument = plan.instrument
        rows = []  # (key, what, value, count text, choices, selected target)
        for u in plan.unknown_values:
            rows.append((u.key, u.what, u.value, f"{u.count:,}", u.choices, None))
        unknown = {(u.key, u.value) for u in plan.unknown_values}
        for key, table in mapping.items():
            if key in instrument.scales:
                what = self.tr("answers on the {0} scale").format(key)
                choices = scale_choices(instrument.scales[key])
            elif key in instrument.demographic_by_id:
                d = instrument.demographic_by_id[key]
                what, choices = d.label, demographic_choices(d)
            else:
                continue
            if not choices:
                continue  # free-text demographics: nothing to choose from
            for value, target in table.items():
                if (key, value) not in unknown:
                    rows.append((key, what, value, self.tr("mapped"), choices, target))
        self.table.setRowCount(len(rows))
        self._rows = []
        for r, (key, what, value, count, choices, selected) in enumerate(rows):
            for c, text in enumerate((what, value, count)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
            box = QComboBox()
            box.setAccessibleName(self.tr("What '{0}' means").format(value))
            box.addItem(self.tr("— not mapped —"), None)
            for choice in choices:
                box.addItem(choice.label, choice.value)
            if selected is not None:
                found = box.findData(selected)
                box.setCurrentIndex(max(found, 0))
            self.table.setCellWidget(r, 3, box)
            self._rows.append((key, value, box))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        return bool(rows)

    def mapping(self) -> dict[str, dict[str, str]]:
        """Key -> value -> target of every value given a meaning."""
        out: dict[str, dict[str, str]] = {}
        for key, value, box in self._rows:
            target = box.currentData()
            if target is not None:
                out.setdefault(key, {})[value] = str(target)
        return out

    def choose(self, value: str, target: str) -> None:
        """Select ``target`` for ``value`` (for tests and keyboard macros)."""
        for _, v, box in self._rows:
            if v == value:
                box.setCurrentIndex(max(box.findData(target), 0))
