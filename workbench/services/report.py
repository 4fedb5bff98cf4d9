"""The campaign summary report (汇总报告, PDF) for the 文件 menu and ``workbench export report``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from workbench.domain import finding_status as fs
from workbench.domain.progress import Progress, check_cancel
from workbench.reports.summary_report import (
    MAX_OVERDUE_ROWS,
    OverdueLine,
    SummaryReport,
    write_summary_report,
)
from workbench.services import summary
from workbench.services.context import Context
from workbench.storage import summary_query


def build_report(ctx: Context, campaign_id: str, *, include_personal_data: bool = False) -> SummaryReport:
    """The report's content: the campaign's figures (services.summary.figures), its longest
    overdue findings (at most MAX_OVERDUE_ROWS, most overdue first) and the colophon with the
    personal-data choice. Nothing printed holds contact data; the choice is recorded all the same.
    """
    figs = summary.figures(ctx, campaign_id)
    today = figs.as_of
    rows = summary_query.overdue_findings(ctx.conn, campaign_id, tuple(sorted(fs.TERM_RUNNING_STATUSES)),
                                          today, MAX_OVERDUE_ROWS)
    lines = [OverdueLine(sponsor, site_no, category, deadline, (today - deadline).days, number)
             for sponsor, site_no, category, deadline, number in rows]
    colophon = summary.export_info(ctx, "汇总报告", figs, include_personal_data)
    return SummaryReport(figs, lines, colophon, summary.ACCURACY_ALERT_BELOW, today)


def export_report(ctx: Context, campaign_id: str, out: Path, *, include_personal_data: bool = False,
                  cancel: threading.Event | None = None,
                  on_progress: Callable[[Progress], None] | None = None) -> Path:
    """Write the campaign's summary report PDF to ``out`` atomically; returns the path.

    Raises:
        NotFoundError: no such campaign.
        FontError: no usable Chinese font.
        WorkbenchError: the file cannot be written.
        Cancelled: ``cancel`` was set before the PDF was written.
    """
    if on_progress is not None:
        on_progress(Progress(0, 2, "正在统计"))
    report = build_report(ctx, campaign_id, include_personal_data=include_personal_data)
    check_cancel(cancel)
    if on_progress is not None:
        on_progress(Progress(1, 2, "正在排版"))
    written = write_summary_report(report, out)
    if on_progress is not None:
        on_progress(Progress(2, 2, "已保存"))
    return written
