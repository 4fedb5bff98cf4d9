"""The findings ledger (问题台账) as Qt table models: :class:`LedgerModel` pages through a campaign's
findings in SQL (100,000 at province scale); :class:`FindingTableModel` shows a list in memory."""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.domain import finding_status as fs
from workbench.domain.finding import FindingView
from workbench.domain.severity import SEVERITY_LABELS
from workbench.gui.models.paged_model import PagedTableModel
from workbench.services import findings
from workbench.services.findings import LedgerFilter

OVERDUE_COLOR = QColor("#c62828")
DUE_TODAY_COLOR = QColor("#e65100")
# Sort key of "days left" for closed findings: after every open one, whatever its deadline.
_CLOSED_SORT_KEY = 1_000_000
_UNSERVED_SORT_KEY = 999_999   # not served yet: after every running term, before closed ones
_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


class FindingColumn(IntEnum):
    """Columns of the ledger, in display order."""

    SPONSOR = 0
    SITE_FILING_NO = 1
    CATEGORY = 2
    SEVERITY = 3
    DEADLINE = 4
    DAYS_LEFT = 5
    STATUS = 6
    NOTICE = 7


HEADERS = ("主办单位", "网站备案号", "问题类别", "严重程度", "整改期限", "剩余天数", "状态", "通知书文号")
#: Column → sort key of services.findings (storage.finding_query.SORT_KEYS): sorted in SQL.
SORT_KEYS = ("sponsor", "site_no", "category", "severity", "deadline", "days_left", "status", "notice")
DEFAULT_SORT = "deadline"


def days_left_text(view: FindingView, today: date) -> str:
    """The 剩余天数 cell: ``N 天``, ``今日到期``, ``逾期 N 天``; ``未送达`` before the notice is
    served (the term has not started); ``—`` for closed findings."""
    f = view.finding
    left = fs.days_left_on_term(f.status, f.deadline, today)
    if left is None:
        return "未送达" if f.status == fs.PENDING else "—"
    if left < 0:
        return f"逾期 {-left} 天"
    return "今日到期" if left == 0 else f"{left} 天"


_DEADLINE_COLUMNS = (int(FindingColumn.DAYS_LEFT), int(FindingColumn.DEADLINE))
_CENTRED_COLUMNS = (int(FindingColumn.SEVERITY), int(FindingColumn.DAYS_LEFT))
_CENTRED = int(Qt.AlignCenter)
_OVERDUE_BRUSH = QBrush(OVERDUE_COLOR)
_DUE_TODAY_BRUSH = QBrush(DUE_TODAY_COLOR)


def ledger_cell(view: FindingView, column: int, role: int, today: date):
    """What a ledger cell shows for ``role``: DisplayRole text; ForegroundRole red for overdue open
    findings (orange on the day); UserRole the raw sort key (ISO dates, day counts, severity
    rank); ToolTipRole the description; centred severity and days left."""
    if role == Qt.DisplayRole:
        return _display(view, FindingColumn(column), today)
    if role == Qt.ForegroundRole:
        return _deadline_brush(view, today) if column in _DEADLINE_COLUMNS else None
    if role == Qt.TextAlignmentRole:
        return _CENTRED if column in _CENTRED_COLUMNS else None
    if role == Qt.ToolTipRole:
        return view.finding.description
    if role == Qt.UserRole:
        return _sort_key(view, FindingColumn(column), today)
    return None


class LedgerModel(PagedTableModel):
    """The 问题 screen's ledger: a campaign's findings under a status filter key
    (services.findings.LEDGER_FILTERS) and a text, in a column's order, read page by page on the
    reader thread (gui/models/paged_model.py); "days left" counts from ``session.ctx.today()``.

    ``counted(n)`` gives the rows shown; ``totals`` is (shown, without the text filter) once counted
    (it may be emitted twice: when the first page holds every row, and when the counts arrive).
    """

    def __init__(self, session, parent=None):
        super().__init__(session, HEADERS, parent)
        self.campaign_id: str | None = None
        self.status_key = "all"
        self.text = ""
        self.sort_key = DEFAULT_SORT
        self.descending = False
        self.totals = (0, 0)
        self._today = session.ctx.today()

    def set_filter(self, campaign_id: str | None, status_key: str, text: str) -> None:
        """Show ``campaign_id``'s findings under a status filter key and a text (read again)."""
        self.campaign_id, self.status_key, self.text = campaign_id, status_key, text.strip()
        self.reload()

    def reload(self, keep_count: bool = False) -> None:
        """Read again from the first page (after a save, a filter or a new day)."""
        self._today = self.session.ctx.today()
        super().reload(keep_count)

    def ledger_filter(self) -> LedgerFilter | None:
        """The current filter (None without a campaign)."""
        if not self.campaign_id:
            return None
        return findings.ledger_filter(self.campaign_id, self.status_key, self._today, self.text)

    def query(self):
        """(filter, sort key, descending) or None."""
        f = self.ledger_filter()
        return None if f is None else (f, self.sort_key, self.descending)

    @staticmethod
    def count_rows(ctx, query) -> tuple[int, int]:
        """(shown, without the text) — the model keeps the first as its row count."""
        return findings.ledger_count(ctx, query[0])

    @staticmethod
    def read_rows(ctx, query, offset, limit, total):
        """One page of ledger lines."""
        f, sort, descending = query
        return findings.ledger_page(ctx, f, sort=sort, descending=descending, offset=offset, limit=limit,
                                    total=total)

    def _counted(self, generation: int, count) -> None:
        if generation != self._generation:
            return
        self.totals = count
        if self.counting:
            super()._counted(generation, count[0])
        else:   # the first page held every row; the count without the text arrives now
            self.counted.emit(self._count)

    ROLES = frozenset(int(r) for r in (Qt.UserRole, Qt.ForegroundRole, Qt.ToolTipRole, Qt.TextAlignmentRole))

    def texts(self, row: FindingView) -> tuple[str, ...]:
        """The display texts of a ledger line (reader thread)."""
        return ledger_texts(row, self._today)

    def cell(self, row, column, role):
        """See :func:`ledger_cell`."""
        return ledger_cell(row, column, role, self._today)

    def view_at(self, row: int) -> FindingView | None:
        """The ledger line on ``row`` (None while its page is read)."""
        return self.row_object(row)

    def row_of(self, finding_id: str) -> int:
        """The row of a finding among the rows in memory, or -1 (see :meth:`locate`)."""
        return self.find_cached(lambda v: v.finding.id == finding_id)

    def locate(self, finding_id: str, on_found) -> None:
        """Find the row of a finding in the whole ledger on the reader thread; ``on_found(row)``
        (-1 when the filter hides it)."""
        query, generation = self._query, self._generation
        if query is None:
            on_found(-1)
            return
        f, sort, descending = query

        def found(row: int) -> None:
            if generation == self._generation:
                on_found(row)

        self.session.read(lambda ctx: findings.ledger_position(ctx, f, finding_id, sort, descending), found,
                          group=self._group)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Re-read in another order (in SQL); column -1 means by deadline. The count is kept."""
        self.sort_key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else DEFAULT_SORT
        self.descending = order == Qt.DescendingOrder
        self.reload(keep_count=True)


class FindingTableModel(QAbstractTableModel):
    """Ledger lines held in memory (a short list), as of ``today``; cells as :func:`ledger_cell`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[FindingView] = []
        self._today = date.today()

    def set_rows(self, rows: list[FindingView], today: date) -> None:
        """Replace every line (a full reload) and the day "days left" counts from."""
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today
        self.endResetModel()

    def view_at(self, row: int) -> FindingView:
        """The ledger line shown in ``row``."""
        return self._rows[row]

    def row_of(self, finding_id: str) -> int:
        """The row of a finding, or -1 when it is not listed."""
        return next((i for i, v in enumerate(self._rows) if v.finding.id == finding_id), -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if role == Qt.DisplayRole and orientation == Qt.Vertical:
            return section + 1
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return ledger_cell(self._rows[index.row()], index.column(), role, self._today)


def ledger_texts(view: FindingView, today: date) -> tuple[str, ...]:
    """The display texts of a ledger line, in :class:`FindingColumn` order."""
    f = view.finding
    return (view.sponsor_name, view.site_filing_no, f.category, SEVERITY_LABELS.get(f.severity, f.severity),
            f.deadline.isoformat(), days_left_text(view, today), fs.STATUS_LABELS.get(f.status, f.status),
            view.notice_number)


def _display(view: FindingView, column: FindingColumn, today: date) -> str:
    return ledger_texts(view, today)[column]


def _sort_key(view: FindingView, column: FindingColumn, today: date):
    f = view.finding
    if column == FindingColumn.SEVERITY:
        return _SEVERITY_RANK.get(f.severity, 9)
    if column == FindingColumn.DEADLINE:
        return f.deadline.isoformat()
    if column == FindingColumn.DAYS_LEFT:
        left = fs.days_left_on_term(f.status, f.deadline, today)
        return left if left is not None else _UNSERVED_SORT_KEY if f.status == fs.PENDING else _CLOSED_SORT_KEY
    return _display(view, column, today)


def _deadline_brush(view: FindingView, today: date) -> QBrush | None:
    f = view.finding
    left = fs.days_left_on_term(f.status, f.deadline, today)
    if left is None:
        return None
    if left < 0:
        return _OVERDUE_BRUSH
    return _DUE_TODAY_BRUSH if left == 0 else None
