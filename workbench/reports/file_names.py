"""Safe file names from user text. No reportlab here: the window names files (exports, the
documents screen) without loading the PDF libraries."""

from __future__ import annotations

import re
import unicodedata

from workbench.atomic import fit_name_bytes

MAX_NAME_CHARS = 80  # well under Windows' 255-character file-name and 260-character path limits
# A stem's byte budget: room under MAX_NAME_BYTES for what callers append (" (12)", "_汇总表.xlsx").
MAX_STEM_BYTES = 200
_FORBIDDEN = re.compile(r'[/\\:*?"<>|]')  # not allowed in Windows file names; / also on POSIX
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(text: str, fallback: str = "文书") -> str:
    """A file-name stem built from user text, safe on Windows, macOS and Linux.

    Drops path separators and ``: * ? " < > |``, control characters, leading dots and spaces and
    trailing dots and spaces (Windows strips those); avoids reserved device names (CON, NUL…);
    keeps Chinese and 〔〕; cuts to 80 characters and 200 bytes of UTF-8 (so names of 4-byte
    characters stay under the 255-byte file-name limit with room for suffixes).

    Args:
        text: any user text, e.g. "鲁网信整改〔2026〕12号-某公司".
        fallback: the stem used when nothing is left.

    Returns:
        A non-empty stem without extension, e.g. "鲁网信整改〔2026〕12号-某公司".
    """
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    text = _FORBIDDEN.sub("", text).strip(" .")
    text = fit_name_bytes(text[:MAX_NAME_CHARS], max_bytes=MAX_STEM_BYTES).rstrip(" .")
    if not text:
        return fallback
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    return text
