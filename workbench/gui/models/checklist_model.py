"""Models of the inspection screen: the checklist tree (sections → items) and the evidence table."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.domain.checklist import RESPONSES, ChecklistItem, ScoreSheet, Tally
from workbench.gui.models.history_model import local_time_text

RESPONSE_COLORS = {"compliant": QColor("#2e7d32"), "partial": QColor("#e65100"),
                   "non_compliant": QColor("#c62828"), "not_applicable": QColor("#616161")}
CARRIED_COLOR = QColor("#9e9e9e")
_SECTION = 0  # internalId of section rows; item rows carry their section's row + 1


class ChecklistColumn(IntEnum):
    """Columns of the checklist tree."""

    ITEM = 0
    RESPONSE = 1


CHECKLIST_HEADERS = ("检查项", "结论")


def progress_text(tally: Tally) -> str:
    """``已检查 3/5``."""
    return f"{tally.answered}/{tally.total}"


class ChecklistModel(QAbstractItemModel):
    """The items of one inspection grouped by section, with each item's response.

    Section rows show the title and progress (answered ÷ total of the current round, from the
    inspection service's ``progress``); item rows show code, requirement and the response label.
    Items not to be checked in a re-inspection round are shown greyed as carried (沿用).
    Roles: DisplayRole text; UserRole the section or item code; ForegroundRole the response colour.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._sections: list[tuple[str, str, list[ChecklistItem]]] = []
        self._answers: dict[str, str] = {}
        self._to_check: frozenset[str] = frozenset()
        self._progress: dict[str, Tally] = {}

    def set_checklist(self, state, progress: ScoreSheet) -> None:
        """Show an inspection (``inspection_service.InspectionState``) and its progress sheet."""
        self.beginResetModel()
        by_section: dict[str, list[ChecklistItem]] = {}
        for item in state.items:
            by_section.setdefault(item.section, []).append(item)
        self._sections = [(s.code, s.title, by_section[s.code]) for s in state.template.sections
                          if s.code in by_section]
        self._answers = {code: a.response for code, a in state.answers.items()}
        self._to_check = frozenset(state.round.item_codes)
        self._progress = {s.code: s.tally for s in progress.sections}
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing."""
        self.beginResetModel()
        self._sections, self._answers, self._to_check, self._progress = [], {}, frozenset(), {}
        self.endResetModel()

    def update_answers(self, answers: dict[str, str], progress: ScoreSheet) -> None:
        """New responses (item code → response code) and progress, without a reset."""
        self._answers = dict(answers)
        self._progress = {s.code: s.tally for s in progress.sections}
        if self._sections:
            last = self.index(len(self._sections) - 1, len(CHECKLIST_HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.DisplayRole, Qt.ForegroundRole])
            for row in range(len(self._sections)):
                parent = self.index(row, 0)
                bottom = self.index(self.rowCount(parent) - 1, len(CHECKLIST_HEADERS) - 1, parent)
                self.dataChanged.emit(self.index(0, 0, parent), bottom, [Qt.DisplayRole, Qt.ForegroundRole])

    def item_at(self, index: QModelIndex) -> ChecklistItem | None:
        """The item of an item row; None for a section row or an invalid index."""
        if not index.isValid() or index.internalId() == _SECTION:
            return None
        return self._sections[index.internalId() - 1][2][index.row()]

    def index_of(self, item_code: str) -> QModelIndex:
        """The index (column 0) of an item, invalid when it is not listed."""
        for s_row, (_code, _title, items) in enumerate(self._sections):
            for i_row, item in enumerate(items):
                if item.code == item_code:
                    return self.index(i_row, 0, self.index(s_row, 0))
        return QModelIndex()

    def item_codes(self) -> list[str]:
        """Every item code in display (template) order."""
        return [item.code for _c, _t, items in self._sections for item in items]

    def is_to_check(self, item_code: str) -> bool:
        """True when the item is to be answered in the current round (not carried)."""
        return item_code in self._to_check

    def index(self, row, column, parent=QModelIndex()):  # noqa: B008 - Qt override
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _SECTION)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index=QModelIndex()):  # noqa: B008 - Qt override
        if not index.isValid() or index.internalId() == _SECTION:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _SECTION)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        if not parent.isValid():
            return len(self._sections)
        if parent.internalId() == _SECTION and parent.column() == 0:
            return len(self._sections[parent.row()][2])
        return 0

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return len(CHECKLIST_HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(CHECKLIST_HEADERS):
            return CHECKLIST_HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        item = self.item_at(index)
        if item is None:
            return self._section_data(index, role)
        response = self._answers.get(item.code)
        carried = item.code not in self._to_check
        if role == Qt.DisplayRole and index.column() == ChecklistColumn.ITEM:
            return f"{item.code}  {item.requirement}"
        if role == Qt.DisplayRole:
            label = RESPONSES.get(response, "") if response else ""
            return f"{label}（沿用）" if carried and label else label
        if role == Qt.UserRole:
            return item.code
        if role == Qt.ToolTipRole:
            return item.requirement
        if role == Qt.ForegroundRole:
            color = CARRIED_COLOR if carried else RESPONSE_COLORS.get(response)
            return QBrush(color) if color is not None and (carried or index.column() == ChecklistColumn.RESPONSE) else None
        return None

    def _section_data(self, index, role):
        code, title, items = self._sections[index.row()]
        tally = self._progress.get(code)
        if role == Qt.DisplayRole and index.column() == ChecklistColumn.ITEM:
            return f"{code} {title}"
        if role == Qt.DisplayRole:
            if not any(item.code in self._to_check for item in items):
                return "沿用"  # nothing of this section is re-checked in this round
            return progress_text(tally) if tally else f"—/{len(items)}"
        if role == Qt.UserRole:
            return code
        if role == Qt.ForegroundRole and not any(item.code in self._to_check for item in items):
            return QBrush(CARRIED_COLOR)
        return None


class EvidenceColumn(IntEnum):
    """Columns of the evidence table."""

    NAME = 0
    ITEM = 1
    SIZE = 2
    ADDED = 3


EVIDENCE_HEADERS = ("文件", "检查项", "大小", "添加时间")


def size_text(size: int) -> str:
    """A byte count as ``12.3 KB`` / ``4.5 MB`` (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class EvidenceTableModel(QAbstractTableModel):
    """Evidence records (``inspection_repo.Evidence``) of an inspection; UserRole raw values."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows) -> None:
        """Replace every record (a full reload)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def evidence_at(self, row: int):
        """The evidence record shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(EVIDENCE_HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(EVIDENCE_HEADERS):
            return EVIDENCE_HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ev, column = self._rows[index.row()], EvidenceColumn(index.column())
        if role == Qt.DisplayRole:
            return {EvidenceColumn.NAME: ev.original_name, EvidenceColumn.ITEM: ev.item_code or "（整体）",
                    EvidenceColumn.SIZE: size_text(ev.size),
                    EvidenceColumn.ADDED: local_time_text(ev.created_at)}[column]
        if role == Qt.UserRole:
            return {EvidenceColumn.NAME: ev.original_name, EvidenceColumn.ITEM: ev.item_code,
                    EvidenceColumn.SIZE: ev.size, EvidenceColumn.ADDED: ev.created_at}[column]
        if role == Qt.ToolTipRole:
            return f"SHA-256：{ev.sha256}"
        return None
