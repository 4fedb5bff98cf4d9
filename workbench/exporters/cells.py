"""Shared workbook plumbing: formula-safe cell values, styled tables and atomic saving."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from itertools import chain, islice
from pathlib import Path
from types import MethodType
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.page import PageMargins
from openpyxl.writer.excel import ExcelWriter

from workbench.atomic import reserve_temp
from workbench.domain.text import BIDI_CONTROLS
from workbench.errors import WorkbenchError, os_reason

#: Leading characters that make a spreadsheet treat text as a formula or DDE call
#: (OWASP "CSV Injection": = + - @ tab carriage-return).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: Excel's limit on characters in one cell.
MAX_CELL_CHARS = 32767

# Bidi controls (U+202E shows text reversed) and the invisible direction marks: never exported.
_DELETE_DIRECTIONAL = {ord(c): None for c in BIDI_CONTROLS + "\u200e\u200f"}

_MIN_WIDTH = 6
_MAX_WIDTH = 50
_MIN_FIT_WIDTH = 8
_MAX_KEEP_WIDTH = 24

#: Footer on every printed page: sheet name, page x of n (Excel/WPS/LibreOffice codes).
FOOTER_TEXT = "&A　第 &P 页 / 共 &N 页"
#: Left and right page margins in inches.
MARGIN_INCH = 0.3
#: Body text is 11 pt; printing must not shrink it below 8 pt, so a page-wide fit may scale to
#: no less than 8/11 ≈ 0.73 (we aim for :data:`MIN_PRINT_SCALE`). An A4 landscape line between
#: 0.3" margins is 799 pt. A column of width w is about 5.25·w pt in Excel and WPS (Calibri's
#: digit), but about 7.2·w pt in LibreOffice where Calibri is missing and DejaVu Sans stands in
#: (measured: 170 units printed 1,219 pt wide). Sized for the wider: 799 / 0.8 / 7.2 ≈ 138.
PRINT_WIDTH_BUDGET = 136
#: The same for A3 landscape (420 mm: a 1,147 pt line): 1147 / 0.8 / 7.2 ≈ 199.
A3_WIDTH_BUDGET = 196
#: Excel paper size codes.
A4, A3 = 9, 8
#: The smallest print scale (percent) a sheet may get: 11 pt × 0.8 = 8.8 pt.
MIN_PRINT_SCALE = 80
#: Points per wrapped line of 11 pt text (CJK fallback fonts are taller than Calibri's 15 pt).
LINE_HEIGHT = 15.6
#: Height of the title row (14 pt bold text), in points.
TITLE_HEIGHT = 22
#: Excel's limit on a row's height, in points.
MAX_ROW_HEIGHT = 409
_SAMPLE_ROWS = 500  # rows looked at to size columns; later rows only decide wrapping

_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True)
_BOLD_FONT = Font(bold=True)
_ALERT_FONT = Font(bold=True, color="9C0006")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ALERT_FILL = PatternFill("solid", fgColor="FFC7CE")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_ALIGN = Alignment(vertical="center")
#: Body cells sit in the middle of their row: in a row that wrapped text makes tall, short
#: values (序号, 状态, dates) line up with the text instead of sinking to the row's foot.
BODY_ALIGN = Alignment(vertical="center")
_WRAP_ALIGN = Alignment(vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Styled:
    """A value for :func:`write_table` that needs emphasis or its own number format.

    Attributes:
        value: anything :func:`safe_cell` accepts.
        bold: bold text, e.g. the cells of a 合计 row.
        alert: dark-red bold text on a light-red fill, e.g. an overdue deadline.
        number_format: Excel number format for this cell, e.g. ``'0.0%'``; None keeps the default.
    """

    value: object
    bold: bool = False
    alert: bool = False
    number_format: str | None = None


def safe_cell(value: object) -> object:
    """Turn a Python value into one openpyxl writes as data, never as a formula.

    openpyxl stores any ``str`` beginning with ``=`` as a formula and the texts ``#N/A``,
    ``#REF!``… as error cells. Text beginning with one of :data:`FORMULA_TRIGGERS`, or equal
    to an error code, is therefore returned as a one-run ``CellRichText``: openpyxl always
    writes that as an inline *string* cell, it reads back as the identical ``str``, and the
    user sees exactly the text that was imported (no added apostrophe). :func:`write_table`
    also sets Excel's ``quotePrefix`` on such cells, so editing the cell in Excel keeps it text.
    Source: OWASP "CSV Injection" (formula injection) guidance.

    Args:
        value: None, str, int, float, Decimal, bool, date, datetime, time, timedelta, Enum,
            or anything else (written as ``str(value)``).

    Returns:
        ``""`` for None, NaN and infinities; 是/否 for bools; numbers, dates and times
        unchanged (an aware datetime becomes naive local time, as Excel has no time zones);
        text without characters XML forbids (C0 controls) or bidi controls (U+202E would show
        it reversed), cut to :data:`MAX_CELL_CHARS` with a marker (:func:`cut_text`).
    """
    if value is None:
        return ""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    if isinstance(value, datetime):
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, (date, timedelta)):
        return value
    return _safe_text(str(value))


def _safe_text(text: str) -> str | CellRichText:
    """The one place exported text is made safe: see :func:`safe_cell` and :func:`cut_text`."""
    # Excel keeps line breaks as LF, and an XML reader turns a raw CR into LF anyway.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if not text.isprintable():  # every character removed below is non-printable
        text = text.translate(_DELETE_DIRECTIONAL)
    text = cut_text(text)
    if text.startswith(FORMULA_TRIGGERS) or text in ERROR_CODES:
        return CellRichText([text])
    return text


def cut_text(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """``text`` if it fits in one Excel cell, else its start followed by a marker saying so and
    how long the original was, e.g. ``…[已截断，原文 40,000 字]`` (the result is ``limit`` long)."""
    if len(text) <= limit:
        return text
    marker = f"…[已截断，原文 {len(text):,} 字]"
    return text[:limit - len(marker)] + marker


# East Asian Wide and Fullwidth blocks (UAX #11): Hangul Jamo, CJK radicals … Yi, Hangul
# syllables, CJK compatibility ideographs, vertical and small forms, full-width forms, and the
# supplementary ideograph planes. Counted by one C-level regex scan instead of a per-character
# unicodedata lookup (the ledger sizes 100,000 rows of text).
_WIDE_RE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\ua4cf"
                      "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60"
                      "\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0003fffd]")


def display_width(text: str) -> int:
    """Width of ``text`` in Excel character units: wide and full-width (CJK) characters count 2."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE_RE.findall(text))


class _StyleCache:
    """One style array per distinct look, registered with the workbook once and then copied.

    Assigning Font/Fill objects to every cell makes openpyxl hash them per cell, which costs
    seconds per 100,000 rows; copying a ready style array is what openpyxl's own
    ``WorksheetCopy`` does.
    """

    def __init__(self, ws) -> None:
        self._ws = ws
        self._arrays: dict[tuple, object] = {}

    def get(self, role: str, number_format: str | None = None, bold: bool = False,
            alert: bool = False, wrap: bool = False, quote: bool = False):
        key = (role, number_format, bold, alert, wrap, quote)
        array = self._arrays.get(key)
        if array is None:
            array = self._arrays[key] = self._build(*key)
        return array  # Cell() copies the array it is given

    def _build(self, role, number_format, bold, alert, wrap, quote):
        cell = Cell(self._ws)
        if role == "title":
            cell.font, cell.alignment = _TITLE_FONT, _TITLE_ALIGN
        elif role == "header":
            cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        else:
            cell.alignment = _WRAP_ALIGN if wrap else BODY_ALIGN
            if alert:
                cell.font, cell.fill = _ALERT_FONT, _ALERT_FILL
            elif bold:
                cell.font = _BOLD_FONT
        if number_format:
            cell.number_format = number_format
        if quote:
            cell.quotePrefix = True
        return cell._style


def write_table(ws, headers: Sequence[str], rows: Iterable[Sequence], *,
                widths: Sequence[float | None] | None = None, title: str | None = None,
                print_titles: bool = True) -> int:
    """Write a titled, filterable, print-ready table into an empty worksheet.

    Layout: optional ``title`` in A1 (bold 14 pt), the bold shaded header row below it,
    frozen panes under the header, an autofilter over header and data. Printed landscape A4
    fitted to the page width with the header repeated on every page and the footer
    ``<sheet> 第 &P 页 / 共 &N 页``; the columns are first narrowed (widest first, text wraps)
    to :data:`PRINT_WIDTH_BUDGET` (A4; :data:`A3_WIDTH_BUDGET` on A3 when identifiers and dates
    alone are wider) so the fitting never shrinks 11 pt text below 8 pt. Values pass
    through :func:`safe_cell`; dates show as ``yyyy-mm-dd``; text wider than its column wraps
    and its row gets an explicit height for the wrapped lines (Excel, WPS and LibreOffice do
    not all grow rows by themselves when opening a file).

    Works with normal and write-only (streaming) worksheets; for the latter the columns are
    sized from the first 500 rows before anything is written.

    Args:
        ws: an empty ``Worksheet`` or ``WriteOnlyWorksheet``.
        headers: column headers (Chinese).
        rows: row sequences, values or :class:`Styled` values; consumed once.
        widths: per-column widths in Excel character units; a missing or None entry is sized
            from the content (CJK characters count double, 6–50 units).
        title: text for row 1; None starts the header in row 1.
        print_titles: repeat the header row on every printed page (False for a list of figures
            such as 概况, whose later pages hold charts).

    Returns:
        The number of data rows written (header and title not counted).
    """
    headers = list(headers)
    rows = iter(rows)
    sample = list(islice(rows, _SAMPLE_ROWS))
    natural = _column_widths(headers, sample, widths)
    floors = _column_floors(natural, sample)
    demands = _column_demands(natural, sample)
    # A4 landscape when the columns can be narrowed to fit it; else A3 landscape (a register of
    # 16 columns such as the 整改台账), which offices print on; wider still: spill at 80 %.
    paper, budget = (A4, PRINT_WIDTH_BUDGET) if sum(min(w, f) for w, f in zip(natural, floors, strict=True)) \
        <= PRINT_WIDTH_BUDGET else (A3, A3_WIDTH_BUDGET)
    col_widths = fit_widths(natural, floors, budget, demands)
    for index, width in enumerate(col_widths, 1):
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width, dim.alignment = width, BODY_ALIGN  # see centre_default_format
    header_row = 2 if title else 1
    ws.freeze_panes = f"A{header_row + 1}"  # write-only sheets need views set before rows
    # and sheet properties (fit to page) too; too many columns for one page: spill, stay readable
    set_print_layout(ws, header_row if print_titles else None, fit_width=sum(col_widths) <= budget,
                     paper=paper)
    styles = _StyleCache(ws)
    if title:
        dim = ws.row_dimensions[1]
        dim.height, dim.alignment = TITLE_HEIGHT, BODY_ALIGN  # 14 pt bold CJK: the default row clips it
        ws.append([Cell(ws, 1, 1, value=safe_cell(title), style_array=styles.get("title"))])
        _forget_height(ws, 1)
    header_lines = max((_line_count(h, w) for h, w in zip(headers, col_widths, strict=True)), default=1)
    _set_height(ws, header_row, header_lines)
    ws.append([Cell(ws, 1, 1, value=safe_cell(h), style_array=styles.get("header")) for h in headers])
    _forget_height(ws, header_row)
    count = 0
    maker = _RowMaker(ws, styles, col_widths)
    streaming = isinstance(ws, WriteOnlyWorksheet)
    if streaming:
        take_cells_directly(ws)
    heights: dict[int, RowDimension] = {}  # line count → the dimension every such row shares
    for row in chain(sample, rows):
        cells, lines = maker.make(row)
        row_index = header_row + count + 1
        if lines > 1 and streaming:
            # a streamed row's dimension is only read while the row is written (its number
            # comes from the row itself), so rows of the same height share one
            dim = heights.get(lines)
            if dim is None:
                dim = heights[lines] = RowDimension(ws, ht=min(lines * LINE_HEIGHT + 2, MAX_ROW_HEIGHT))
                dim.alignment = BODY_ALIGN  # see centre_default_format
            ws.row_dimensions[row_index] = dim
            ws.append(cells)
            del ws.row_dimensions[row_index]
        elif lines > 1:
            _set_height(ws, row_index, lines)
            ws.append(cells)
        else:
            ws.append(cells)
        count += 1
    last_column = get_column_letter(max(len(headers), 1))
    ws.auto_filter.ref = f"A{header_row}:{last_column}{header_row + count}"
    return count


def take_cells_directly(ws: WriteOnlyWorksheet) -> None:
    """Let a streaming sheet take ready Cell objects without openpyxl's try-and-fail.

    openpyxl's ``WriteOnlyWorksheet._values_to_row`` (3.1) first assigns every appended value
    to a scratch cell and takes a Cell only after that raised ValueError — whose message formats
    the cell's repr: about 2 µs a styled cell, a tenth of a 100,000-row ledger. This replaces
    the method on ``ws`` alone with the same steps in the other order; the cells written are the
    same (the workbook tests read them back).
    """
    ws._values_to_row = MethodType(_values_to_row, ws)


def _values_to_row(self, values, row_idx):
    cell = WriteOnlyCell(self)
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        if isinstance(value, Cell):
            value.column, value.row = col_idx, row_idx
            if value.hyperlink is not None:
                value.hyperlink.ref = value.coordinate
            yield value  # never reused below for the next raw value
            continue
        cell.value = value
        cell.column, cell.row = col_idx, row_idx
        yield cell
        if cell.has_style:  # a date got its number format: the next value needs a clean cell
            cell = WriteOnlyCell(self)


def _set_height(ws, row_index: int, lines: int) -> None:
    if lines > 1:
        dim = ws.row_dimensions[row_index]
        dim.height = min(lines * LINE_HEIGHT + 2, MAX_ROW_HEIGHT)
        dim.alignment = BODY_ALIGN  # see centre_default_format


def _forget_height(ws, row_index: int) -> None:
    """A streamed row is written by now: drop its dimension so memory stays flat."""
    if isinstance(ws, WriteOnlyWorksheet):
        ws.row_dimensions.pop(row_index, None)


def fit_widths(widths: Sequence[float], floors: Sequence[float] | None = None,
               budget: float | None = None, demands: Sequence[float] | None = None) -> list[float]:
    """Narrow the columns until the total fits ``budget`` character units, keeping rows low.

    Every wrapping column gets the width its text needs to take about the same number of lines
    k, the smallest k that fits: ``width = max(floor, min(natural, demand / k))``. A column of
    prose (问题描述, 法律依据: demand in the hundreds) then keeps several times the width of a
    column of names (主办单位: two short lines), so a row is as low as the budget allows, rather
    than every long column being cut to one common width and the prose running down 20 lines.
    No column goes below its floor (default :data:`_MIN_FIT_WIDTH`, or its own width if
    smaller), so identifiers and dates keep their width and long texts wrap instead.

    Args:
        widths: natural column widths in Excel character units (at most :data:`_MAX_WIDTH`).
        floors: per column, the narrowest it may become (e.g. its own width for 备案号).
        budget: total allowed; default :data:`PRINT_WIDTH_BUDGET`.
        demands: per column, the width its longer texts would take on one line (character
            units, uncapped); default the natural widths (then this is plain water-filling).

    Returns:
        The new widths, same order; unchanged when they already fit. If the floors alone
        exceed the budget the result is the floors (the caller then prints across pages).
    """
    budget = PRINT_WIDTH_BUDGET if budget is None else budget
    widths = list(widths)
    if sum(widths) <= budget or not widths:
        return widths
    floors = [min(w, f) for w, f in zip(widths, floors or [_MIN_FIT_WIDTH] * len(widths), strict=True)]
    demands = [max(d, w) for d, w in zip(demands or widths, widths, strict=True)]

    def fitted(lines: float) -> list[float]:
        return [max(f, min(w, d / lines)) for w, f, d in zip(widths, floors, demands, strict=True)]

    low, high = 1.0, max(demands) / min(floors)  # high: every column at its floor
    for _ in range(50):  # bisection on the common line count k
        middle = (low + high) / 2
        low, high = (low, middle) if sum(fitted(middle)) <= budget else (middle, high)
    return [math.floor(w * 10) / 10 for w in fitted(high)]


_PLAIN = (None, False, False, False, False)  # a body style key with nothing to show
#: Distinct values remembered per column: a campaign repeats its legal bases, requirements,
#: deadlines and statuses on thousands of findings, so each is prepared (and its cell styled) once.
_MEMO_LIMIT = 4096
#: A column whose values repeat less than once in four lookups (names, descriptions, 备案号)
#: stops remembering after this many: the lookups would cost more than they save.
_MEMO_TRIAL = 2048


class _Column:
    """Per-column state of :class:`_RowMaker`: width, remembered values, spare cells."""

    __slots__ = ("width", "room", "memo", "lookups", "hits", "spare")

    def __init__(self, width: float) -> None:
        self.width, self.room = width, width - 1
        self.memo: dict | None = {}
        self.lookups = self.hits = 0
        self.spare: dict[tuple, Cell] = {}  # style key → a cell re-filled for unremembered values


class _RowMaker:
    """Turns a row of values into what a (streaming) worksheet appends, and counts its lines.

    Plain values that fit their column go in raw (openpyxl's cheapest path: the workbook's
    default format centres them vertically, see :func:`centre_default_format`); the others
    become styled cells: a number format, bold / alert, wrapping, Excel's quote prefix.

    A streamed row is written the moment it is appended, so one Cell object can stand in every
    row its value appears in (openpyxl sets its row and column before writing it): each column
    remembers up to :data:`_MEMO_LIMIT` values with their cell and line count, and re-fills a
    spare cell per style for values it does not remember.
    """

    def __init__(self, ws, styles: _StyleCache, widths: Sequence[float]) -> None:
        self._ws, self._styles = ws, styles
        self._columns = [_Column(w) for w in widths]
        self._extra: list[_Column] = []  # columns beyond ``widths`` (rows longer than the header)

    def _column(self, index: int) -> _Column:
        if index < len(self._columns):
            return self._columns[index]
        while len(self._extra) <= index - len(self._columns):
            self._extra.append(_Column(_MAX_WIDTH))
        return self._extra[index - len(self._columns)]

    def make(self, row: Sequence) -> tuple[list, int]:
        """(values and cells to append, wrapped line count of the tallest cell, at least 1)."""
        out = []
        lines = 1
        columns, count = self._columns, len(self._columns)
        for index, value in enumerate(row):
            kind = type(value)
            if value is None or kind is int:  # 序号 and counts: nothing to neutralise or wrap
                out.append(value)
                continue
            column = columns[index] if index < count else self._column(index)
            if kind is str:
                size, room = len(value), column.room
                if (size * 2 < room or (size <= room and display_width(value) <= room)) \
                        and value.isprintable() and not value.startswith(FORMULA_TRIGGERS) \
                        and value not in ERROR_CODES:
                    out.append(value or None)  # fits unwrapped: nothing to style
                    continue
            item, item_lines = self._item(column, value, kind)
            out.append(item)
            if item_lines > lines:
                lines = item_lines
        return out, lines

    def _item(self, column: _Column, value, kind) -> tuple[object, int]:
        memo = column.memo
        if memo is not None:
            key = value if kind is str else (kind, value)
            try:
                hit = memo.get(key)
            except TypeError:  # unhashable: never remembered
                hit, key = None, None
            column.lookups += 1
            if hit is not None:
                column.hits += 1
                return hit
            if column.lookups >= _MEMO_TRIAL and column.hits * 4 < column.lookups:
                column.memo = None  # values here hardly repeat
            elif key is not None and len(memo) < _MEMO_LIMIT:
                safe, style, count = self._prepare(column, value)
                item = safe if style is None else Cell(
                    self._ws, 1, 1, value=safe, style_array=self._styles.get("body", *style))
                memo[key] = (item, count)
                return item, count
        safe, style, count = self._prepare(column, value)
        if style is None:
            return safe, count
        cell = column.spare.get(style)
        if cell is None:
            cell = column.spare[style] = Cell(self._ws, 1, 1, style_array=self._styles.get("body", *style))
        cell.value = safe
        return cell, count

    @staticmethod
    def _prepare(column: _Column, value) -> tuple[object, tuple | None, int]:
        """(safe value or None, body style key or None when plain, wrapped lines ≥ 1)."""
        look = value if isinstance(value, Styled) else None
        value = safe_cell(look.value if look else value)
        if isinstance(value, str) and value == "":
            value = None
        number_format = look.number_format if look else None
        if number_format is None and isinstance(value, date):
            number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        wrapped = _wrapped_lines(value, column.width)
        key = (number_format, bool(look and look.bold), bool(look and look.alert), wrapped > 0,
               isinstance(value, CellRichText))
        return value, (None if key == _PLAIN else key), max(wrapped, 1)


def _line_count(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (CJK counts 2), at least 1."""
    # One unit of padding. Excel's width-w column is 7w + 5 px and a CJK glyph at 11 pt is 14.7 px,
    # so this never counts fewer lines than Excel/WPS wrap to (LibreOffice's wider units wrap less).
    room = max(width - 1, 1)
    return sum(max(1, math.ceil(display_width(part) / room)) for part in text.split("\n"))


def _wrapped_lines(value, width: float) -> int:
    """0 when ``value`` fits its column unwrapped, else the lines it wraps to (see _line_count)."""
    if not isinstance(value, (str, CellRichText)):
        return 0
    text = str(value)
    room = width - 1
    if "\n" in text:
        return max(_line_count(text, width), 1)
    if len(text) <= room / 2:
        return 0
    size = display_width(text)
    return 0 if size <= room else max(math.ceil(size / max(room, 1)), 1)


def _column_widths(headers: list[str], sample: list[Sequence],
                   widths: Sequence[float | None] | None) -> list[float]:
    result = []
    for index, header in enumerate(headers):
        given = widths[index] if widths is not None and index < len(widths) else None
        if given:
            result.append(given)
            continue
        widest = _header_width(header)
        for row in sample:
            if index < len(row):
                widest = max(widest, _value_width(row[index]))
        result.append(min(max(widest + 2, _MIN_WIDTH), _MAX_WIDTH))
    return result


def _column_floors(widths: list[float], sample: list[Sequence]) -> list[float]:
    """Per column, the narrowest it may be printed: identifiers, numbers and dates (text without
    spaces that is mostly ASCII, e.g. 鲁ICP备12345678号-2) keep their width up to
    :data:`_MAX_KEEP_WIDTH`; columns of Chinese prose may shrink to :data:`_MIN_FIT_WIDTH`."""
    floors = []
    for index, width in enumerate(widths):
        values = [row[index] for row in sample if index < len(row)]
        values = [v.value if isinstance(v, Styled) else v for v in values]
        texts = [str(v) for v in values if v not in (None, "")]
        unbreakable = all(_is_token(t) for t in texts)
        floors.append(min(width, _MAX_KEEP_WIDTH) if unbreakable else _MIN_FIT_WIDTH)
    return floors


def _column_demands(widths: list[float], sample: list[Sequence]) -> list[float]:
    """Per column, how wide its longer texts would be on one line (character units, CJK double;
    a text of several lines, e.g. 处理记录, counts all of them):
    the 90th percentile of the sampled values, at least the natural width. Decides which long
    columns get the room when a table must be narrowed (see :func:`fit_widths`)."""
    demands = []
    for index, width in enumerate(widths):
        sizes = sorted(_one_line_width(row[index]) for row in sample if index < len(row))
        typical = sizes[(len(sizes) * 9) // 10] if sizes else 0
        demands.append(max(float(typical + 2), width))
    return demands


def _one_line_width(value) -> int:
    if isinstance(value, Styled):
        value = value.value
    if isinstance(value, (str, CellRichText)):
        return display_width(str(value).replace("\n", ""))
    return _value_width(value)


_BREAKS = frozenset(" \n、，,;；")


def _is_token(text: str) -> bool:
    if len(text) > _MAX_KEEP_WIDTH or not _BREAKS.isdisjoint(text):
        return False
    return sum(ch.isascii() for ch in text) * 10 >= len(text) * 7


def _header_width(header: str) -> int:
    """Width a header needs: it wraps onto two lines (the header row is styled to wrap), so half
    its characters, whole ones, plus room for the autofilter arrow. A narrow column of short
    values (严重程度: 高/中/低) is then not kept wide by its header."""
    half = 0
    for ch in header:  # the first line takes characters until half the width is reached
        if half * 2 >= display_width(header):
            break
        half += display_width(ch)
    return half + 2


#: Digits a counting column is given beyond its sampled rows (序号 of 100,000 findings), so a
#: number never shows as ##### in Excel.
_MIN_NUMBER_WIDTH = 6
_FORMAT_LITERAL = re.compile(r'"([^"]*)"')


def _value_width(value) -> int:
    number_format = None
    if isinstance(value, Styled):
        value, number_format = value.value, value.number_format
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("2026-01-01 00:00")
    if isinstance(value, date):
        return len("2026-01-01")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = len(str(abs(int(value)))) + (value < 0) if isinstance(value, int) else len(f"{value:.4g}")
        if number_format:
            return _formatted_width(number_format, digits)
        return max(digits, _MIN_NUMBER_WIDTH)
    return max((display_width(line) for line in str(value).split("\n")), default=0)


def _formatted_width(number_format: str, digits: int) -> int:
    """Widest section of an Excel number format showing a number of ``digits`` characters, e.g.
    ``0"天";[Red]"逾期"0"天";"今日到期"`` → 逾期 + digits + 天. Excel shows ##### when a
    formatted number does not fit its column, so this must not be underestimated."""
    if "%" in number_format:
        return max(digits, len("100.0%"))
    widest = 0
    for section in number_format.split(";"):
        literals = _FORMAT_LITERAL.findall(section)
        bare = _FORMAT_LITERAL.sub("", section)
        width = sum(display_width(text) for text in literals) + (digits if "0" in bare or "#" in bare else 0)
        widest = max(widest, width)
    return max(widest, digits)


def set_print_layout(ws, header_row: int | None, *, fit_width: bool = True, paper: int = 9) -> None:
    """Landscape A4, narrow margins, gridlines, header row repeated, page-numbered footer.

    Args:
        ws: any worksheet (write-only ones before their first row).
        header_row: the row repeated on every printed page (None: no print titles).
        fit_width: fit the columns to one page wide (no limit on pages down); False prints at
            :data:`MIN_PRINT_SCALE` percent, columns continuing on further pages.
        paper: Excel paper size code, :data:`A4` (9) or :data:`A3` (8).
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = paper  # 9 = A4, 8 = A3
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = MIN_PRINT_SCALE
    ws.page_margins = PageMargins(left=MARGIN_INCH, right=MARGIN_INCH, top=0.6, bottom=0.6,
                                  header=0.3, footer=0.3)
    ws.print_options.gridLines = True
    ws.print_options.horizontalCentered = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    footer = ws.HeaderFooter.oddFooter  # write-only sheets lack the oddFooter shortcut
    footer.center.text = FOOTER_TEXT
    footer.center.size = 11  # scaled with the sheet, like the body: ≥ 8.8 pt on paper


def write_workbook(out: Path, fill: Callable[[Workbook], None]) -> Path:
    """Build a write-only (streaming) workbook with ``fill`` and save it atomically to ``out``.

    The temporary file is reserved next to ``out`` first, so a missing or read-only folder is
    reported before any work is done. If ``fill`` or saving raises (including
    :class:`~workbench.domain.progress.Cancelled`), no partial file is left: ``out`` keeps its
    old content or stays absent, and openpyxl's own per-sheet temporary files are removed.

    Args:
        out: the .xlsx path to write.
        fill: creates the sheets (``wb.create_sheet``) and writes their rows.

    Returns:
        ``out`` as a Path.

    Raises:
        WorkbenchError: folder missing or not writable, file open in another program, disk full.
    """
    out = Path(out)
    temp = reserve_temp(out)
    wb = Workbook(write_only=True)
    wb.properties.creator = "检查工作台"
    centre_default_format(wb)
    try:
        fill(wb)
        _save_and_replace(wb, temp, out)
    except BaseException:
        _discard(wb)
        raise
    finally:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
    return out


def centre_default_format(wb: Workbook) -> None:
    """Make the workbook's default cell format (xf 0, used by every cell written without a
    style) centre vertically, as :data:`BODY_ALIGN` does for styled cells.

    A streamed ledger writes most values raw, because a styled cell per value costs a fifth of
    the export's time; the default format gives them the alignment for nothing. openpyxl has
    no public setting for xf 0, so its first style entry is replaced before any cell is made.
    Excel and WPS apply xf 0 to cells without an ``s`` attribute (ECMA-376 §18.3.1.4);
    LibreOffice applies the Normal cell style, which is centred as well.
    """
    if len(wb._cell_styles) != 1:
        raise RuntimeError("centre_default_format must run before any cell is styled")
    alignment = wb._alignments.add(BODY_ALIGN)
    default = StyleArray()
    default.alignmentId = alignment
    wb._cell_styles = IndexedList([default])
    # LibreOffice gives a cell without ``s`` the style of its column or row if they have one,
    # else the Normal cell style (cellStyleXfs): centred too. Column and row dimensions must then
    # carry BODY_ALIGN, which makes their style this default (xf 0, not written) rather than
    # openpyxl's plain style, which now gets an index of its own.
    wb._named_styles["Normal"].alignment = BODY_ALIGN


def save_workbook(wb: Workbook, out: Path) -> Path:
    """Save an already built workbook to ``out`` through a temporary file and ``os.replace``.

    Raises:
        WorkbenchError: as :func:`write_workbook`.
    """
    out = Path(out)
    temp = reserve_temp(out)
    try:
        _save_and_replace(wb, temp, out)
    finally:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
    return out


def _save_and_replace(wb: Workbook, temp: Path, out: Path) -> None:
    try:
        _save_closing(wb, temp)
        os.replace(temp, out)
    except PermissionError as exc:  # Windows: the target is open in Excel/WPS
        raise WorkbenchError(f"文件被其他程序占用，请关闭后重试：{out}") from exc
    except OSError as exc:
        raise WorkbenchError(f"保存文件失败：{out}（{os_reason(exc)}）") from exc


def _save_closing(wb: Workbook, temp: Path) -> None:
    """``wb.save(temp)``, but the zip archive is closed even when writing fails (a full disk):
    openpyxl leaves it open, and its later garbage collection prints a traceback."""
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = ZipFile(temp, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        with suppress(OSError, ValueError):
            archive.close()
        raise


def _discard(wb: Workbook) -> None:
    """Close streaming sheets of an abandoned workbook and delete their temporary files."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with suppress(OSError):
            if not ws.closed:
                ws.close()
        with suppress(OSError):
            os.remove(writer.out)
