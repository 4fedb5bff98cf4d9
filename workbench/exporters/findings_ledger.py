"""The findings ledger (问题台账): every finding with its deadline and rectification state."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from workbench.exporters.cells import write_table, write_workbook
from workbench.exporters.summary import FINDING_HEADERS, FindingLine, finding_cells

HEADERS = ("序号", *FINDING_HEADERS)
SHEET_TITLE = "问题台账"


def write_findings_ledger(findings: Sequence[FindingLine], out: Path, *, title: str) -> Path:
    """Write the findings ledger (问题台账) as a one-sheet workbook ready to print.

    Layout: ``title`` in row 1, then 序号 (1-based) and the columns of the summary's 问题清单
    (主办单位 … 通知书文号); 剩余天数 shows "逾期N天" in red for overdue findings. Printed
    landscape, fitted to the page width, header repeated on each page. Findings keep the
    given order (the caller sorts, e.g. by deadline).

    Args:
        findings: the ledger lines; ``deadline`` local calendar days, ``days_left`` counted
            from the export day (negative = overdue, None = closed).
        out: target .xlsx path, replaced atomically.
        title: row-1 title, e.g. ``2026年网站安全专项检查问题台账``.

    Returns:
        ``out`` as a Path.

    Raises:
        WorkbenchError: folder missing or read-only, or the file is open in another program.
    """

    def fill(wb: Workbook) -> None:
        rows = ((index, *finding_cells(line)) for index, line in enumerate(findings, 1))
        write_table(wb.create_sheet(SHEET_TITLE), HEADERS, rows, title=title)

    return write_workbook(out, fill)
