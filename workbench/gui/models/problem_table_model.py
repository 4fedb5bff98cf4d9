"""The import problems table (行号, 列, 级别, 说明, 原始值) of the import wizard's report."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.domain.site import Problem

_INDEX = QModelIndex | QPersistentModelIndex
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}
_ERROR = QBrush(QColor("#b00020"))


class Column(IntEnum):
    """Columns of the problems table."""

    ROW = 0
    COLUMN = 1
    SEVERITY = 2
    MESSAGE = 3
    VALUE = 4


HEADERS = ("行号", "列", "级别", "说明", "原始值")


class ProblemTableModel(QAbstractTableModel):
    """The problems of one import (a small list held in memory); errors are shown in red.

    ``Qt.UserRole`` gives the raw value: row number (0 for the whole file), column header,
    severity code, message, original cell text.
    """

    def __init__(self, problems: Sequence[Problem] = (), parent=None):
        super().__init__(parent)
        self._problems: list[Problem] = list(problems)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """Replace the list shown."""
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def problem(self, row: int) -> Problem:
        """The Problem on ``row``."""
        return self._problems[row]

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        """One row per problem."""
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        """The columns of :class:`Column`."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt override
        """Chinese column headers."""
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: _INDEX, role: int = Qt.DisplayRole):
        """Display text, raw values (UserRole), red text for errors, the message as tooltip."""
        if not index.isValid() or not 0 <= index.row() < len(self._problems):
            return None
        p = self._problems[index.row()]
        col = Column(index.column())
        if role == Qt.DisplayRole:
            return _display(p, col)
        if role == Qt.UserRole:
            return _raw(p, col)
        if role == Qt.ForegroundRole and p.severity == "error":
            return _ERROR
        if role == Qt.ToolTipRole and col in (Column.MESSAGE, Column.VALUE):
            return _raw(p, col) or None
        return None


def _raw(p: Problem, col: Column):
    return (p.row or 0, p.column, p.severity, p.message, p.value)[col]


def _display(p: Problem, col: Column) -> str:
    if col == Column.ROW:
        return str(p.row) if p.row is not None else "全文件"
    if col == Column.COLUMN:
        return p.column or "整行"
    if col == Column.SEVERITY:
        return SEVERITY_LABELS.get(p.severity, p.severity)
    return _raw(p, col)
