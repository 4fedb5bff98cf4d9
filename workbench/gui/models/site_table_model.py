"""The site table's model: a window of rows read on demand, sorted and filtered in SQL.

A campaign may hold a province's sites (300,000 rows). The model (gui/models/paged_model.py)
reads pages of :data:`PAGE_SIZE` rows through ``services.sites.page`` only when the view asks for
them, the first page of a filter first and ``services.sites.count`` after, keeping at most
:data:`CACHED_PAGES` pages in memory.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from workbench.domain.review import CONCLUSIONS
from workbench.gui.models.paged_model import CACHED_PAGES, PAGE_SIZE, PagedTableModel
from workbench.services import sites
from workbench.services.sites import SiteSummary

__all__ = ["CACHED_PAGES", "DEFAULT_SORT", "HEADERS", "PAGE_SIZE", "SORT_KEYS", "Column", "SiteTableModel"]
_GREY = QBrush(QColor("#8a8a8a"))


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


class SiteTableModel(PagedTableModel):
    """Sites of one campaign matching a filter, in a chosen order, read off the GUI thread.

    A :class:`PagedTableModel`: a new filter shows its first page as soon as it is read
    (``loading`` until then, ``first_rows``), the count follows (``counting``, ``counted(n)``);
    a page is asked for when the view first shows one of its rows (empty cells until it
    arrives, then ``dataChanged``); a new order keeps the count.

    ``Qt.UserRole`` returns the raw sort value of a cell; ``SITE_ID_ROLE`` the site's id.
    """

    SITE_ID_ROLE = Qt.UserRole + 1
    ROLES = frozenset(int(r) for r in (Qt.ToolTipRole, Qt.ForegroundRole, Qt.UserRole, Qt.UserRole + 1))

    def __init__(self, session, parent=None):
        super().__init__(session, HEADERS, parent)
        self.campaign_id: str | None = None
        self.text = ""
        self.unreviewed_only = False
        self.sort_key = DEFAULT_SORT
        self.descending = False

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

    def query(self):
        """(campaign, text, unreviewed only, sort key, descending) or None without a campaign."""
        if not self.campaign_id:
            return None
        return (self.campaign_id, self.text, self.unreviewed_only, self.sort_key, self.descending)

    @staticmethod
    def count_rows(ctx, query) -> int:
        """Sites matching the filter (services.sites.count)."""
        campaign_id, text, unreviewed_only, _sort, _desc = query
        return sites.count(ctx, campaign_id, text, unreviewed_only)

    @staticmethod
    def read_rows(ctx, query, offset, limit, total) -> list[SiteSummary]:
        """One page of SiteSummary (services.sites.page)."""
        campaign_id, text, unreviewed_only, sort, descending = query
        return sites.page(ctx, campaign_id, text=text, unreviewed_only=unreviewed_only, sort=sort,
                          descending=descending, offset=offset, limit=limit, total=total)

    def texts(self, row: SiteSummary) -> tuple[str, ...]:
        """The display texts of a site (reader thread)."""
        return tuple(_display(row, c) for c in Column)

    def cell(self, row: SiteSummary, column: int, role: int):
        """Tooltip, grey for sites no longer in the list, raw sort key, site id."""
        col = Column(column)
        if role == Qt.ToolTipRole:
            return _tooltip(row, col)
        if role == Qt.ForegroundRole:
            return None if row.present else _GREY
        if role == Qt.UserRole:
            return _raw(row, col)
        if role == self.SITE_ID_ROLE:
            return row.id
        return None

    def site_id(self, row: int) -> str | None:
        """The id of the site on ``row``, or None outside the table (or while its page loads)."""
        summary = self.summary(row)
        return summary.id if summary else None

    def summary(self, row: int) -> SiteSummary | None:
        """The SiteSummary on ``row``; None while its page is being read (it is asked for)."""
        return self.row_object(row)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Re-read in another order (in SQL); column -1 means import order. The count is kept."""
        self.sort_key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else DEFAULT_SORT
        self.descending = order == Qt.DescendingOrder
        self.reload(keep_count=True)


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
