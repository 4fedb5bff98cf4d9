"""Problems a reader found in a sheet as a whole (cells left out far outside the table…)."""

from __future__ import annotations

from workbench.domain.site import Problem
from workbench.importers.sheet_reader import Workbook
from workbench.importers.xlsx_formulas import column_letter


def sheet_notes(book: Workbook, sheet: str) -> list[Problem]:
    """Whole-sheet problems of ``sheet`` of an open ``book`` (call after its rows were read).

    Returns:
        ``stray_cells`` when cells far outside the table were left out (see
        :func:`workbench.importers.xlsx_guard.trim_sheet`), with their references as value;
        ``csv_unbalanced_quote`` (an error) for each CSV row whose quote never closes, with
        the line as value.
    """
    notes: list[Problem] = []
    stray = book.stray.get(sheet)
    if stray is not None and stray.count:
        shown = "、".join(stray.refs) + ("等" if stray.count > len(stray.refs) else "")
        notes.append(Problem(
            None, "", "stray_cells", "warning",
            f"表格之外很远处的 {stray.count} 个孤立单元格已忽略（名单按 A1:"
            f"{column_letter(max(stray.columns - 1, 0))}{stray.rows} 读取）",
            shown,
        ))
    for row, line in book.bad_rows.get(sheet, ()):
        shown = line if len(line) <= 200 else line[:200] + "…"
        notes.append(Problem(
            row, "", "csv_unbalanced_quote", "error",
            "此行的引号（\"）没有配对，此行未导入（其后各行照常读取）；请改正后重新导入", shown.encode("unicode_escape").decode("ascii") if not shown.isprintable() else shown,
        ))
    return notes


def bad_rows(book: Workbook, sheet: str) -> list[int]:
    """The rows of ``sheet`` that could not be read at all (reported by :func:`sheet_notes`)."""
    return [row for row, _line in book.bad_rows.get(sheet, ())]

