"""The site table's model: a window of rows read on demand, sorted and filtered in SQL.

A campaign may hold a province's sites (300,000 rows). The model knows the row count from
``services.sites.count`` and reads pages of :data:`PAGE_SIZE` rows through ``services.sites.page``
only when the view asks for them, keeping at most :data:`CACHED_PAGES` pages in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from workbench.domain.review import CONCLUSIONS
from workbench.services import sites
from workbench.services.context import Context  # noqa: TC001 - export_rows runs on a worker's context
from workbench.services.sites import SiteSummary

PAGE_SIZE = 200
CACHED_PAGES = 8
_GREY = QBrush(QColor("#8a8a8a"))
_INDEX = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """Columns of the site table."""

    SITE_FILING_NO = 0
    SITE_NAME = 1
    SPONSOR = 2
    DOMAINS = 3
    ACCESS_PROVIDER = 4
    CITY = 5
    CONCLUSION = 6
    FLAGS = 7


HEADERS = ("网站备案号", "网站名称", "主办单位", "域名", "接入服务商", "地市", "核查结论", "提示")
# Column → key of services.sites.SORT_KEYS (sorting happens in SQL, never in Python).
SORT_KEYS = ("site_filing_no", "site_name", "sponsor_name", "domains", "access_provider", "city",
             "conclusion", "flags")
DEFAULT_SORT = "source_row"  # import order


class SiteTableModel(QAbstractTableModel):
    """Sites of one campaign matching a filter, in a chosen order, read off the GUI thread.

    ``session.read`` runs the count and each page on the reader thread (gui/reader.py): a new
    filter or order first counts (``counted(n)`` when known, the table is then reset), and a page
    is asked for when the view first shows one of its rows (empty cells until it arrives, then
    ``dataChanged``). ``loading`` is True while a count is on its way.

    ``Qt.UserRole`` returns the raw sort value of a cell; ``SITE_ID_ROLE`` the site's id.
    """

    SITE_ID_ROLE = Qt.UserRole + 1
    counted = Signal(int)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.campaign_id: str | None = None
        self.text = ""
        self.unreviewed_only = False
        self.sort_key = DEFAULT_SORT
        self.descending = False
        self.loading = False
        self._count = 0
        self._generation = 0
        self._pages: OrderedDict[int, list[SiteSummary]] = OrderedDict()
        self._asked: set[int] = set()
        self._quiet = False

    # --- what is shown -------------------------------------------------------------------
    def set_campaign(self, campaign_id: str | None) -> None:
        """Show the sites of another campaign (None: an empty table)."""
        self.campaign_id = campaign_id
        self.reload()

    def set_filter(self, text: str = "", unreviewed_only: bool | None = None) -> None:
        """Filter by substring (filing number, names, domains, provider, city) and review state."""
        self.text = text
        if unreviewed_only is not None:
            self.unreviewed_only = unreviewed_only
        self.reload()

    def reload(self) -> None:
        """Count again and forget cached pages (after any write, filter or order change)."""
        self._generation += 1
        if not self.campaign_id:
            self._counted(self._generation, 0)
            return
        self.loading = True
        generation, args = self._generation, (self.campaign_id, self.text, self.unreviewed_only)
        self.session.read(lambda ctx: sites.count(ctx, *args),
                          lambda n: self._counted(generation, n), key=f"sites-count-{id(self)}")

    def _counted(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._pages.clear()
        self._asked.clear()
        self._count = count
        self.loading = False
        self.endResetModel()
        self.counted.emit(count)

    def site_id(self, row: int) -> str | None:
        """The id of the site on ``row``, or None outside the table (or while its page loads)."""
        summary = self.summary(row)
        return summary.id if summary else None

    def summary(self, row: int) -> SiteSummary | None:
        """The SiteSummary on ``row``; None while its page is being read (it is asked for)."""
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

    def _ask(self, page_no: int) -> None:
        if page_no in self._asked:
            return
        self._asked.add(page_no)
        generation = self._generation
        args = dict(text=self.text, unreviewed_only=self.unreviewed_only, sort=self.sort_key,
                    descending=self.descending, offset=page_no * PAGE_SIZE, limit=PAGE_SIZE, total=self._count)
        campaign_id = self.campaign_id
        self._quiet = True   # an inline read must not signal from inside data()
        try:
            self.session.read(lambda ctx: sites.page(ctx, campaign_id, **args),
                              lambda rows: self._page_read(generation, page_no, rows))
        finally:
            self._quiet = False

    def _page_read(self, generation: int, page_no: int, rows: list[SiteSummary]) -> None:
        if generation != self._generation:
            return
        self._asked.discard(page_no)
        self._pages[page_no] = rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        if rows and not self._quiet:
            first = page_no * PAGE_SIZE
            self.dataChanged.emit(self.index(first, 0), self.index(first + len(rows) - 1, len(HEADERS) - 1))

    def export_rows(self, ctx: Context, columns: list[int], batch: int = 5000):
        """Every row matching the current filter and order, as shown, read in batches on
        ``ctx`` (a worker's connection): for 右键 › 导出为 Excel without paging on the GUI thread.

        Yields:
            Lists of display texts of ``columns`` (Column values), in the table's order.
        """
        if not self.campaign_id:
            return
        offset = 0
        while True:
            rows = sites.page(ctx, self.campaign_id, text=self.text, unreviewed_only=self.unreviewed_only,
                              sort=self.sort_key, descending=self.descending, offset=offset, limit=batch)
            for s in rows:
                yield [_display(s, Column(c)) for c in columns]
            if len(rows) < batch:
                return
            offset += len(rows)

    # --- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        """Rows matching the filter (0 under a valid parent: this is a flat table)."""
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        """The columns of :class:`Column`."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        """Column headers in Chinese; row numbers vertically."""
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return str(section + 1)

    def data(self, index: _INDEX, role: int = Qt.DisplayRole):
        """Cell text, tooltip, grey for sites no longer in the list, raw sort key, site id."""
        if not index.isValid():
            return None
        s = self.summary(index.row())
        if s is None:
            return None
        col = Column(index.column())
        if role == Qt.DisplayRole:
            return _display(s, col)
        if role == Qt.ToolTipRole:
            return _tooltip(s, col)
        if role == Qt.ForegroundRole and not s.present:
            return _GREY
        if role == Qt.UserRole:
            return _raw(s, col)
        if role == self.SITE_ID_ROLE:
            return s.id
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Re-read in another order (in SQL); column -1 means import order."""
        self.sort_key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else DEFAULT_SORT
        self.descending = order == Qt.DescendingOrder
        self.reload()


def _display(s: SiteSummary, col: Column) -> str:
    if col == Column.CONCLUSION:
        return CONCLUSIONS.get(s.conclusion, s.conclusion) if s.conclusion else "未核查"
    if col == Column.FLAGS:
        return str(len(s.flags)) if s.flags else ""
    return _raw(s, col)


def _raw(s: SiteSummary, col: Column):
    values = {
        Column.SITE_FILING_NO: s.site_filing_no, Column.SITE_NAME: s.site_name,
        Column.SPONSOR: s.sponsor_name, Column.DOMAINS: s.domains,
        Column.ACCESS_PROVIDER: s.access_provider, Column.CITY: s.city,
        Column.CONCLUSION: s.conclusion, Column.FLAGS: len(s.flags),
    }
    return values[col]


def _tooltip(s: SiteSummary, col: Column) -> str | None:
    if not s.present:
        return "该网站不在最近一次导入的名单中"
    if col == Column.FLAGS and s.flags:
        return "导入提示：\n" + "\n".join(sites.flag_labels(s.flags))
    if col in (Column.SITE_NAME, Column.SPONSOR, Column.DOMAINS, Column.ACCESS_PROVIDER):
        return _raw(s, col) or None
    return None
