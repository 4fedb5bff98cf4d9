"""Merged cells of an OpenDocument spreadsheet, which python-calamine does not report."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = f"{{{_TABLE}}}"
_CELLS = (f"{_T}table-cell", f"{_T}covered-table-cell")

Merge = tuple[tuple[int, int], tuple[int, int]]


def ods_merges(data: bytes, sheet: str) -> list[Merge]:
    """The merged ranges of table ``sheet`` in the .ods file ``data``, as python-calamine gives
    them for xlsx: ((first row, first column), (last row, last column)), 0-based.

    A merged cell is a ``table:table-cell`` with ``table:number-rows-spanned`` or
    ``table:number-columns-spanned`` (OpenDocument 1.2 part 1, §9.1.4); repeated rows and
    cells (``number-rows-repeated``, ``number-columns-repeated``) are counted, not expanded.
    Streamed with iterparse; a package that cannot be read gives ``[]`` (calamine read it).
    """
    merges: list[Merge] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as stream:
            inside = False
            row = col = 0
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag
                if tag == f"{_T}table":
                    if event == "start":
                        inside, row = element.get(f"{_T}name") == sheet, 0
                    elif inside:
                        return merges
                    element.clear()
                elif not inside:
                    continue
                elif tag == f"{_T}table-row":
                    if event == "start":
                        col = 0
                    else:
                        row += int(element.get(f"{_T}number-rows-repeated", "1"))
                        element.clear()
                elif tag in _CELLS and event == "end":
                    rows = int(element.get(f"{_T}number-rows-spanned", "1"))
                    cols = int(element.get(f"{_T}number-columns-spanned", "1"))
                    if tag == _CELLS[0] and (rows > 1 or cols > 1):
                        merges.append(((row, col), (row + rows - 1, col + cols - 1)))
                    col += int(element.get(f"{_T}number-columns-repeated", "1"))
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError, OSError):
        return []
    return merges
