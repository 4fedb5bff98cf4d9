"""Document numbers (发文字号) as users type them, brought to the GB/T 9704-2012 form."""

from __future__ import annotations

import re

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
