"""文件 › 导出汇总表: choose where, then write the campaign's summary workbook in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.gui.dialogs import overwrite_confirmed
from workbench.gui.session import Session
from workbench.gui.workers import TaskWorker
from workbench.reports import safe_file_name
from workbench.services import campaigns, output_paths, summary

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def export_summary(session: Session, on_written: Callable[[Path], None]) -> TaskWorker | None:
    """Ask where to save the chosen campaign's summary (.xlsx added when missing) and write it.

    Args:
        on_written: called on the GUI thread with the written path.

    Returns:
        The running worker; None when no campaign is chosen or the user cancelled the dialog.
    """
    cid = session.campaign_id
    if cid is None:
        session.dialogs.info("导出汇总表", "请先选择一个检查任务。")
        return None
    name = campaigns.get_campaign(session.ctx, cid).name
    suggested = str(Path(session.last_folder) / f"{safe_file_name(name, '汇总表')}_汇总表.xlsx")
    chosen = session.dialogs.save_file("导出汇总表", suggested, XLSX_FILTER)
    if chosen is None:
        return None
    out = chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_name(chosen.name + ".xlsx")
    if not overwrite_confirmed(session.dialogs, chosen, out):
        return None
    try:   # the dialogs asked about overwriting: force; the database and its files stay refused
        output_paths.check_output(session.ctx, out, force=True)
    except WorkbenchError as err:
        session.show_error("导出汇总表", err)
        return None
    session.remember_folder(out)

    def task(ctx, cancel, on_progress):
        return summary.export_summary(ctx, cid, out, cancel=cancel, on_progress=on_progress)

    return session.run_task("导出汇总表", task, on_written)
