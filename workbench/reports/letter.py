"""GB/T 9704-2012 信函格式 (§10.1) pages drawn on a character grid with the reportlab canvas.

Used by the 责令限期改正通知书 / 整改通知书 and the 整改复查意见书. Every number is in
docs/documents.md with its clause; gbt9704.md quotes the clauses. In short:

* A4; 版心 156 × 225 mm at 天头 37 mm, 订口 28 mm (§5.2.1).
* Body 3号 (16 pt) on a 22-line × 28-cell grid (§5.2.3): cells 156 mm / 28 = 15.79 pt wide (16 pt
  glyphs, −0.21 pt tracking); 22 em boxes fill the 225 mm exactly, so the line pitch is
  (225 mm − 16 pt) / 21 = 29.61 pt, the largest that fits (gbt9704.md §8). Full lines are
  justified flush with both edges of the 版心; line breaking in linebreak.py.
* Page 1 (§10.1): red 发文机关标志 top 30 mm from the page top; red double rule (thick over thin)
  4 mm below it and (thin over thick) 20 mm above the page bottom, 170 mm long, centred on the
  版心; 文号 flush right 7/8 of a 3号 character (14 pt) under the first rule; title two 行
  (2 × 30 pt, §3.2) below the 文号; no page number. ``red=False`` leaves every red element out
  for pre-printed 红头纸, and nothing else moves.
* Page numbers from page 2 (§7.5): ``— n —`` in 4号 (14 pt) 宋体, the dash 7 mm below the 版心,
  odd pages right and even pages left, one 4号 character in.
* 版记 (a note such as 抄送) at the foot of the 版心 of the last page, 4号, one character in on
  both sides, without rules (§10.1).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from workbench.atomic import write_bytes
from workbench.reports.documents import format_cn_date
from workbench.reports.fonts import FontChoice, find_fallback_font, unrenderable_error
from workbench.reports.layout import DocumentFonts
from workbench.reports.linebreak import Line, break_lines, is_wide
from workbench.reports.markup import clean_text

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 28 * mm  # 订口
TOP = 37 * mm  # 天头
TYPE_WIDTH = 156 * mm
TYPE_HEIGHT = 225 * mm
RIGHT = LEFT + TYPE_WIDTH
BOTTOM = TOP + TYPE_HEIGHT  # 262 mm from the page top
BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
SMALL_SIZE = 14.0  # 4号
CELLS = 28
LINES = 22
CELL = TYPE_WIDTH / CELLS  # 15.79 pt
PITCH = (TYPE_HEIGHT - BODY_SIZE) / (LINES - 1)  # 29.61 pt
ROW = BODY_SIZE * (1 + 7 / 8)  # the standard's 行: a character plus 7/8 of a 3号 character (§3.2)
GAP_7_8 = BODY_SIZE * 7 / 8  # 14 pt = 4.94 mm
MARK_TOP = 30 * mm  # 发文机关标志 top from the page top (§10.1)
MARK_MAX_SIZE = 30.0  # the standard gives no size; fitted to the 版心, at most 30 pt [our choice]
RULE_GAP = 4 * mm  # first double rule below the 标志 (§10.1)
RULE_LENGTH = 170 * mm
RULE_LEFT = LEFT + TYPE_WIDTH / 2 - RULE_LENGTH / 2  # centred on the 版心: 21–191 mm
RULE_THICK, RULE_THIN, RULE_SPACE = 0.8 * mm, 0.25 * mm, 0.5 * mm  # not in the standard [our choice]
SECOND_RULE_BOTTOM = PAGE_HEIGHT - 20 * mm  # lower edge of the second double rule (§10.1)
PAGE_NUMBER_CENTRE = BOTTOM + 7 * mm  # centre line of the 一字线 (§7.5)
RED = colors.Color(0.9, 0.0, 0.0)
_NORMALISE = str.maketrans({"\u2015": "\u2014", "\u30fb": "\u00b7", "\t": " "})


@dataclass
class Block:
    """One paragraph of the body.

    Attributes:
        runs: (text, font role) pairs; a role is ``body``, ``heading1``, ``heading2``…
        first_indent, indent: left indents of the first and the other lines, in cells.
        align: ``justify`` (正文), ``left``, ``right`` or ``center``.
        right_cells: right indent in cells (for ``right``: 成文日期 右空四字).
        keep_with_next: never the last thing on a page (headings).
        blank_before: empty grid lines before it.
        size: type size in pt (16 = 3号; 14 = 4号 for the 版记 note).
    """

    runs: list[tuple[str, str]]
    first_indent: float = 2.0
    indent: float = 0.0
    align: str = "justify"
    right_cells: float = 0.0
    keep_with_next: bool = False
    blank_before: int = 0
    size: float = BODY_SIZE


@dataclass
class Letter:
    """What the 信函格式 pages hold.

    Attributes:
        authority: 发文机关标志 (and 署名); doc_number: 文号, flush right under the first rule.
        title: 标题 (2号 title face, centred).
        blocks: the body, top to bottom (主送 first).
        sign_name: 署名 ('' leaves the signature out); sign_date: 成文日期.
        note: 版记 text at the foot of the last page ('' for none).
        red: draw the red elements (False for pre-printed 红头纸).
        pdf_title, pdf_author: PDF metadata.
    """

    authority: str
    doc_number: str
    title: str
    blocks: list[Block]
    sign_name: str
    sign_date: date | None
    note: str = ""
    red: bool = True
    pdf_title: str = ""
    pdf_author: str = ""
    _missing: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class PlacedLine:
    """A line on a page: its glyphs, the top of its em box from the page top (pt), its left
    edge (pt from the page's left edge), size and whether it is a heading kept with the next."""

    line: Line
    top: float
    left: float
    size: float


class _Fonts:
    """The document's fonts by role, with per-character fallback and the missing characters."""

    def __init__(self, fonts: DocumentFonts):
        self.by_role = {"body": fonts.body, "title": fonts.title, "heading1": fonts.heading1,
                        "heading2": fonts.heading2, "page_number": fonts.page_number}
        self.missing: set[str] = set()

    def font(self, char: str, role: str) -> FontChoice:
        base = self.by_role[role]
        if base.has_glyph(char) or char == " ":
            return base
        fallback = find_fallback_font(char)
        if fallback is None:
            self.missing.add(char)
            return base
        return fallback

    def advance(self, size: float) -> Callable[[str, str], float]:
        def measure(char: str, role: str) -> float:
            return stringWidth(char, self.font(char, role).name, size)

        return measure


def render_letter(letter: Letter, out: Path | BinaryIO) -> list[list[PlacedLine]]:
    """Lay out and write a 信函格式 document.

    Args:
        letter: the content.
        out: destination path (written atomically: temporary file, then rename) or stream.

    Returns:
        The placed lines per page (for tests and diagnostics).

    Raises:
        FontError: no Chinese font, or characters no installed font can draw (nothing written).
        OSError: the destination cannot be written.
    """
    fonts = _Fonts(DocumentFonts.find())
    _check_glyphs(letter, fonts)
    pages = _paginate(letter, fonts)
    if fonts.missing:
        raise unrenderable_error(fonts.missing, fonts.by_role["body"])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, lang="zh-CN",
                    initialFontName=fonts.by_role["body"].name, initialFontSize=BODY_SIZE)
    canvas.setTitle(letter.pdf_title)
    canvas.setAuthor(letter.pdf_author)
    canvas.setCreator("检查工作台")
    for number, lines in enumerate(pages, start=1):
        if number == 1:
            _draw_head(canvas, letter, fonts)
        else:
            _draw_page_number(canvas, number, fonts)
        for placed in lines:
            _draw_line(canvas, placed, fonts)
        canvas.showPage()
    canvas.save()
    if isinstance(out, (str, Path)):
        write_bytes(Path(out), buffer.getvalue())
    else:
        out.write(buffer.getvalue())
    return pages


def _check_glyphs(letter: Letter, fonts: _Fonts) -> None:
    """Look every character up in its role's font (or a fallback): the missing ones are
    collected in ``fonts.missing`` before anything is drawn."""
    texts = [(letter.authority, "title"), (letter.title, "title"), (letter.doc_number, "body"),
             (letter.sign_name, "body"), (letter.note, "body")]
    texts += [(text, role) for block in letter.blocks for text, role in block.runs]
    for text, role in texts:
        for char in clean(text):
            if char not in "\n ":
                fonts.font(char, role)


def clean(text: str) -> str:
    """Printable text: invisible characters dropped, U+2015/U+30FB as —/· (fonts.md §2)."""
    return unicodedata.normalize("NFC", clean_text(text)).translate(_NORMALISE)


# -- page 1 head ------------------------------------------------------------------------------

def _mark_size(letter: Letter, fonts: _Fonts) -> float:
    width = stringWidth(clean(letter.authority), fonts.by_role["title"].name, 1.0) or 1.0
    return min(MARK_MAX_SIZE, TYPE_WIDTH / width)


def head_positions(letter: Letter, fonts: _Fonts) -> dict[str, float]:
    """Vertical positions on page 1 (pt from the page top): 标志 top and bottom, first rule top
    and bottom, 文号 top, title top, and the first grid line free for the body."""
    mark = _mark_size(letter, fonts)
    rule_top = MARK_TOP + mark + RULE_GAP
    rule_bottom = rule_top + RULE_THICK + RULE_SPACE + RULE_THIN
    number_top = rule_bottom + GAP_7_8
    title_top = number_top + BODY_SIZE + 2 * ROW
    title_lines = _title_lines(letter.title)
    title_bottom = title_top + TITLE_SIZE + (len(title_lines) - 1) * TITLE_SIZE * 1.5
    body_from = title_bottom + ROW  # 主送: one 行 below the title
    first_line = next(k for k in range(LINES) if TOP + k * PITCH >= body_from - 0.01)
    return {"mark_top": MARK_TOP, "mark_size": mark, "rule_top": rule_top,
            "rule_bottom": rule_bottom, "number_top": number_top, "title_top": title_top,
            "first_line": first_line}


def _title_lines(title: str) -> list[str]:
    """The title in lines of at most 19 2号 characters, balanced (§7.3.1: 梯形或菱形)."""
    title = clean(title)
    per_line = int(TYPE_WIDTH // TITLE_SIZE)
    count = -(-len(title) // per_line) or 1
    size = -(-len(title) // count)
    return [title[i:i + size] for i in range(0, len(title), size)] or [""]


def _draw_head(canvas: Canvas, letter: Letter, fonts: _Fonts) -> None:
    pos = head_positions(letter, fonts)
    if letter.red:
        title_font = fonts.by_role["title"]
        size = pos["mark_size"]
        text = clean(letter.authority)
        width = stringWidth(text, title_font.name, size)
        canvas.saveState()
        canvas.setFillColor(RED)
        _draw_text(canvas, text, "title", fonts, LEFT + (TYPE_WIDTH - width) / 2, MARK_TOP, size)
        canvas.restoreState()
        _double_rule(canvas, pos["rule_top"], thick_first=True)
        _double_rule(canvas, SECOND_RULE_BOTTOM - (RULE_THICK + RULE_SPACE + RULE_THIN),
                     thick_first=False)
    number = clean(letter.doc_number)
    width = _text_width(number, "body", fonts, BODY_SIZE)
    _draw_text(canvas, number, "body", fonts, RIGHT - width, pos["number_top"], BODY_SIZE)
    top = pos["title_top"]
    for line in _title_lines(letter.title):
        width = _text_width(line, "title", fonts, TITLE_SIZE)
        _draw_text(canvas, line, "title", fonts, LEFT + (TYPE_WIDTH - width) / 2, top, TITLE_SIZE)
        top += TITLE_SIZE * 1.5


def _double_rule(canvas: Canvas, top: float, *, thick_first: bool) -> None:
    """A red double rule 170 mm long whose upper edge is ``top`` pt below the page top."""
    canvas.saveState()
    canvas.setFillColor(RED)
    first, second = (RULE_THICK, RULE_THIN) if thick_first else (RULE_THIN, RULE_THICK)
    canvas.rect(RULE_LEFT, PAGE_HEIGHT - top - first, RULE_LENGTH, first, stroke=0, fill=1)
    lower = top + first + RULE_SPACE
    canvas.rect(RULE_LEFT, PAGE_HEIGHT - lower - second, RULE_LENGTH, second, stroke=0, fill=1)
    canvas.restoreState()


def _draw_page_number(canvas: Canvas, number: int, fonts: _Fonts) -> None:
    text = f"— {number} —"
    width = _text_width(text, "page_number", fonts, SMALL_SIZE)
    x = RIGHT - SMALL_SIZE - width if number % 2 else LEFT + SMALL_SIZE
    _draw_text(canvas, text, "page_number", fonts, x, PAGE_NUMBER_CENTRE - SMALL_SIZE / 2,
               SMALL_SIZE)


# -- text drawing -----------------------------------------------------------------------------

def _baseline(font: FontChoice, top: float, size: float) -> float:
    """PDF y of the baseline that puts the em box (descent to descent + size) at ``top``."""
    descent = pdfmetrics.getFont(font.name).face.descent / 1000 * size  # negative
    return PAGE_HEIGHT - top - size - descent


def _text_width(text: str, role: str, fonts: _Fonts, size: float) -> float:
    return sum(size if is_wide(c) else stringWidth(c, fonts.font(c, role).name, size) for c in text)


def _draw_text(canvas: Canvas, text: str, role: str, fonts: _Fonts, x: float, top: float,
               size: float) -> None:
    """Draw one line of ``text`` at natural width from ``x``; em box top at ``top``."""
    obj = canvas.beginText()
    for char in text:
        font = fonts.font(char, role)
        obj.setFont(font.name, size)
        obj.setTextOrigin(x, _baseline(font, top, size))
        obj.textOut(char)
        x += size if is_wide(char) else stringWidth(char, font.name, size)
    canvas.drawText(obj)


def _draw_line(canvas: Canvas, placed: PlacedLine, fonts: _Fonts) -> None:
    """Draw a placed line; every font's em box is aligned on the line (ideographic em box)."""
    obj = canvas.beginText()
    current = None
    for glyph in placed.line.glyphs:
        if glyph.char == " ":
            continue
        font = fonts.font(glyph.char, glyph.role)
        if font.name != current:
            obj.setFont(font.name, placed.size)
            current = font.name
            y = _baseline(font, placed.top, placed.size)
        obj.setTextOrigin(placed.left + glyph.x - glyph.shift, y)
        obj.textOut(glyph.char)
    canvas.drawText(obj)


# -- pagination -------------------------------------------------------------------------------

def _lines_of(block: Block, fonts: _Fonts) -> list[tuple[Line, float]]:
    """The lines of a block with their left edge offsets (pt from the 版心's left edge)."""
    size = block.size
    cell = CELL * size / BODY_SIZE
    runs = [(clean(text), role) for text, role in block.runs if text]
    out: list[tuple[Line, float]] = []
    for paragraph in _split_runs(runs):
        if block.align in ("right", "center"):
            lines = break_lines(paragraph, int(CELLS * BODY_SIZE / size), cell,
                                fonts.advance(size), justify=False)
            for line in lines:
                if block.align == "right":
                    offset = TYPE_WIDTH - block.right_cells * cell - line.width
                else:
                    offset = (TYPE_WIDTH - line.width) / 2
                out.append((line, max(0.0, offset)))
            continue
        measure_cells = int(round(TYPE_WIDTH / cell)) - int(block.right_cells)
        lines = break_lines(paragraph, measure_cells, cell, fonts.advance(size), first_indent=block.first_indent * cell,
                            indent=block.indent * cell, justify=block.align == "justify")
        out += [(line, 0.0) for line in lines]
    return out


def _split_runs(runs: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Runs split at line breaks into paragraphs (empty text keeps an empty line)."""
    paragraphs: list[list[tuple[str, str]]] = [[]]
    for text, role in runs:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                paragraphs.append([])
            if part:
                paragraphs[-1].append((part, role))
    return [p if p else [(" ", "body")] for p in paragraphs]


def _paginate(letter: Letter, fonts: _Fonts) -> list[list[PlacedLine]]:
    """Place every line on the grid: body blocks, then the signature, then the 版记 note."""
    first_line = head_positions(letter, fonts)["first_line"]
    items: list[tuple[list[tuple[Line, float]], Block]] = [
        (_lines_of(block, fonts), block) for block in letter.blocks]
    tail: list[tuple[Line, float]] = []
    if letter.sign_name:
        date_text = format_cn_date(letter.sign_date) if letter.sign_date else ""
        date_block = Block([(date_text, "body")], align="right", right_cells=4)
        (date_line, date_left), = _lines_of(date_block, fonts)
        name_block = Block([(letter.sign_name, "body")], align="right")
        (name_line, _), = _lines_of(name_block, fonts)
        # 署名 centred over the date (§7.3.5.1), never past the 版心's edges
        name_left = date_left + (date_line.width - name_line.width) / 2
        name_left = min(max(0.0, name_left), TYPE_WIDTH - name_line.width)
        tail = [(name_line, name_left), (date_line, date_left)]
    note_lines = _lines_of(Block([(letter.note, "body")], first_indent=0, align="left",
                                 size=SMALL_SIZE, right_cells=2), fonts) if letter.note else []
    pages: list[list[PlacedLine]] = [[]]
    k = first_line

    def new_page() -> None:
        nonlocal k
        pages.append([])
        k = 0

    def place(line: Line, left: float, size: float) -> None:
        nonlocal k
        if k >= LINES:
            new_page()
        pages[-1].append(PlacedLine(line, TOP + k * PITCH + (BODY_SIZE - size), LEFT + left, size))
        k += 1

    for index, (lines, block) in enumerate(items):
        k += block.blank_before if k else 0
        if k >= LINES:
            new_page()
        if block.keep_with_next and index + 1 < len(items):
            following = 1 + items[index + 1][1].blank_before
            if k and k + len(lines) + following > LINES:  # a heading never ends a page
                new_page()
        for line, left in lines:
            place(line, left, block.size)
    if tail:
        # Two blank lines for the seal, 署名 and date; with the last body lines on one page
        # (§7.3.5.1: the seal's top within one line of the text), the note's lines free below.
        if k + 2 + len(tail) + len(note_lines) > LINES:
            carried = [pl for pl in pages[-1][-2:] if pl.size == BODY_SIZE]
            if len(carried) < len(pages[-1]):  # leave something on the page it came from
                del pages[-1][-len(carried):]
            else:
                carried = []
            new_page()
            for pl in carried:
                place(pl.line, pl.left - LEFT, pl.size)
        k += 2
        for line, left in tail:
            place(line, left, BODY_SIZE)
    if note_lines:
        if k + len(note_lines) > LINES:
            new_page()
        k = LINES - len(note_lines)
        for line, left in note_lines:
            place(line, left + SMALL_SIZE, SMALL_SIZE)
    return pages
