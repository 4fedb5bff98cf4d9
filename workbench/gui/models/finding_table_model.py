"""The findings ledger (问题台账) as a Qt table model over ledger lines from the findings service."""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.domain import finding_status as fs
from workbench.domain.finding import FindingView
from workbench.domain.severity import SEVERITY_LABELS

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


class FindingTableModel(QAbstractTableModel):
    """Ledger lines (:class:`FindingView`) of one campaign, as of ``today`` (local calendar day).

    Roles: DisplayRole text; ForegroundRole red for overdue open findings (orange on the day);
    UserRole the raw sort key (ISO dates, day counts, severity rank); ToolTipRole the description.
    """

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
        view, column = self._rows[index.row()], FindingColumn(index.column())
        if role == Qt.DisplayRole:
            return self._display(view, column)
        if role == Qt.UserRole:
            return self._sort_key(view, column)
        if role == Qt.ForegroundRole and column in (FindingColumn.DAYS_LEFT, FindingColumn.DEADLINE):
            return self._deadline_brush(view)
        if role == Qt.ToolTipRole:
            return view.finding.description
        if role == Qt.TextAlignmentRole and column in (FindingColumn.SEVERITY, FindingColumn.DAYS_LEFT):
            return int(Qt.AlignCenter)
        return None

    def _display(self, view: FindingView, column: FindingColumn) -> str:
        f = view.finding
        return {
            FindingColumn.SPONSOR: view.sponsor_name,
            FindingColumn.SITE_FILING_NO: view.site_filing_no,
            FindingColumn.CATEGORY: f.category,
            FindingColumn.SEVERITY: SEVERITY_LABELS.get(f.severity, f.severity),
            FindingColumn.DEADLINE: f.deadline.isoformat(),
            FindingColumn.DAYS_LEFT: days_left_text(view, self._today),
            FindingColumn.STATUS: fs.STATUS_LABELS.get(f.status, f.status),
            FindingColumn.NOTICE: view.notice_number,
        }[column]

    def _sort_key(self, view: FindingView, column: FindingColumn):
        f = view.finding
        if column == FindingColumn.SEVERITY:
            return _SEVERITY_RANK.get(f.severity, 9)
        if column == FindingColumn.DEADLINE:
            return f.deadline.isoformat()
        if column == FindingColumn.DAYS_LEFT:
            left = fs.days_left_on_term(f.status, f.deadline, self._today)
            return left if left is not None else _UNSERVED_SORT_KEY if f.status == fs.PENDING else _CLOSED_SORT_KEY
        return self._display(view, column)

    def _deadline_brush(self, view: FindingView) -> QBrush | None:
        f = view.finding
        left = fs.days_left_on_term(f.status, f.deadline, self._today)
        if left is None:
            return None
        if left < 0:
            return QBrush(OVERDUE_COLOR)
        return QBrush(DUE_TODAY_COLOR) if left == 0 else None
