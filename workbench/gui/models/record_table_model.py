"""Read-only table models over plain records described by a tuple of :class:`Column`: in memory
(:class:`RecordTableModel`) or read page by page (:class:`PagedRecordModel`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex

from workbench.gui.models.paged_model import DISPLAY_ROLE, USER_ROLE, PagedTableModel

_TOOLTIP_ROLE = 3   # Qt.ToolTipRole (as an int: see paged_model.DISPLAY_ROLE)


@dataclass(frozen=True)
class Column:
    """One column of a :class:`RecordTableModel`: header, display text, raw sort key and tooltip
    (None: no tooltip of its own; e.g. the whole text of a column shown cut)."""

    header: str
    text: Callable[[object], str]
    key: Callable[[object], object] | None = None
    tip: Callable[[object], str] | None = None


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

    @property
    def rows(self) -> list:
        """Every record, in the order shown."""
        return self._rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=DISPLAY_ROLE):  # noqa: N802 - Qt override
        if role == DISPLAY_ROLE and orientation == QtCore.Qt.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None

    def data(self, index, role=DISPLAY_ROLE):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record, column = self._rows[index.row()], self.columns[index.column()]
        if role == DISPLAY_ROLE:
            return column.text(record)
        if role == USER_ROLE:
            return column.key(record) if column.key else column.text(record)
        if role == _TOOLTIP_ROLE and column.tip is not None:
            return column.tip(record)
        return None


class PagedRecordModel(PagedTableModel):
    """Records described by :class:`Column`, read page by page (gui/models/paged_model.py).

    Args:
        count: ``count(ctx, key) -> int`` of the records of ``key`` (reader thread).
        read: ``read(ctx, key, offset, limit, total) -> list`` of records (reader thread).
        key: :meth:`set_key` sets what to show (None: nothing), e.g. a campaign id.
    """

    def __init__(self, session, columns: Sequence[Column], count: Callable, read: Callable, parent=None):
        self.columns = tuple(columns)
        super().__init__(session, [c.header for c in self.columns], parent)
        self._count_fn, self._read_fn = count, read
        self.key = None

    def set_key(self, key) -> None:
        """Show the records of ``key`` (read again from the first page)."""
        self.key = key
        self.reload()

    def query(self):
        """The key given to ``count`` and ``read``."""
        return self.key

    def count_rows(self, ctx, query) -> int:
        """``count(ctx, key)``."""
        return self._count_fn(ctx, query)

    def read_rows(self, ctx, query, offset, limit, total) -> list:
        """``read(ctx, key, offset, limit, total)``."""
        return self._read_fn(ctx, query, offset, limit, total)

    def record_at(self, row: int):
        """The record on ``row`` (None while its page is read)."""
        return self.row_object(row)

    def texts(self, row) -> tuple[str, ...]:
        """The display texts of a record (reader thread)."""
        return tuple(c.text(row) for c in self.columns)

    def cell(self, row, column, role):
        """DisplayRole text, UserRole sort key of the column."""
        col = self.columns[column]
        if role == DISPLAY_ROLE:
            return col.text(row)
        if role == USER_ROLE:
            return col.key(row) if col.key else col.text(row)
        return None
