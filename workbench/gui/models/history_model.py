"""A finding's history (处理记录) as a Qt table model over the findings service's events."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from workbench.domain import finding_status as fs
from workbench.domain.finding import FindingEvent

# The first event of every finding (finding_repo.insert) is recorded with action "create".
EXTRA_ACTION_LABELS = {"create": "登记问题"}


class HistoryColumn(IntEnum):
    """Columns of the history table, in display order."""

    TIME = 0
    ACTION = 1
    STATUS = 2
    REASON = 3
    DEADLINE = 4
    INSPECTOR = 5


HEADERS = ("时间", "操作", "原状态→新状态", "理由", "期限", "检查人员")


def local_time_text(utc_iso: str) -> str:
    """A stored UTC ISO 8601 time as local time with its offset: ``2026-11-30 14:05 +08:00``.

    Text that is not a time is returned unchanged (the record is shown as stored, not hidden).
    """
    try:
        moment = datetime.fromisoformat(utc_iso)
    except ValueError:
        return utc_iso
    local = moment.astimezone()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def action_label(action: str) -> str:
    """The Chinese name of a history action (unknown codes shown as stored)."""
    return fs.ACTION_LABELS.get(action) or EXTRA_ACTION_LABELS.get(action, action)


def status_change_text(event: FindingEvent) -> str:
    """``待整改→整改中``, or just the new status for the creating event."""
    new = fs.STATUS_LABELS.get(event.to_status, event.to_status)
    if event.from_status is None:
        return new
    return f"{fs.STATUS_LABELS.get(event.from_status, event.from_status)}→{new}"


class HistoryModel(QAbstractTableModel):
    """Events of one finding, oldest first. UserRole: the raw value (UTC time, action code...)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._events: list[FindingEvent] = []

    def set_events(self, events: list[FindingEvent]) -> None:
        """Replace every event (a full reload)."""
        self.beginResetModel()
        self._events = list(events)
        self.endResetModel()

    def event_at(self, row: int) -> FindingEvent:
        """The event shown in ``row``."""
        return self._events[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event, column = self._events[index.row()], HistoryColumn(index.column())
        if role == Qt.DisplayRole:
            return self._display(event, column)
        if role == Qt.UserRole:
            return self._raw(event, column)
        if role == Qt.ToolTipRole and column == HistoryColumn.TIME:
            return f"UTC {event.occurred_at}；设备 {event.device}"
        if role == Qt.ToolTipRole and column == HistoryColumn.REASON:
            return event.reason or None
        return None

    def _display(self, event: FindingEvent, column: HistoryColumn) -> str:
        return {
            HistoryColumn.TIME: local_time_text(event.occurred_at),
            HistoryColumn.ACTION: action_label(event.action),
            HistoryColumn.STATUS: status_change_text(event),
            HistoryColumn.REASON: event.reason,
            HistoryColumn.DEADLINE: event.deadline.isoformat() if event.deadline else "",
            HistoryColumn.INSPECTOR: event.inspector,
        }[column]

    def _raw(self, event: FindingEvent, column: HistoryColumn):
        return {
            HistoryColumn.TIME: event.occurred_at,
            HistoryColumn.ACTION: event.action,
            HistoryColumn.STATUS: event.to_status,
            HistoryColumn.REASON: event.reason,
            HistoryColumn.DEADLINE: event.deadline.isoformat() if event.deadline else "",
            HistoryColumn.INSPECTOR: event.inspector,
        }[column]
