"""Reading a checklist template from an Excel workbook: sheet 模板信息 plus one row per item."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.domain.checklist import (
    ChecklistFormatError,
    ChecklistTemplate,
    RawRow,
    build_template,
)
from workbench.domain.checklist_ids import identifier_problem
from workbench.domain.text import HIDDEN_RE, escape_hidden
from workbench.errors import InputFileError
from workbench.importers.sheet_reader import Workbook, open_workbook
from workbench.importers.xlsx_formulas import column_letter

INFO_SHEET = "模板信息"
ITEMS_SHEET = "检查项"
#: Template fields on the 模板信息 sheet: field → label in column A (value in column B).
INFO_LABELS = {"id": "模板编号", "title": "模板名称", "version": "版本", "scope": "适用范围"}
_INFO_ALIASES = {"模板ID": "id", "编号": "id", "名称": "title", "标题": "title", "版本号": "version",
                 "范围": "scope"}
#: Item columns: field → header written by the exporter (first) and accepted aliases.
ITEM_HEADERS: dict[str, tuple[str, ...]] = {
    "section_code": ("章节编号",),
    "section": ("章节/分类", "章节", "分类", "类别", "检查类别"),
    "code": ("编号", "检查项编号"),
    "requirement": ("检查要求", "检查内容"),
    "guidance": ("检查方法", "检查方式"),
    "basis": ("依据", "检查依据", "法律依据"),
    "severity": ("严重程度", "风险等级"),
    "levels": ("适用等级",),
    "responses": ("可选结论",),
    "rectification": ("整改要求",),
}
REQUIRED = ("section", "code", "requirement", "basis", "severity")
_HEADER_SCAN_ROWS = 10


def read_template_xlsx(path: str | Path) -> ChecklistTemplate:
    """Read and validate a template workbook (.xlsx/.xls/.ods).

    Layout: sheet ``模板信息`` with labels 模板编号 / 模板名称 / 版本 / 适用范围 in column A and
    values in column B; sheet ``检查项`` (else the first other sheet) with a header row (within
    the first 10 rows) naming the columns of ITEM_HEADERS and one item per row. Items with no
    章节编号 get section codes S01, S02… in order of first appearance of their 章节/分类.

    The format is decided from the bytes, as for site lists (``formats.detect_format``), so an
    image, a CSV text, a Word document, an empty file or a folder gets the same Chinese message.
    The 模板编号 and 版本 must match :data:`workbench.domain.checklist_ids.SAFE_PATTERNS`; a 版本 typed as a number is refused,
    because Excel keeps ``2026.10`` as the number 2026.1 and the text typed is lost.

    Raises:
        InputFileError: the file cannot be read, a sheet or required column is missing.
        ChecklistFormatError: rows break the template rules (sheet row and column named).
    """
    name = str(path)
    sheets, book = _read_sheets(name)
    if INFO_SHEET not in sheets:
        raise InputFileError(f"缺少“{INFO_SHEET}”工作表（应写明模板编号、模板名称、版本）", path=name)
    others = [s for s in sheets if s != INFO_SHEET]
    item_sheet = ITEMS_SHEET if ITEMS_SHEET in sheets else (others[0] if others else None)
    if item_sheet is None:
        raise InputFileError(f"缺少“{ITEMS_SHEET}”工作表", path=name)
    _refuse_formulas_without_value(book, (INFO_SHEET, item_sheet), name)
    _refuse_hidden_characters(sheets, (INFO_SHEET, item_sheet), name)
    header = _read_info(sheets[INFO_SHEET], name)
    header_row, columns = _find_header(sheets[item_sheet], name, item_sheet)
    sections, items = _read_items(sheets[item_sheet], header_row, columns)
    labels = {**{f: h[0] for f, h in ITEM_HEADERS.items()}, **INFO_LABELS}
    return build_template(header, sections, items, name, columns=labels)


def _read_sheets(name: str) -> tuple[dict[str, list[list[Any]]], Workbook]:
    """Every worksheet of the workbook at ``name`` as rows of cells from sheet row 1, and the
    open workbook (for its formula search).

    Read through :mod:`workbench.importers.sheet_reader`, as site lists are, so the same
    guards apply: a zip bomb is refused and a stray cell at XFD1048576 cannot make the
    reader lay out billions of cells.

    Raises:
        InputFileError: not a regular file, unreadable, empty, not a workbook, password
            protected, corrupt or too big when unpacked; always in Chinese.
    """
    book = open_workbook(name)
    if book.format == "csv":
        raise InputFileError(
            "无法读取：这是文本文件，检查表模板应为 Excel（.xlsx/.xls）或 ODS 工作簿", path=name
        )
    return {s: list(book.rows(s)) for s in book.sheets}, book


def _refuse_formulas_without_value(book: Workbook, sheets: Sequence[str], path: str) -> None:
    """Refuse formula cells saved without a result (read as empty; breaker report A9).

    Raises:
        ChecklistFormatError: one problem per such cell of ``sheets`` (sheet row, column letter).
    """
    problems = [
        (row, column_letter(col), f"“{sheet}”表中的单元格是公式（{formula[:40]}），但文件中没有保存计算"
         "结果；请用 Excel 打开并保存后再导入，或直接填写文字")
        for sheet in dict.fromkeys(sheets)
        if (scan := book.formula_scan(sheet)) is not None
        for (row, col), formula in sorted(scan.result().items())
    ]
    if problems:
        raise ChecklistFormatError(path, problems)


def _refuse_hidden_characters(sheets: dict[str, list[list[Any]]], names: Sequence[str], path: str) -> None:
    """Refuse control and bidi control characters (domain/text.HIDDEN_RE) in any cell of ``names``.

    A template's text is printed on inspection records and notices; U+202E and its kin make a
    reader see other text than is stored (issue 9), so the file is refused and each cell named
    with its value shown escaped (``[U+202E]``) for the user to find and delete.

    Raises:
        ChecklistFormatError: one problem per such cell (sheet row, column letter).
    """
    problems = [
        (r + 1, column_letter(c), f"“{sheet}”表中的单元格含有不可见的控制字符（{escape_hidden(value)[:80]}），"
         "会使文字显示得与实际内容不同；请删除这些字符后再导入")
        for sheet in dict.fromkeys(names)
        for r, row in enumerate(sheets[sheet])
        for c, value in enumerate(row)
        if isinstance(value, str) and HIDDEN_RE.search(value)
    ]
    if problems:
        raise ChecklistFormatError(path, problems)


def _cell(rows: Sequence[Sequence[Any]], r: int, c: int) -> str:
    """The cell at 0-based row ``r`` and column ``c`` as stripped text ('' when absent)."""
    try:
        value = rows[r][c]
    except IndexError:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _read_info(rows: list[list[Any]], path: str) -> dict[str, str]:
    """The 模板信息 values by field; the id and version checked (see :func:`_check_info`)."""
    by_label = {label: field for field, label in INFO_LABELS.items()} | _INFO_ALIASES
    info: dict[str, str] = {}
    problems: list[tuple[int | None, str, str]] = []
    for r in range(len(rows)):
        field = by_label.get(_cell(rows, r, 0).rstrip("：:"))
        if field and field not in info:
            info[field] = _cell(rows, r, 1)
            raw = rows[r][1] if len(rows[r]) > 1 else None
            problem = _check_info(field, info[field], raw)
            if problem:
                problems.append((r + 1, INFO_LABELS[field], f"“{INFO_SHEET}”表中的{problem}"))
    if problems:
        raise ChecklistFormatError(path, problems)
    return info


def _check_info(field: str, text: str, raw: object) -> str:
    """Why the 模板信息 value ``text`` (cell value ``raw``) of ``field`` is refused, or ''."""
    label = INFO_LABELS[field]
    if field == "version" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return (f"{label}“{text}”是以数字形式填写的，Excel 会把 2026.10 存成 2026.1；"
                f"请把该单元格设为文本格式（或在前面加英文单引号 '）后重新输入")
    return identifier_problem(field, label, text)


def _find_header(rows: list[list[Any]], path: str, sheet: str) -> tuple[int, dict[str, int]]:
    """The 0-based header row and field → 0-based column index."""
    lookup = {alias: field for field, aliases in ITEM_HEADERS.items() for alias in aliases}
    for r in range(min(_HEADER_SCAN_ROWS, len(rows))):
        columns: dict[str, int] = {}
        for c in range(len(rows[r])):
            field = lookup.get(_cell(rows, r, c).replace(" ", ""))
            if field and field not in columns:
                columns[field] = c
        if "code" in columns and "requirement" in columns:
            missing = [ITEM_HEADERS[f][0] for f in REQUIRED if f not in columns]
            if missing:
                raise InputFileError("缺少必需的列", path=path, row=r + 1, column="、".join(missing))
            return r, columns
    raise InputFileError(f"在“{sheet}”表前 {_HEADER_SCAN_ROWS} 行中找不到表头（需含“编号”“检查要求”列）",
                         path=path)


def _read_items(rows: list[list[Any]], header_row: int,
                columns: dict[str, int]) -> tuple[list[RawRow], list[RawRow]]:
    """Item rows (skipping blank ones) and the sections they name, with 1-based sheet rows."""
    sections: list[RawRow] = []
    code_of_title: dict[str, str] = {}
    title_of_code: dict[str, str] = {}
    items: list[RawRow] = []
    for r in range(header_row + 1, len(rows)):
        values = {f: _cell(rows, r, c) for f, c in columns.items()}
        if not any(values.values()):
            continue
        title, code = values.get("section", ""), values.pop("section_code", "")
        if title:
            code = code or code_of_title.get(title) or _auto_code(title_of_code)
            if title_of_code.get(code) != title:
                sections.append(RawRow(r + 1, {"code": code, "title": title}))
                title_of_code.setdefault(code, title)
                code_of_title.setdefault(title, code)
        values["section"] = code if title else ""
        items.append(RawRow(r + 1, values))
    return sections, items


def _auto_code(used: dict[str, str]) -> str:
    n = len(used) + 1
    while f"S{n:02d}" in used:
        n += 1
    return f"S{n:02d}"
