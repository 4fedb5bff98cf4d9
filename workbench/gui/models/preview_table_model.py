"""The import wizard's preview: row 0 is the editable column mapping, then the file's first rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

_INDEX = QModelIndex | QPersistentModelIndex
IGNORE = ""  # the mapping value of a column that is not imported
IGNORE_LABEL = "（不导入）"
_MAPPING_BG = QBrush(QColor("#eef4fb"))


class PreviewTableModel(QAbstractTableModel):
    """Columns of the file; row 0 = the field each column maps to (editable), rows 1.. = data.

    ``Qt.EditRole``/``Qt.UserRole`` of row 0 is the field name ('' = ignored); DisplayRole is its
    Chinese label from ``labels``.
    """

    def __init__(self, labels: Mapping[str, str], parent=None):
        super().__init__(parent)
        self.labels = dict(labels)
        self.headers: tuple[str, ...] = ()
        self.rows: tuple[tuple[str, ...], ...] = ()
        self.fields: list[str] = []

    def set_preview(self, headers: Sequence[str], mapping: Mapping[int, str], rows) -> None:
        """Show a new preview (header texts, detected column → field mapping, first data rows)."""
        self.beginResetModel()
        self.headers = tuple(headers)
        self.rows = tuple(rows)
        self.fields = [mapping.get(i, IGNORE) for i in range(len(self.headers))]
        self.endResetModel()

    def mapping(self) -> dict[int, str]:
        """Column index → field name for every column that is imported."""
        return {i: f for i, f in enumerate(self.fields) if f}

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        """The mapping row plus the data rows (none before a preview is set)."""
        return 0 if parent.isValid() or not self.headers else len(self.rows) + 1

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        """One column per column of the file."""
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        """The file's header texts; vertical: 对应字段, then 1, 2, …"""
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return "对应字段" if section == 0 else str(section)

    def flags(self, index: _INDEX):
        """The mapping row is editable; data rows are read-only."""
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return base | Qt.ItemIsEditable if index.row() == 0 else base

    def data(self, index: _INDEX, role: int = Qt.DisplayRole):
        """Mapping labels (row 0) or cell texts."""
        if not index.isValid() or index.row() >= self.rowCount() or index.column() >= len(self.headers):
            return None
        col = index.column()
        if index.row() == 0:
            return self._mapping_data(col, role)
        row = self.rows[index.row() - 1]
        if role in (Qt.DisplayRole, Qt.UserRole, Qt.ToolTipRole):
            return row[col] if col < len(row) else ""
        return None

    def _mapping_data(self, col: int, role: int):
        field = self.fields[col]
        if role == Qt.DisplayRole:
            return self.labels.get(field, IGNORE_LABEL) if field else IGNORE_LABEL
        if role in (Qt.EditRole, Qt.UserRole):
            return field
        if role == Qt.BackgroundRole:
            return _MAPPING_BG
        if role == Qt.FontRole:
            font = QFont()
            font.setBold(bool(field))
            return font
        return None

    def setData(self, index: _INDEX, value, role: int = Qt.EditRole) -> bool:  # noqa: N802 - Qt override
        """Change the field of a column (row 0 only); '' ignores the column."""
        if role != Qt.EditRole or not index.isValid() or index.row() != 0:
            return False
        value = value or IGNORE
        if value != IGNORE and value not in self.labels:
            return False
        self.fields[index.column()] = value
        self.dataChanged.emit(index, index, [Qt.DisplayRole, Qt.EditRole, Qt.UserRole, Qt.FontRole])
        return True
