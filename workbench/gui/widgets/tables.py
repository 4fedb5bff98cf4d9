"""The read-only record table every list screen uses (rows selected whole, no editing)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QToolTip

MAX_COLUMN_WIDTH = 260   # pixels: wider text is elided ("…") with the full text as a tooltip


def record_table(model: QAbstractItemModel, *, several: bool = False) -> QTableView:
    """A QTableView over ``model``: whole-row single selection (``several``: Ctrl/Shift extend
    it), no in-place editing, alternating rows, no row numbers, the last column stretched."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.ExtendedSelection if several else QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    show_elided_text_as_tooltip(table)
    return table


class _ElidedTips(QObject):
    """Shows a cell's whole text as a tooltip when the column is too narrow for it (and the model
    gives no tooltip of its own)."""

    def eventFilter(self, viewport, event) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.ToolTip:
            return False
        table: QTableView = viewport.parent()
        index = table.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ToolTipRole):
            return False
        text = index.data(Qt.DisplayRole)
        if not isinstance(text, str) or not text:
            return False
        needed = table.fontMetrics().horizontalAdvance(text) + 12
        if needed <= table.visualRect(index).width():
            QToolTip.hideText()
            return True
        QToolTip.showText(event.globalPos(), text, viewport)
        return True


def show_elided_text_as_tooltip(table: QTableView) -> None:
    """Let ``table`` show the whole text of an elided cell as its tooltip."""
    tips = _ElidedTips(table)
    table.viewport().installEventFilter(tips)
    table._elided_tips = tips   # keep it alive with the table


#: Rows looked at when fitting columns to their contents (Qt's default is 1,000): the visible
#: rows and more, about two screens of a 1366×768 laptop. Each row measured costs the GUI thread:
#: 200 rows froze a screen's first showing for 60–90 ms at province scale (issue 12).
FIT_ROWS = 50


def fit_columns(table: QTableView, max_width: int = MAX_COLUMN_WIDTH) -> None:
    """Size the columns to their contents but none wider than ``max_width`` (long text elides),
    so the columns after a long one stay on screen. Leaves columns the user sized alone."""
    if table.property("wb_user_sized"):
        return
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(FIT_ROWS)   # not all 100,000 rows of a province
    table.resizeColumnsToContents()
    for i in range(header.count()):
        if header.sectionSize(i) > max_width:
            header.resizeSection(i, max_width)


def decisive_first(table: QTableView, titles: tuple[str, ...]) -> None:
    """Show the columns headed ``titles`` (in that order) right after the first column, where they
    stay visible on a narrow screen. Unknown titles are ignored."""
    model, header = table.model(), table.horizontalHeader()
    heads = [model.headerData(i, Qt.Horizontal, Qt.DisplayRole) for i in range(model.columnCount())]
    for place, title in enumerate(titles, start=1):
        if title in heads:
            header.moveSection(header.visualIndex(heads.index(title)), place)


def remember_columns(table: QTableView, config_dir: Path, key: str) -> None:
    """Restore the column widths and order the user left under ``key`` (in ``window.ini`` of
    ``config_dir``) and save them whenever the user drags a column edge or moves a column."""
    header: QHeaderView = table.horizontalHeader()
    settings = QSettings(str(Path(config_dir) / "window.ini"), QSettings.IniFormat)
    name = f"columns/{key}"
    state = settings.value(name)
    if state is not None and header.restoreState(state):
        table.setProperty("wb_user_sized", True)

    def save() -> None:
        table.setProperty("wb_user_sized", True)
        settings.setValue(name, header.saveState())
        settings.sync()

    def resized(*_args) -> None:
        if QGuiApplication.mouseButtons() != Qt.NoButton:   # a drag, not fit_columns
            save()

    header.sectionResized.connect(resized)
    header.sectionMoved.connect(lambda *_args: save())
