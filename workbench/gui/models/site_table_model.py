"""The site table's model: a window of rows read on demand, sorted and filtered in SQL.

A campaign may hold a province's sites (300,000 rows). The model knows the row count from
``services.sites.count`` and reads pages of :data:`PAGE_SIZE` rows through ``services.sites.page``
only when the view asks for them, keeping at most :data:`CACHED_PAGES` pages in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.domain.review import CONCLUSIONS
from workbench.services import sites
from workbench.services.context import Context
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
    """Sites of one campaign matching a filter, in a chosen order.

    ``Qt.UserRole`` returns the raw sort value of a cell; ``SITE_ID_ROLE`` the site's id.
    """

    SITE_ID_ROLE = Qt.UserRole + 1

    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.campaign_id: str | None = None
        self.text = ""
        self.unreviewed_only = False
        self.sort_key = DEFAULT_SORT
        self.descending = False
        self._count = 0
        self._pages: OrderedDict[int, list[SiteSummary]] = OrderedDict()

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
        """Re-read the count and forget cached pages (after any write or filter change)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = (
            sites.count(self.ctx, self.campaign_id, self.text, self.unreviewed_only)
            if self.campaign_id else 0
        )
        self.endResetModel()

    def site_id(self, row: int) -> str | None:
        """The id of the site on ``row``, or None outside the table."""
        summary = self.summary(row)
        return summary.id if summary else None

    def summary(self, row: int) -> SiteSummary | None:
        """The SiteSummary on ``row`` (read from the database if its page is not cached)."""
        if not 0 <= row < self._count:
            return None
        page_no, offset = divmod(row, PAGE_SIZE)
        page = self._page(page_no)
        return page[offset] if offset < len(page) else None

    def cached_rows(self) -> int:
        """How many rows are held in memory now (at most PAGE_SIZE × CACHED_PAGES)."""
        return sum(len(p) for p in self._pages.values())

    def _page(self, page_no: int) -> list[SiteSummary]:
        if page_no in self._pages:
            self._pages.move_to_end(page_no)
            return self._pages[page_no]
        rows = sites.page(
            self.ctx, self.campaign_id, text=self.text, unreviewed_only=self.unreviewed_only,
            sort=self.sort_key, descending=self.descending, offset=page_no * PAGE_SIZE, limit=PAGE_SIZE,
        )
        self._pages[page_no] = rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return rows

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
