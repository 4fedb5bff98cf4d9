"""右键 › 导出为 Excel: any table writes what it shows — its filter, its sort, its visible columns.

Rows of an in-memory model are read on the GUI thread (they are already there); a model that
reads from the database page by page (the site table, up to 300,000 rows) offers
``export_rows(ctx, columns)`` instead, which the background task iterates on its own connection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QAbstractProxyModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTableView

from workbench.gui.session import Session
from workbench.gui.workers import TaskWorker
from workbench.reports import safe_file_name
from workbench.services import campaigns, table_export

ACTION_TEXT = "导出为 Excel（当前筛选和排序）…"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def install_table_export(table: QTableView, session: Session, screen: str,
                         describe_filter: Callable[[], str] | None = None) -> QAction:
    """Give ``table`` a context-menu action exporting what it shows; returns the action.

    Args:
        screen: where the table is, e.g. ``问题 › 问题台账`` (sheet name and 模板信息).
        describe_filter: returns the screen's filter in words (e.g. ``状态：逾期``), if any.
    """
    action = QAction(ACTION_TEXT, table)
    action.triggered.connect(lambda: export_table_view(table, session, screen, describe_filter))
    table.setContextMenuPolicy(Qt.ActionsContextMenu)
    table.addAction(action)
    return action


def export_table_view(table: QTableView, session: Session, screen: str,
                      describe_filter: Callable[[], str] | None = None,
                      on_written: Callable[[Path], None] | None = None) -> TaskWorker | None:
    """Ask where to save, then write the table's visible rows and columns in the background.

    Returns:
        The running worker; None when the table is empty or the user cancelled.
    """
    model = table.model()
    title = "导出表格"
    if model is None or model.rowCount() == 0:
        session.dialogs.info(title, "表格中没有可导出的内容。")
        return None
    header = table.horizontalHeader()
    columns = [header.logicalIndex(v) for v in range(header.count())
               if not header.isSectionHidden(header.logicalIndex(v))]
    headers = [str(model.headerData(c, Qt.Horizontal) or "") for c in columns]
    name = screen.split("›")[-1].strip()
    suggested = str(Path(session.last_folder) / f"{safe_file_name(name, '表格')}.xlsx")
    out = session.dialogs.save_file(title, suggested, XLSX_FILTER)
    if out is None:
        return None
    out = out if out.suffix.lower() == ".xlsx" else out.with_name(out.name + ".xlsx")
    if session.is_database(out):
        session.dialogs.warn(title, f"不能把导出文件保存到正在使用的数据库文件上：\n{out}")
        return None
    session.remember_folder(out)
    notes = [n for n in ((describe_filter() if describe_filter else ""), _sort_note(table, model)) if n]
    cid = session.campaign_id
    source = _database_source(model)
    total = model.rowCount()
    rows = None if source is not None else [[_value(model.index(r, c)) for c in columns]
                                              for r in range(total)]
    include = session.include_personal_data

    def task(ctx, cancel, on_progress):
        campaign = campaigns.get_campaign(ctx, cid).name if cid else ""
        data = source.export_rows(ctx, columns) if source is not None else rows
        return table_export.export_table(
            ctx, headers, data, out, screen=screen, campaign_name=campaign,
            filter_note="；".join(notes), include_personal_data=include, total=total,
            cancel=cancel, on_progress=on_progress)

    def done(path: Path) -> None:
        session.dialogs.info(title, f"已导出 {total} 行到：\n{path}")
        if on_written is not None:
            on_written(path)

    return session.run_task(title, task, done)


def _database_source(model):
    """The database-backed model under ``model`` when no proxy filters or re-sorts its rows."""
    while isinstance(model, QAbstractProxyModel):
        if isinstance(model, QSortFilterProxyModel) and (
                model.filterRegularExpression().pattern() or model.sortColumn() >= 0):
            return None
        model = model.sourceModel()
    return model if callable(getattr(model, "export_rows", None)) else None


def _sort_note(table: QTableView, model) -> str:
    header = table.horizontalHeader()
    if not table.isSortingEnabled() or header.sortIndicatorSection() < 0:
        return ""
    section = header.sortIndicatorSection()
    if section >= model.columnCount():
        return ""
    order = "升序" if header.sortIndicatorOrder() == Qt.AscendingOrder else "降序"
    return f"按“{model.headerData(section, Qt.Horizontal)}”{order}"


def _value(index):
    """The cell as shown; whole numbers and ISO dates as real numbers and dates in Excel."""
    text = index.data(Qt.DisplayRole)
    if not isinstance(text, str):
        return text
    stripped = text.strip()
    if stripped.lstrip("-").isdigit() and len(stripped) < 12 and not stripped.startswith("0"):
        return int(stripped)
    if len(stripped) == 10 and stripped[4] == "-" and stripped[7] == "-":
        try:
            return date.fromisoformat(stripped)
        except ValueError:
            return text
    return text
