"""The import problem report: every rejected or doubtful cell next to its original value."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from workbench.domain.site import Problem
from workbench.exporters.cells import write_table, write_workbook

HEADERS = ("行号", "列", "级别", "代码", "说明", "原始值")
SHEET_TITLE = "导入问题"
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}
WHOLE_FILE = "全文件"
WHOLE_ROW = "整行"


def write_problem_report(problems: Sequence[Problem], out: Path, *, source_file: str = "") -> Path:
    """Write the problems an import found to an .xlsx the user can filter and send back.

    One sheet 导入问题 with a title row naming the source file and the counts, then the
    columns 行号 (original 1-based sheet row; 全文件 when the problem concerns the whole
    file), 列 (header text; 整行 for the whole row), 级别 (错误 rejects the row, 警告 keeps
    it), 代码, 说明, 原始值. The original values are user data and are written as text that
    can never run as a formula (see ``cells.safe_cell``). Problems keep the given order.

    Args:
        problems: from the importer, ``workbench.domain.site.Problem``.
        out: target .xlsx path, replaced atomically.
        source_file: the imported file's name, shown in the title; "" leaves it out.

    Returns:
        ``out`` as a Path.

    Raises:
        WorkbenchError: folder missing or read-only, or the file is open in another program.
    """
    title = report_title(problems, source_file)

    def fill(wb: Workbook) -> None:
        rows = (problem_cells(p) for p in problems)
        write_table(wb.create_sheet(SHEET_TITLE), HEADERS, rows, title=title)

    return write_workbook(out, fill)


def report_title(problems: Sequence[Problem], source_file: str = "") -> str:
    """Title line, e.g. ``导入问题报告：网站名单.xlsx（共 3 条：错误 2 条，警告 1 条）``."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = sum(1 for p in problems if p.severity == "warning")
    counts = f"共 {len(problems)} 条：错误 {errors} 条，警告 {warnings} 条"
    name = f"：{source_file}" if source_file else ""
    return f"导入问题报告{name}（{counts}）"


def problem_cells(problem: Problem) -> tuple:
    """The report row of one problem, in :data:`HEADERS` order."""
    return (
        problem.row if problem.row is not None else WHOLE_FILE,
        problem.column or WHOLE_ROW,
        SEVERITY_LABELS.get(problem.severity, problem.severity),
        problem.code,
        problem.message,
        problem.value,
    )
