"""Text cleanup shared by every imported cell: NFKC, Unicode spaces, zero-width and control characters."""

from __future__ import annotations

import re
import unicodedata

# Characters that render as nothing but break comparisons (copied from web pages and Word):
# ZERO WIDTH SPACE/NON-JOINER/JOINER, LEFT-TO-RIGHT/RIGHT-TO-LEFT MARK, WORD JOINER,
# SOFT HYPHEN and the byte-order mark used as ZERO WIDTH NO-BREAK SPACE (Unicode 15, ch. 23.2).
ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\u00ad\ufeff"
# Control characters (Unicode category Cc: C0 U+0000–001F, DEL, C1 U+0080–009F) other than those
# str.isspace() counts as white space (tab, line breaks, U+001C–001F, NEL U+0085), which are
# turned into spaces instead. NUL, BEL, ESC… never belong in a name; ESC would let a cell drive
# the terminal that prints it (breaker report A12).
CONTROLS = "".join(c for c in map(chr, (*range(0x20), *range(0x7F, 0xA0))) if not c.isspace())
# Bidirectional embedding, override and isolate controls and the Arabic letter mark (Unicode
# UAX #9 §2): U+202E RIGHT-TO-LEFT OVERRIDE makes "moc.elpmaxe" display as "example.com", so
# a list or an export could show a reader something other than what is stored (issue 9).
BIDI_CONTROLS = "\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DELETE_INVISIBLE = {ord(c): None for c in ZERO_WIDTH + CONTROLS + BIDI_CONTROLS}
#: Characters an import removes and reports (see :func:`escape_hidden`): controls and bidi controls.
HIDDEN_RE = re.compile(f"[{re.escape(CONTROLS + BIDI_CONTROLS)}]")


def escape_hidden(value: str) -> str:
    """``value`` with each control or bidi control character shown as ``[U+202E]``, so a problem
    report can show a raw value without the character acting on the text around it."""
    return HIDDEN_RE.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)


def clean_text(value: str) -> str:
    """Return ``value`` as one tidy line of text.

    Rules, in order: zero-width characters (``ZERO_WIDTH``), control characters
    (``CONTROLS``: NUL, BEL, ESC…) and bidi controls (``BIDI_CONTROLS``) are deleted; the text is put in
    Unicode NFKC form (UAX #15), which turns full-width letters, digits and punctuation
    (``ＩＣＰ``, ``２０１９``, ``（``) and the ideographic space U+3000 into their ordinary forms;
    then every run of Unicode white space (``str.isspace``: spaces, tabs, line breaks, NBSP
    U+00A0, U+3000…) becomes one space and the ends are stripped.

    Args:
        value: the cell text as read from the file.

    Returns:
        The cleaned text; ``''`` for blank input.
    """
    if not value:
        return ""
    if value.isprintable() and value[0] != " " and value[-1] != " " and "  " not in value:
        # Fast path for the common tidy cell: str.isprintable() is False for every character
        # this function changes (Unicode Zs/Zl/Zp spaces other than " ", Cc controls such as
        # tabs and line breaks, Cf format characters such as U+200B and U+FEFF).
        if value.isascii() or unicodedata.is_normalized("NFKC", value):
            return value
    else:
        value = value.translate(_DELETE_INVISIBLE)
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    parts = value.split()
    if len(parts) == 1:
        return parts[0]
    return " ".join(parts)


def compact_text(value: str) -> str:
    """Return ``value`` cleaned by :func:`clean_text` with all white space removed.

    Used for header texts (``网站\\n备案号`` → ``网站备案号``) and codes that never contain spaces.

    Args:
        value: raw text.

    Returns:
        The text without any white space or zero-width characters, in NFKC form.
    """
    return clean_text(value).replace(" ", "")


# Full-width ASCII letters and digits (U+FF10–FF19, FF21–FF3A, FF41–FF5A) to their ordinary forms.
_FULLWIDTH_ALNUM = {
    c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_FULLWIDTH_ALNUM_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def clean_free_text(value: str) -> str:
    """Tidy a name or remark without changing its Chinese punctuation.

    Zero-width, control (``CONTROLS``) and bidi control characters are deleted, full-width letters and digits
    (``ＡＢＣ１２３``) become ordinary ones, and every run of white space (incl. NBSP and U+3000) becomes one space; the
    full-width punctuation Chinese text uses (``（）、，：；“”``) is kept as written, because
    names such as ``西部数码（成都）股份有限公司`` are printed on notices as registered
    (GB/T 15834-2011 标点符号用法 uses full-width punctuation in Chinese text).

    Args:
        value: the cell text as read from the file.

    Returns:
        The cleaned text; ``''`` for blank input.
    """
    if not value:
        return ""
    if value.isprintable() and value[0] != " " and value[-1] != " " and "  " not in value:
        # Fast path for the common tidy cell: str.isprintable() is False for every zero-width
        # or control character and every white space but " " (as in clean_text), so only full-width
        # letters and digits could still change.
        if value.isascii() or _FULLWIDTH_ALNUM_RE.search(value) is None:
            return value
    else:
        value = value.translate(_DELETE_INVISIBLE)
    if not value.isascii():
        value = value.translate(_FULLWIDTH_ALNUM)
    return " ".join(value.split())
