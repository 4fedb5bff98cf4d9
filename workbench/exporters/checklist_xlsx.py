"""Writing a checklist template to an Excel workbook that ``read_template_xlsx`` reads back unchanged."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from workbench.domain.checklist import RESPONSES, SEVERITIES, ChecklistItem, ChecklistTemplate
from workbench.exporters.cells import safe_cell, save_workbook
from workbench.importers.checklist_xlsx import INFO_LABELS, INFO_SHEET, ITEM_HEADERS, ITEMS_SHEET

_WIDTHS = {"section_code": 9, "section": 18, "code": 9, "requirement": 48, "guidance": 40,
           "basis": 52, "severity": 9, "levels": 9, "responses": 18, "rectification": 30}
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_template_xlsx(template: ChecklistTemplate, path: str | Path) -> None:
    """Write ``template`` as sheets 模板信息 (labels in A, values in B) and 检查项 (one row per item).

    Cells go through ``exporters.cells.safe_cell``, so text starting with ``=``, ``+``, ``-`` or
    ``@`` is written as text, never as a formula, and reads back unchanged; the file is saved
    through a temporary file. Severity is written in Chinese (高/中/低); 可选结论 is left empty
    when all five responses are allowed; several citations go on separate lines of 依据.

    Raises:
        WorkbenchError: the file cannot be written (e.g. it is open in Excel).
    """
    book = Workbook()
    info = book.active
    info.title = INFO_SHEET
    _write_row(info, 1, ["项目", "内容"], bold=True)
    values = {"id": template.code, "title": template.title, "version": template.version,
              "scope": template.scope}
    for r, (field, label) in enumerate(INFO_LABELS.items(), start=2):
        _write_row(info, r, [label, values[field]])
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 60
    sheet = book.create_sheet(ITEMS_SHEET)
    fields = list(ITEM_HEADERS)
    _write_row(sheet, 1, [ITEM_HEADERS[f][0] for f in fields], bold=True)
    for r, item in enumerate(template.items, start=2):
        row = _item_values(template, item)
        _write_row(sheet, r, [row[f] for f in fields])
    for c, f in enumerate(fields, start=1):
        sheet.column_dimensions[sheet.cell(1, c).column_letter].width = _WIDTHS[f]
    sheet.freeze_panes = "A2"
    save_workbook(book, Path(path))


def _item_values(template: ChecklistTemplate, item: ChecklistItem) -> dict[str, str]:
    responses = "" if item.responses == tuple(RESPONSES) else "、".join(RESPONSES[r] for r in item.responses)
    return {
        "section_code": item.section,
        "section": template.section(item.section).title,
        "code": item.code,
        "requirement": item.requirement,
        "guidance": item.guidance,
        "basis": "\n".join(c.text for c in item.basis),
        "severity": SEVERITIES[item.severity],
        "levels": "、".join(str(lv) for lv in item.levels),
        "responses": responses,
        "rectification": item.rectification,
    }


def _write_row(sheet: Worksheet, row: int, values: list[str], bold: bool = False) -> None:
    for c, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=c)
        if value:
            cell.value = safe_cell(value)
        cell.alignment = _WRAP
        if bold:
            cell.font = Font(bold=True)
