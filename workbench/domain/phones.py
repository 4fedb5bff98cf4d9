"""Chinese telephone numbers as typed into lists: mobiles, landlines, numbers stored as numbers."""

from __future__ import annotations

import re

from workbench.domain.text import compact_text

# Patterns are re.ASCII (full-width digits are folded by NFKC first) and end in \Z, not $,
# which would let a trailing line break through into the stored number.
# Mainland mobile numbers: 11 digits starting 13-19 (MIIT numbering plan, 电信网编号计划 2017).
_MOBILE_RE = re.compile(r"1[3-9]\d{9}\Z", re.ASCII)
# Landlines: trunk 0 + 2-3 digit area code, 7-8 digit local number, optional extension.
_LANDLINE_RE = re.compile(r"(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?\Z", re.ASCII)
_LOCAL_RE = re.compile(r"\d{7,8}\Z", re.ASCII)
_SERVICE_RE = re.compile(r"[48]00-?\d{3}-?\d{4}\Z", re.ASCII)
_SEPARATORS_RE = re.compile(r"[;,、/\n；，／]+")
_COUNTRY_RE = re.compile(r"^(?:\+86|0086|86(?=1[3-9]\d{9}\Z))", re.ASCII)


def normalise_phone(value: object) -> tuple[str, tuple[str, ...]]:
    """Normalise the phone numbers in one cell.

    Rules: a number cell becomes its integer digits (``13500007610.0`` → ``13500007610``, no
    float artefacts); text is cleaned (NFKC, spaces removed); the country code ``+86``/``0086``
    is dropped; mobiles are written as 11 plain digits; landlines keep their area code as
    ``0531-83028078`` (a missing dash is inserted: area codes starting 01/02 have 3 digits,
    others 4 — the national numbering plan); ``(0531)83028078`` is read as a landline.
    Several numbers in a cell (``;,、/`` or line breaks) are each normalised and joined by ``;``.

    Args:
        value: the raw cell: str, int or float.

    Returns:
        (phone text, warning codes: ``phone_invalid`` when some number fits no known form).
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if _MOBILE_RE.match(text):
        return text, ()
    parts = [p for p in (_one_phone(s) for s in _SEPARATORS_RE.split(text)) if p[0]]
    issues = ("phone_invalid",) if any(not ok for _, ok in parts) else ()
    return ";".join(p for p, _ in parts), issues


def _one_phone(text: str) -> tuple[str, bool]:
    """One number → (normalised text, whether it fits a known form)."""
    raw = compact_text(text)
    value = raw.replace("(", "").replace(")", "-", 1) if raw.startswith("(") else raw
    value = _COUNTRY_RE.sub("", value)
    digits = value.replace("-", "")
    if _MOBILE_RE.match(digits):
        return digits, True
    match = _LANDLINE_RE.match(value)
    if match is not None:
        area, local, ext = match.groups()
        if "-" not in value:
            area_len = 3 if digits[1] in "12" else 4
            area, local = digits[:area_len], digits[area_len:]
        return f"{area}-{local}" + (f"-{ext}" if ext else ""), True
    if _LOCAL_RE.match(value) or _SERVICE_RE.match(value):
        return value, True
    return raw, False
