"""A table model over a query too large to hold: the first page first, the count after, pages on demand.

A province's lists (300,000 sites, 100,000 findings, tens of thousands of sponsors) are read a
page of :data:`PAGE_SIZE` rows at a time on the reader thread (gui/reader.py), at most
:data:`CACHED_PAGES` pages kept. After a new filter or campaign the first page is read first and
shown at once (``loading`` becomes False, ``first_rows`` is emitted), then the rows are counted
(``counting`` until ``counted(n)``, the table then grows to ``n`` rows): the count of a
1–2 character filter may scan every row, and nobody waits for it to see the first matches. A
new order keeps the count. Changing the filter again drops the reads of the old one
(``session.drop_reads``): a count still running is stopped.

Subclasses say what to read (:meth:`query`, :meth:`count_rows`, :meth:`read_rows`) and how a
row looks (:meth:`texts`, :meth:`cell`). The display texts of a page are made on the reader thread
with the page, so painting and fitting columns (many ``data`` calls per cell) do no work on the
GUI thread beyond a lookup; roles a model does not serve (:attr:`ROLES`) return at once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Signal

PAGE_SIZE = 200
CACHED_PAGES = 8
#: Qt.DisplayRole and Qt.UserRole as ints. Not looked up at import: PySide builds its whole Qt
#: namespace (13 ms) at the first use of one of its enums, and the window's menus import this
#: module before its first rows show, which need nothing else from that namespace (issue 12).
DISPLAY_ROLE, USER_ROLE = 0, 0x0100
_DISPLAY = DISPLAY_ROLE
_INDEX = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel):
    """Rows of :meth:`query` read page by page (see the module docstring).

    Signals:
        first_rows(): the first page of a new filter or order is shown.
        counted(int): the number of matching rows is known (the table has that many rows).
    """

    first_rows = Signal()
    counted = Signal(int)
    #: Roles :meth:`cell` answers besides DisplayRole; any other role is None without a lookup.
    ROLES = frozenset({USER_ROLE})

    def __init__(self, session, headers: Sequence[str], parent=None):
        super().__init__(parent)
        self.session = session
        self.headers = tuple(headers)
        self.loading = False     # the first page of the current query is on its way
        self.counting = False    # the count of the current query is on its way
        self._count = 0
        self._generation = 0
        self._query: Any = None
        self._pages: OrderedDict[int, list] = OrderedDict()
        self._asked: set[int] = set()
        self._quiet = False
        self._group = f"paged-{id(self)}"

    # --- what subclasses provide -----------------------------------------------------------
    def query(self) -> Any:
        """The current filter and order as one immutable value (None: an empty table)."""
        raise NotImplementedError

    @staticmethod
    def count_rows(ctx, query) -> int:
        """How many rows ``query`` matches (reader thread)."""
        raise NotImplementedError

    @staticmethod
    def read_rows(ctx, query, offset: int, limit: int, total: int | None) -> list:
        """Rows ``offset`` .. ``offset + limit`` of ``query`` (reader thread); ``total`` is the
        count when known (a page near the end may then be read backwards from the end)."""
        raise NotImplementedError

    def texts(self, row) -> tuple[str, ...]:
        """The display texts of every column of the row object ``row`` (reader thread: plain
        Python, no Qt objects). Default: :meth:`cell` of DisplayRole per column."""
        return tuple(self.cell(row, c, DISPLAY_ROLE) for c in range(len(self.headers)))

    def cell(self, row, column: int, role: int):
        """What ``data`` returns for ``role`` (one of :attr:`ROLES`) of ``column`` of the row object ``row``."""
        raise NotImplementedError

    def _read_page(self, ctx, query, offset: int, limit: int, total: int | None) -> list[tuple[Any, tuple]]:
        """(row object, display texts) of a page (reader thread)."""
        return [(obj, self.texts(obj)) for obj in self.read_rows(ctx, query, offset, limit, total)]

    # --- reading ---------------------------------------------------------------------------
    def reload(self, keep_count: bool = False) -> None:
        """Read the first page again, then count (unless ``keep_count``: a new order of the same
        rows); forget cached pages. Call after any write, filter or order change."""
        self._generation += 1
        self.session.drop_reads(self._group)
        query = self._query = self.query()
        if query is None:
            self._reset([], 0)
            self.loading = self.counting = False
            self.counted.emit(0)
            return
        generation = self._generation
        known = self._count if keep_count and not self.counting else None
        self.loading, self.counting = True, known is None
        read_rows, count_rows = self._read_page, self.count_rows
        failed = lambda err: self._failed(generation, err)  # noqa: E731
        self.session.read(lambda ctx: read_rows(ctx, query, 0, PAGE_SIZE, known),
                          lambda rows: self._first_page(generation, rows, known), failed, group=self._group)
        if known is None:
            self.session.read(lambda ctx: count_rows(ctx, query),
                              lambda n: self._counted(generation, n), failed, group=self._group)

    def _failed(self, generation: int, err: Exception) -> None:
        """A read of the current query failed: an empty table and the reason, once."""
        if generation != self._generation:
            return
        self._generation += 1   # the other reads of this query are not shown either
        self.session.drop_reads(self._group)
        self._reset([], 0)
        self.loading = self.counting = False
        self.first_rows.emit()
        self.counted.emit(0)
        self.session.show_error("读取数据", err)

    def _reset(self, first: list, count: int) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._asked.clear()
        if first:
            self._pages[0] = first
        self._count = count
        self.endResetModel()

    def _first_page(self, generation: int, rows: list, known: int | None) -> None:
        if generation != self._generation:
            return
        if known is not None:
            count = known
        elif len(rows) < PAGE_SIZE:   # the whole result: the count is known already
            count, self.counting = len(rows), False
        else:
            count = len(rows)         # grows when the count arrives
        self._reset(rows, count)
        self.loading = False
        self.first_rows.emit()
        if not self.counting:
            self.counted.emit(count)

    def _counted(self, generation: int, count: int) -> None:
        if generation != self._generation or not self.counting:
            return
        self.counting = False
        shown = self._count
        if count > shown:
            self.beginInsertRows(QModelIndex(), shown, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < shown:   # rows went away between the page and the count
            self.beginRemoveRows(QModelIndex(), count, shown - 1)
            self._count = count
            self.endRemoveRows()
        self.counted.emit(count)

    def row_object(self, row: int):
        """The row object on ``row``; None outside the table or while its page is read (it is asked for)."""
        entry = self._entry(row)
        return None if entry is None else entry[0]

    def _entry(self, row: int):
        if not 0 <= row < self._count:
            return None
        page_no, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            self._ask(page_no)
            page = self._pages.get(page_no)   # read at once when the session reads inline
            if page is None:
                return None
        self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def is_loaded(self, row: int) -> bool:
        """True when ``row``'s page is in memory."""
        return row // PAGE_SIZE in self._pages

    def cached_rows(self) -> int:
        """How many rows are held in memory now (at most PAGE_SIZE × CACHED_PAGES)."""
        return sum(len(p) for p in self._pages.values())

    def cached(self) -> Iterator[tuple[int, Any]]:
        """(row, row object) of every row in memory."""
        for page_no, page in list(self._pages.items()):
            for i, (obj, _texts) in enumerate(page):
                yield page_no * PAGE_SIZE + i, obj

    def find_cached(self, match: Callable[[Any], bool]) -> int:
        """The first row in memory whose object ``match``es, or -1."""
        return next((row for row, obj in sorted(self.cached(), key=lambda x: x[0]) if match(obj)), -1)

    def _ask(self, page_no: int) -> None:
        if page_no in self._asked:
            return
        self._asked.add(page_no)
        generation, query = self._generation, self._query
        total = None if self.counting else self._count
        read_rows = self._read_page
        self._quiet = True   # an inline read must not signal from inside data()
        try:
            self.session.read(lambda ctx: read_rows(ctx, query, page_no * PAGE_SIZE, PAGE_SIZE, total),
                              lambda rows: self._page_read(generation, page_no, rows), group=self._group)
        finally:
            self._quiet = False

    def _page_read(self, generation: int, page_no: int, rows: list) -> None:
        if generation != self._generation:
            return
        self._asked.discard(page_no)
        self._pages[page_no] = rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        if rows and not self._quiet:
            first = page_no * PAGE_SIZE
            self.dataChanged.emit(self.index(first, 0), self.index(first + len(rows) - 1, len(self.headers) - 1))

    def export_rows(self, ctx, columns: list[int], batch: int = 5000):
        """Every row of the current query as shown, read in batches on ``ctx`` (a worker's
        connection): for 右键 › 导出为 Excel without paging on the GUI thread.

        Yields:
            Lists of the display texts of ``columns``, in the table's order.
        """
        query = self._query
        if query is None:
            return
        offset = 0
        while True:
            rows = self.read_rows(ctx, query, offset, batch, None)
            for obj in rows:
                texts = self.texts(obj)
                yield [texts[c] for c in columns]
            if len(rows) < batch:
                return
            offset += len(rows)

    # --- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        """Rows shown (the count once known; 0 under a valid parent: a flat table)."""
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        """The columns of :attr:`headers`."""
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation, role=DISPLAY_ROLE):  # noqa: N802 - Qt override
        """Column headers in Chinese; row numbers vertically."""
        if role != _DISPLAY:
            return None
        if orientation == QtCore.Qt.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)

    def data(self, index: _INDEX, role: int = DISPLAY_ROLE):
        """The display text, or what :meth:`cell` says for :attr:`ROLES`; None while the row's
        page is read and for other roles."""
        if role != _DISPLAY and role not in self.ROLES:
            return None
        entry = self._entry(index.row())   # None outside the table (an invalid index has row -1)
        if entry is None:
            return None
        return entry[1][index.column()] if role == _DISPLAY else self.cell(entry[0], index.column(), role)
