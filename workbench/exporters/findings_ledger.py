"""The findings ledger workbook (整改台账): every finding with its notice, deadline and history."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from workbench.domain.progress import Progress, check_cancel
from workbench.exporters.cells import Styled, write_table, write_workbook
from workbench.exporters.sheet_extras import write_info_sheet
from workbench.exporters.summary import DAYS_LEFT_FORMAT, highlight_overdue_rows

HEADERS = (
    "序号", "主办单位", "网站备案号", "网站名称", "问题类别", "问题描述", "严重程度", "法律依据",
    "整改要求", "通知书文号", "送达日期", "整改期限", "剩余天数", "状态", "复查结果", "处理记录",
)
SHEET_TITLE = "整改台账"
_REPORT_EVERY = 1000


@dataclass(frozen=True)
class LedgerLine:
    """One finding as the ledger shows it; labels already in Chinese.

    ``days_left``: calendar days from the export day to the deadline, negative = overdue, None
    once closed or withdrawn. ``served_on``: the day the latest 整改通知书 was served (None: not
    yet). ``reinspection``: e.g. ``复查通过（2026-04-02）`` or ''. ``history``: one line per
    recorded step, oldest first.
    """

    sponsor_name: str
    site_filing_no: str
    site_name: str
    category: str
    description: str
    severity_label: str
    legal_basis: str
    requirement: str
    notice_number: str
    served_on: date | None
    deadline: date
    days_left: int | None
    status_label: str
    reinspection: str
    history: str


def ledger_cells(index: int, line: LedgerLine) -> tuple:
    """The row of one ledger line in :data:`HEADERS` order (序号 = ``index``)."""
    overdue = line.days_left is not None and line.days_left < 0
    return (
        index, line.sponsor_name, line.site_filing_no, line.site_name, line.category,
        line.description, line.severity_label, line.legal_basis, line.requirement,
        line.notice_number, line.served_on, line.deadline,
        Styled(line.days_left, alert=overdue, number_format=DAYS_LEFT_FORMAT),
        line.status_label, line.reinspection, line.history,
    )


def write_findings_ledger(lines: Iterable[LedgerLine], out: Path, *, title: str,
                          info: Sequence[tuple[str, str]] = (), total: int | None = None,
                          cancel: threading.Event | None = None,
                          on_progress: Callable[[Progress], None] | None = None) -> Path:
    """Write the 整改台账 workbook, streaming: ``lines`` is consumed once and never held.

    Sheets: 整改台账 (``title`` in row 1, header in row 2, one row per finding in the given
    order; 剩余天数 is a number shown as ``N天`` / red ``逾期N天``, and overdue rows are
    highlighted by a conditional format; printed as every table, see
    :func:`~workbench.exporters.cells.write_table`) and 模板信息 (``info`` lines, e.g. the
    personal-data choice) when ``info`` is given.

    Args:
        lines: the ledger lines, e.g. a generator over a database cursor.
        out: target .xlsx path, replaced atomically.
        title: row-1 title, e.g. ``2026年专项检查整改台账``.
        info: lines of the 模板信息 sheet.
        total: number of lines if known (for progress).
        cancel: set it to stop (raises ``Cancelled``; ``out`` untouched).
        on_progress: called with Progress(done, total, message) every 1,000 rows.

    Returns:
        ``out`` as a Path.

    Raises:
        Cancelled: ``cancel`` was set.
        WorkbenchError: folder missing or read-only, or the file is open in another program.
    """

    def rows() -> Iterator[tuple]:
        for index, line in enumerate(lines, 1):
            if index % _REPORT_EVERY == 0:
                check_cancel(cancel)
                if on_progress is not None:
                    on_progress(Progress(index, total or 0, "正在写入整改台账"))
            yield ledger_cells(index, line)

    def fill(wb: Workbook) -> None:
        ws = wb.create_sheet(SHEET_TITLE)
        count = write_table(ws, HEADERS, rows(), title=title)
        highlight_overdue_rows(ws, HEADERS, header_row=2, count=count)
        if info:
            write_info_sheet(wb, info)
        check_cancel(cancel)

    written = write_workbook(out, fill)
    if on_progress is not None:
        on_progress(Progress(total or 0, total or 0, "已保存"))
    return written
