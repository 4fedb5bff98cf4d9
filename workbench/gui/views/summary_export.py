"""文件 › 导出汇总表 / 导出整改台账 / 导出汇总报告: choose where, then write in the background.

Personal data is masked unless 文件 › 导出时包含完整个人信息 is ticked (``session.include_personal_data``,
off at every start); the choice is recorded inside the file (模板信息 sheet / report colophon).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.gui.dialogs import overwrite_confirmed
from workbench.gui.session import Session
from workbench.gui.workers import TaskWorker
from workbench.reports import safe_file_name
from workbench.services import campaigns, ledger, output_paths, report, summary

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
PDF_FILTER = "PDF 文件 (*.pdf)"

#: kind → (title, file-name suffix, extension, dialog filter, service function)
KINDS = {
    "summary": ("导出汇总表", "汇总表", ".xlsx", XLSX_FILTER, summary.export_summary),
    "ledger": ("导出整改台账", "整改台账", ".xlsx", XLSX_FILTER, ledger.export_ledger),
    "report": ("导出汇总报告", "汇总报告", ".pdf", PDF_FILTER, report.export_report),
}


def export_campaign_file(session: Session, kind: str, on_written: Callable[[Path], None]) -> None:
    """Ask where to save the chosen campaign's ``kind`` file (extension added when missing),
    then write it in the background (the save dialog has already asked about overwriting). The
    campaign's name (for the suggested file name) is read on the reader thread first, the output
    path checked on the worker.

    Args:
        kind: ``summary`` (汇总表), ``ledger`` (整改台账) or ``report`` (汇总报告 PDF).
        on_written: called on the GUI thread with the written path.
    """
    title = KINDS[kind][0]
    cid = session.campaign_id
    if cid is None:
        session.dialogs.info(title, "请先选择一个检查任务。")
        return
    session.read(lambda ctx: campaigns.get_campaign(ctx, cid).name,
                 lambda name: _ask_and_write(session, kind, cid, name, on_written),
                 lambda err: session.show_error(title, err))


def _ask_and_write(session: Session, kind: str, cid: str, name: str, on_written) -> TaskWorker | None:
    title, suffix, extension, filters, export = KINDS[kind]
    suggested = str(Path(session.last_folder) / f"{safe_file_name(name, suffix)}_{suffix}{extension}")
    chosen = session.dialogs.save_file(title, suggested, filters)
    if chosen is None:
        return None
    out = chosen if chosen.suffix.lower() == extension else chosen.with_name(chosen.name + extension)
    if not overwrite_confirmed(session.dialogs, chosen, out):
        return None
    session.remember_folder(out)
    include = session.include_personal_data

    def task(ctx, cancel, on_progress):
        # the dialogs asked about overwriting: force; the database, backups, evidence stay refused
        output_paths.check_output(ctx, out, force=True)
        return export(ctx, cid, out, include_personal_data=include, cancel=cancel, on_progress=on_progress)

    return session.run_task(title, task, on_written)


def export_summary(session: Session, on_written: Callable[[Path], None]) -> None:
    """文件 › 导出汇总表 (Ctrl+E): :func:`export_campaign_file` with ``summary``."""
    export_campaign_file(session, "summary", on_written)
