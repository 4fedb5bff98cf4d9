"""Document numbers (发文字号) as users type them, brought to the GB/T 9704-2012 form."""

from __future__ import annotations

import re

from workbench.errors import ValidationError

# Brackets people type around the year instead of the hexagonal 〔〕 (GB/T 9704-2012 §7.2.4).
_YEAR_IN_BRACKETS = re.compile(r"[\[［【(（〔{｛〈《]\s*(\d{4})\s*[\]］】)）〕}｝〉》]", re.ASCII)


def normalize_doc_number(text: str) -> str:
    """``鲁网信整改[2026]12号`` / ``鲁网信整改（2026）12号`` / ``… 〔2026〕 12 号`` → ``鲁网信整改〔2026〕12号``.

    White space is removed, full-width digits become ordinary ones, and the brackets around the
    four-digit year become 六角括号 〔〕 (GB/T 9704-2012 §7.2.4: 发文字号 uses 〔〕 around the
    full year). Anything else is left as typed.
    """
    compact = "".join(text.split()).translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})
    return _YEAR_IN_BRACKETS.sub(r"〔\1〕", compact)


_PREFIX_FORBIDDEN = re.compile(r"[\[\]［］【】()（）〔〕{}｛｝〈〉《》\d０-９]")


def clean_doc_prefix(text: str) -> str:
    """The 文号前缀 as typed, checked: ``鲁网信整改`` (the year and number are added when issuing).

    White space is removed. An empty prefix is allowed here (not yet set); it is refused only when
    a number is issued.

    Raises:
        ValidationError: the prefix carries brackets or digits — the year 〔2026〕 and the
            sequence number are added to it for each document (GB/T 9704-2012 §7.2.4).
    """
    prefix = "".join(text.split())
    if _PREFIX_FORBIDDEN.search(prefix):
        raise ValidationError(f"文号前缀“{prefix}”只填机关代字，如“鲁网信整改”；年份〔2026〕和序号在编号时自动加上")
    return prefix
