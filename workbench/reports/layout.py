"""Fonts by role for a document, and the platypus frame used by the 送达回证 (a form, not a letter;
the notice and opinion use letter.py's character grid).

All numbers come from GB/T 9704-2012 as summarised in facts.md §6 unless a comment says otherwise.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus import paragraph as _rl_paragraph

from workbench.atomic import write_bytes
from workbench.reports.fonts import FontChoice, font_for

PAGE_WIDTH, PAGE_HEIGHT = A4  # 210 × 297 mm
TOP_MARGIN = 37 * mm  # 天头
LEFT_MARGIN = 28 * mm  # 订口
TYPE_WIDTH = 156 * mm  # 版心 width
TYPE_HEIGHT = 225 * mm  # 版心 height
BOTTOM_MARGIN = PAGE_HEIGHT - TOP_MARGIN - TYPE_HEIGHT  # 35 mm
RIGHT_MARGIN = PAGE_WIDTH - LEFT_MARGIN - TYPE_WIDTH  # 26 mm

BODY_SIZE = 16.0  # 3号: 正文
TITLE_SIZE = 22.0  # 2号: 标题
SMALL_SIZE = 14.0  # 4号: 页码, 版记, table text
LINE = TYPE_HEIGHT / 22  # ≈ 28.99 pt: 22 lines per page; Word users set ~29 pt fixed [obs]
INDENT = 2 * BODY_SIZE  # 正文 first-line indent: two characters
PAGE_NUMBER_GAP = 7 * mm  # 一字线 7 mm below the 版心

# Chinese line-breaking (禁则): reportlab's CJK wrap keeps the ASCII forms of , : ; ! ? off the
# start of a line but not the full-width ones Chinese text uses, nor closing quotes and 》.
# Those are hung in the margin instead (标点悬挂). Extends the list reportlab's two CJK wrappers
# (textsplit.dumbSplit for one-font paragraphs, paragraph.cjkFragSplit otherwise) read at wrap time.
_CANNOT_START = "，：；！？》”’"
for _module in (_rl_textsplit, _rl_paragraph):
    _module.ALL_CANNOT_START += "".join(c for c in _CANNOT_START
                                        if c not in _module.ALL_CANNOT_START)


@dataclass(frozen=True)
class DocumentFonts:
    """The faces of one document by role (GB/T 9704-2012; fonts.font_for): title 小标宋, body
    仿宋, level-1 heading 黑体, level-2 heading 楷体, page numbers 宋体."""

    body: FontChoice
    title: FontChoice
    heading1: FontChoice
    heading2: FontChoice
    page_number: FontChoice

    @classmethod
    def find(cls) -> DocumentFonts:
        """Find and register the fonts for every role; raises FontError when none is installed."""
        return cls(font_for("body"), font_for("title"), font_for("heading1"),
                   font_for("heading2"), font_for("page_number"))

    @property
    def heading(self) -> FontChoice:
        """The level-1 heading face (黑体)."""
        return self.heading1

    def by_name(self, name: str) -> FontChoice:
        """The font registered as ``name`` (a style's fontName)."""
        for font in (self.body, self.title, self.heading1, self.heading2, self.page_number):
            if font.name == name:
                return font
        raise KeyError(name)


def make_styles(fonts: DocumentFonts) -> dict[str, ParagraphStyle]:
    """Paragraph styles keyed by role; all use CJK wrapping.

    Keys: ``doc_number``, ``title``, ``salutation``, ``body``, ``heading``, ``plain``,
    ``right``, ``note``, ``cell``, ``cell_center``, ``cell_right``.
    """
    body = ParagraphStyle("body", fontName=fonts.body.name, fontSize=BODY_SIZE, leading=LINE,
                          firstLineIndent=INDENT, alignment=TA_JUSTIFY, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.5,
                          firstLineIndent=0, alignment=TA_LEFT)
    return {
        "doc_number": ParagraphStyle("doc_number", parent=body, firstLineIndent=0,
                                     alignment=TA_CENTER, leading=BODY_SIZE),
        "title": ParagraphStyle("title", parent=body, fontName=fonts.title.name,
                                fontSize=TITLE_SIZE, leading=TITLE_SIZE * 1.45,
                                firstLineIndent=0, alignment=TA_CENTER),
        "salutation": ParagraphStyle("salutation", parent=body, firstLineIndent=0),
        "body": body,
        "heading": ParagraphStyle("heading", parent=body, fontName=fonts.heading.name),
        "plain": ParagraphStyle("plain", parent=body, firstLineIndent=0, alignment=TA_LEFT),
        "right": ParagraphStyle("right", parent=body, firstLineIndent=0, alignment=TA_RIGHT),
        "note": ParagraphStyle("note", parent=cell, leftIndent=SMALL_SIZE, rightIndent=SMALL_SIZE,
                               leading=SMALL_SIZE * 1.6),
        "cell": cell,
        "cell_center": ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
    }


def _page_number(font: FontChoice) -> Callable:
    """onPage callback drawing ``— n —`` in 4号, 7 mm below the 版心; odd right, even left."""

    def draw(canvas, doc):
        number = canvas.getPageNumber()
        text = f"— {number} —"
        baseline = BOTTOM_MARGIN - PAGE_NUMBER_GAP - SMALL_SIZE * 0.65
        canvas.saveState()
        canvas.setFont(font.name, SMALL_SIZE)
        if number % 2:
            canvas.drawRightString(LEFT_MARGIN + TYPE_WIDTH - SMALL_SIZE, baseline, text)
        else:
            canvas.drawString(LEFT_MARGIN + SMALL_SIZE, baseline, text)
        canvas.restoreState()

    return draw


def build_pdf(out: Path | BinaryIO, story: list[Flowable], *, fonts: DocumentFonts,
              title: str, author: str, page_numbers: bool = True) -> None:
    """Lay ``story`` out on GB/T 9704 A4 pages and write the PDF to ``out``.

    A path is written atomically (temporary file, then rename), so a failed render leaves no
    half-written file; a binary stream receives the bytes in one write.

    Args:
        out: destination file path, or a writable binary stream.
        story: the flowables, in order.
        fonts: the document's fonts (page numbers use the title face, 宋体 where installed).
        title: PDF metadata title.
        author: PDF metadata author (the issuing authority).
        page_numbers: draw ``— n —`` page numbers.

    Raises:
        OSError: the destination cannot be written.
    """
    buffer = io.BytesIO()
    frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, TYPE_WIDTH, TYPE_HEIGHT, id="type_area",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    on_page = _page_number(fonts.page_number) if page_numbers else (lambda canvas, doc: None)
    doc = BaseDocTemplate(buffer, pagesize=A4, title=title, author=author, creator="检查工作台",
                          lang="zh-CN", initialFontName=fonts.body.name,
                          initialFontSize=BODY_SIZE, initialLeading=LINE,
                          leftMargin=LEFT_MARGIN, rightMargin=RIGHT_MARGIN,
                          topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN,
                          pageTemplates=[PageTemplate("gbt9704", [frame], onPage=on_page)])
    doc.build(story)
    _write(out, buffer.getvalue())


def _write(out: Path | BinaryIO, data: bytes) -> None:
    if not isinstance(out, (str, os.PathLike)):
        out.write(data)
        return
    write_bytes(Path(out), data)
