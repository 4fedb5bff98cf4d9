"""A read-only table model over plain records, described by a tuple of :class:`Column`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


@dataclass(frozen=True)
class Column:
    """One column of a :class:`RecordTableModel`: header, display text and raw sort key."""

    header: str
    text: Callable[[object], str]
    key: Callable[[object], object] | None = None


class RecordTableModel(QAbstractTableModel):
    """A read-only table over a list of plain records; DisplayRole text, UserRole sort key."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list = []

    def set_rows(self, rows: Sequence) -> None:
        """Replace every record (a full reload)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record_at(self, row: int):
        """The record shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.DisplayRole:
            return column.text(record)
        if role == Qt.UserRole:
            return column.key(record) if column.key else column.text(record)
        return None
