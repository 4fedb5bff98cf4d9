"""Rules for a checklist template's id and version, wherever the template comes from."""

from __future__ import annotations

import re

# ASCII letters, digits, "_", "-" and "." starting with a letter or digit, at most 64 (id) and
# 32 (version) characters: they name the template in lists, the database and exported file
# names, so no path separators, markup or line breaks (bad-input report D9).
SAFE_PATTERNS = {
    "id": (re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z", re.ASCII), 64),
    "version": (re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}\Z", re.ASCII), 32),
}


def identifier_problem(field: str, label: str, text: str) -> str:
    """Why ``text`` is refused as the template's ``field`` ('id' or 'version'), or '' when fine
    (an empty value is reported elsewhere as missing). ``label`` names the field for the user."""
    if field not in SAFE_PATTERNS or not text:
        return ""
    pattern, longest = SAFE_PATTERNS[field]
    if pattern.match(text):
        return ""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text[:40])
    shown += "…" if len(text) > 40 else ""
    return (f"{label}“{shown}”不合规：只能由英文字母、数字和 _ - . 组成，以字母或数字开头，"
            f"不超过 {longest} 个字符")
