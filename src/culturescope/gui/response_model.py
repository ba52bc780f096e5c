"""A fast read-only table model over a pandas DataFrame (100,000 rows and more).

Values are formatted on demand from NumPy arrays kept per column: no per-cell items are
created, so a large campaign opens at once.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ResponseTableModel(QAbstractTableModel):
    """Shows ``frame`` (already formatted as display strings or numbers) read-only.

    ``ids`` is kept in row order so views can map selections back to response ids.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.headers: list[str] = []
        self.tooltips: list[str] = []
        self.columns: list[np.ndarray] = []
        self.ids = np.empty(0, dtype=np.int64)
        self.order = np.empty(0, dtype=np.int64)
        self.codes: list[dict[float, str] | None] = []
        self.value_tips: list[dict[str, str] | None] = []

    def set_frame(
        self,
        frame,
        tooltips: dict[str, str] | None = None,
        codes: dict[str, dict[float, str]] | None = None,
        value_tooltips: dict[str, dict[str, str]] | None = None,
    ) -> None:
        """Replace the data; ``frame``'s index are the response ids.

        ``codes`` maps a column to values shown as text (e.g. the N/A code as "N/A").
        ``value_tooltips`` maps a column to the tooltip of a shown text, e.g. why
        "(not shown)" is shown; other cells' tooltip is their text.
        """
        self.beginResetModel()
        self.codes = [(codes or {}).get(str(c)) for c in frame.columns]
        self.value_tips = [(value_tooltips or {}).get(str(c)) for c in frame.columns]
        self.headers = [str(c) for c in frame.columns]
        self.tooltips = [(tooltips or {}).get(h, h) for h in self.headers]
        self.columns = [frame[c].to_numpy() for c in frame.columns]
        self.ids = frame.index.to_numpy()
        self.order = np.arange(len(frame))
        self.endResetModel()

    # ---- Qt model protocol --------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            col = index.column()
            text = self._text(col, self.columns[col][self.order[index.row()]])
            tips = self.value_tips[col]
            if role == Qt.ItemDataRole.ToolTipRole and tips is not None:
                return tips.get(text, text)
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            column = self.columns[index.column()]
            if column.dtype.kind in "iuf":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, col: int, value) -> str:
        codes = self.codes[col]
        if codes is not None and value in codes:
            return codes[value]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return ""
        if isinstance(value, float | np.floating) and float(value).is_integer():
            return str(int(value))
        return str(value)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.headers[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tooltips[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        values = self.columns[column]
        if values.dtype.kind in "iuf":
            keys = values.astype(float)
            keys = np.where(np.isnan(keys), np.inf, keys)
        else:
            keys = np.array(["" if v is None else str(v) for v in values], dtype=object)
        ranked = np.argsort(keys, kind="stable").astype(np.int64)
        if order == Qt.SortOrder.DescendingOrder:
            ranked = ranked[::-1].copy()
        self.order = ranked
        self.layoutChanged.emit()

    def widest_rows(self, column: int, count: int = 3) -> list[int]:
        """Rows showing the longest texts of ``column``, one per distinct text.

        A column's width comes from its widest cell; measuring a few candidate rows
        instead of every row (as ``resizeColumnToContents`` does, through the view's
        delegate and every data role) sizes a 43-column table in a fraction of the time,
        and considers all rows, not the first few hundred.
        """
        if not 0 <= column < len(self.columns) or len(self.order) == 0:
            return []
        values = self.columns[column][self.order]
        if values.dtype.kind in "iuf":
            floats = values.astype(float)
            distinct = np.unique(floats[~np.isnan(floats)])
        else:
            import pandas as pd

            distinct = pd.unique(values)
        texts = sorted(
            {self._text(column, v): v for v in distinct}.items(),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )[:count]
        rows = []
        for _text, value in texts:
            if values.dtype.kind in "iuf":
                hits = np.flatnonzero(values.astype(float) == float(value))
            else:
                hits = np.flatnonzero(np.array([v is value or v == value for v in values]))
            if len(hits):
                rows.append(int(hits[0]))
        return rows

    def response_id(self, row: int) -> int:
        return int(self.ids[self.order[row]])
