"""Pieces every forwarded workbook shares: the 模板信息 sheet, native bar charts and highlights."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill

from workbench.exporters.cells import BODY_ALIGN, safe_cell, set_print_layout

SHEET_INFO = "模板信息"

_ALERT_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
_ALERT_FONT = Font(color="9C0006")
_LABEL_FONT = Font(bold=True)


def write_info_sheet(wb, rows: Sequence[tuple[str, str]]) -> None:
    """Add the 模板信息 sheet: one (项目, 内容) row per line, e.g. the personal-data choice.

    Args:
        wb: a write-only or normal workbook.
        rows: label and text pairs in display order.
    """
    ws = wb.create_sheet(SHEET_INFO)
    for letter, width in (("A", 14), ("B", 80)):
        dim = ws.column_dimensions[letter]
        dim.width, dim.alignment = width, BODY_ALIGN  # the workbook's default look (cells.centre_default_format)
    set_print_layout(ws, None, fit_width=True)
    ws.append([_cell(ws, "项目", _LABEL_FONT), _cell(ws, "内容", _LABEL_FONT)])
    for label, text in rows:
        ws.append([_cell(ws, label, _LABEL_FONT), safe_cell(text)])


def _cell(ws, value, font=None):
    cell = WriteOnlyCell(ws, value=safe_cell(value))
    if font is not None:
        cell.font = font
    return cell


#: The tallest chart that still prints whole on one A4 landscape page (cm).
MAX_CHART_HEIGHT = 16.0


def bar_chart(title: str, data_sheet, *, value_col: int, label_col: int, first_row: int,
              last_row: int, percent: bool, horizontal: bool = True, most: int = 0,
              width: float = 14.0) -> BarChart:
    """A native Excel bar chart over a block of cells (header row just above ``first_row``).

    Args:
        title: chart title (Chinese).
        data_sheet: the worksheet holding the data (only its title is used).
        value_col, label_col: 1-based columns of the values and the category labels.
        first_row, last_row: the data rows (1-based, inclusive); ``first_row - 1`` holds the
            series name.
        percent: values are fractions shown as 0%–100% (axis fixed to 0..1).
        horizontal: bars run left to right (long Chinese labels stay readable).
        most: for counts, the largest value: the axis then steps by whole numbers (no 0.5).
        width: chart width in cm.

    Returns:
        The chart, its height grown with the categories up to :data:`MAX_CHART_HEIGHT` (cm);
        place it with ``ws.add_chart(chart, "D2")``.
    """
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.legend = None
    chart.style = 2  # plain fills that stay distinct when printed in black and white
    data = Reference(data_sheet, min_col=value_col, min_row=first_row - 1, max_row=last_row)
    labels = Reference(data_sheet, min_col=label_col, min_row=first_row, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.x_axis.delete = False  # openpyxl ≥3.1 hides axes unless told otherwise
    chart.y_axis.delete = False
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
    if percent:
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.y_axis.number_format = "0%"
        chart.y_axis.majorUnit = 0.2
    else:
        chart.y_axis.scaling.min = 0
        chart.y_axis.number_format = "0"
        chart.y_axis.majorUnit = count_step(most)
    rows = max(last_row - first_row + 1, 1)
    chart.width = width
    chart.height = max(6.0, min(4 + 0.6 * rows, MAX_CHART_HEIGHT)) if horizontal else 7.5
    return chart


def count_step(most: int) -> int:
    """A whole-number axis step giving at most about 6 gridlines up to ``most``: 1, 2, 5, 10, 20…"""
    step = 1
    while most / step > 6:
        for factor in (2, 5 / 2, 2):  # 1 → 2 → 5 → 10 → 20 → 50 …
            step = round(step * factor)
            if most / step <= 6:
                break
    return step


def highlight_rows(ws, cell_range: str, formula: str) -> None:
    """Dark red on light red for the rows of ``cell_range`` where ``formula`` is true.

    ``formula`` is written for the range's top-left cell, e.g. ``AND(ISNUMBER($J2),$J2<0)``.
    """
    ws.conditional_formatting.add(
        cell_range, FormulaRule(formula=[formula], fill=_ALERT_FILL, font=_ALERT_FONT, stopIfTrue=False))


def highlight_below(ws, cell_range: str, threshold: float) -> None:
    """Dark red on light red for numbers in ``cell_range`` below ``threshold`` (blanks stay plain)."""
    # A CellIs "less than" rule would also paint blank cells (Excel compares them as 0).
    corner = cell_range.split(":")[0].replace("$", "")
    highlight_rows(ws, cell_range, f"AND(ISNUMBER({corner}),{corner}<{float(threshold)!r})")
