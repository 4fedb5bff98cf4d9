"""Pieces shared by the documents: red header and title, signature with seal space and 版记 note."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer

from workbench.reports.documents import format_cn_date
from workbench.reports.layout import (
    LINE,
    SEAL_SPACE_LINES,
    BottomBlock,
    DocumentFonts,
    RedRule,
    Rule,
    build_pdf,
    mark_style,
    signature_indents,
)
from workbench.reports.markup import Typesetter
from workbench.reports.wording import Wording, wording

_DIGITS = "零一二三四五六七八九"


def render_document(out: Path | BinaryIO, make_story: Callable[[Typesetter, Wording], list[Flowable]],
                    wording_key: str, *, title: str, author: str, page_numbers: bool = True) -> None:
    """Typeset one document and write its PDF: find the fonts, build the story with the fixed
    wording ``wording_key`` (resources/notice_wording.yaml), refuse characters no font can draw
    (FontError, before anything is written), then write ``out`` atomically."""
    fonts = DocumentFonts.find()
    ts = Typesetter(fonts)
    story = make_story(ts, wording(wording_key))
    ts.check()
    build_pdf(out, story, fonts=fonts, title=title, author=author, page_numbers=page_numbers)


def cn_number(n: int) -> str:
    """Chinese numeral for heading numbers (一、（一）): 1 → 一, 12 → 十二, 105 → 一百零五.

    Args:
        n: 1 to 9999.

    Raises:
        ValueError: n outside 1–9999.
    """
    if not 1 <= n <= 9999:
        raise ValueError(f"heading number out of range: {n}")
    parts, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(_DIGITS[digit] + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def red_header(ts: Typesetter, styles: dict[str, ParagraphStyle], authority: str,
               doc_number: str, title: str) -> list[Flowable]:
    """发文机关标志, 发文字号, red 分隔线 and 标题 (GB/T 9704-2012 §7.2–7.3.1, facts.md §6).

    The 文号 sits two blank lines below the mark, the rule 4 mm below the 文号, the title two
    blank lines below the rule, and the 主送 one blank line below the title.
    """
    return [
        ts.para(authority, mark_style(ts.fonts, authority)),
        Spacer(0, 2 * LINE),
        ts.para(doc_number, styles["doc_number"]),
        RedRule(),
        Spacer(0, 2 * LINE),
        ts.para(title, styles["title"]),
        Spacer(0, LINE),
    ]


def signature(ts: Typesetter, styles: dict[str, ParagraphStyle], authority: str,
              issued_on: date, last: list[Flowable], note: str) -> KeepTogether:
    """署名 and 成文日期 with room for the seal, and the copy note at the foot of that page.

    The group is kept on one page with the last body lines.

    GB/T 9704-2012 §7.3.5.1 (facts.md §6): date 4 characters in from the right, name centred
    over it, the red seal pressing on both; the block never stands alone on a page.

    Args:
        last: the final flowables of the body, kept together with the signature.
        issued_on: 成文日期, local calendar day.
        note: the copy note printed between 版记 rules at the bottom of the last page.
    """
    date_text = format_cn_date(issued_on)
    name_indent, date_indent = signature_indents(ts.fonts, authority, date_text)
    name_style = ParagraphStyle("sign_name", parent=styles["right"], rightIndent=name_indent)
    date_style = ParagraphStyle("sign_date", parent=styles["right"], rightIndent=date_indent)
    bottom = BottomBlock([Rule(0.35), ts.para(note, styles["note"]), Rule(0.25)],
                         min_gap=LINE / 2)
    return KeepTogether([*last, Spacer(0, SEAL_SPACE_LINES * LINE), ts.para(authority, name_style),
                         ts.para(date_text, date_style), bottom])
