"""Pieces shared by the documents: typesetting a platypus document (the 送达回证) and Chinese
heading numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable

from workbench.reports.layout import DocumentFonts, build_pdf
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
