"""Finding one worksheet's part in an xlsx package, and Excel column letters."""

from __future__ import annotations

import zipfile
from posixpath import join, normpath
from xml.etree import ElementTree

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding worksheet ``sheet`` (workbook.xml → its relationships)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = next((s.get(f"{{{_REL_NS}}}id") for s in book.iter(f"{{{_MAIN_NS}}}sheet")
                   if s.get("name") == sheet), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iter(f"{{{_PKG_NS}}}Relationship")
                   if r.get("Id") == rel_id), None)
    if rel_id is None or not target:
        return None
    return target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))


def column_index(letters: str) -> int:
    """``A`` → 0, ``Z`` → 25, ``AA`` → 26, ``XFD`` → 16383."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letter(index: int) -> str:
    """The Excel letters of 0-based column ``index`` (0 → ``A``, 25 → ``Z``, 26 → ``AA``)."""
    letters = ""
    number = index + 1
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
