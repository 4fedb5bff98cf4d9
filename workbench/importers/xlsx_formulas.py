"""Formula cells an xlsx worksheet stores without a result, which python-calamine reads as empty."""

from __future__ import annotations

import io
import re
import threading
import zipfile
import zlib
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from workbench.importers.xlsx_parts import column_index, column_letter, sheet_part

__all__ = ["FormulaScan", "column_letter", "formulas_without_value"]

# ECMA-376 Part 1 §18.3.1.40 (f, formula) inside §18.3.1.4 (c, cell); §18.3.1.96 (v, value).
# Excel always saves the last result in <v>; openpyxl, Apache POI and other scripts write the
# formula alone and leave the result to the next recalculation, which never happens here.
# Element names may carry a namespace prefix (<x:c>), as some .NET writers emit.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_FORMULA_RE = re.compile(rb"<(" + _PREFIX + rb")f[\s/>]")
_REF_RE = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
_VALUE_RE = re.compile(rb"<" + _PREFIX + rb"v>[^<]|<" + _PREFIX + rb"is>")
# Every formula element but a shared formula's followers (<f t="shared" si="0"/>, which always
# come with their leading cell's <f …>…</f>) ends in "f>": </f>, </x:f>. One search of the
# XML for it (~0.06 s per 100 MB, the only part that holds the interpreter lock) settles the
# common case of a sheet without formulas.
_QUICK = b"f>"
_CHUNK = 1 << 20  # bytes of XML decompressed at a time
_PIECE = 8 << 20  # bytes of XML searched at a time (whole rows)
_ROW_END_RE = re.compile(rb"</" + _PREFIX + rb"row>\Z")

Found = dict[tuple[int, int], str]  # (1-based sheet row, 0-based column) → formula text


class FormulaScan:
    """Looks, in a background thread, for formula cells of one worksheet stored without a value.

    Such a cell reads as empty (breaker report A9). The scan decompresses the sheet's XML a
    second time (~0.25 s CPU per 100,000 rows, about a tenth of an import); started before
    calamine parses the sheet, it runs on another core meanwhile (calamine and zlib release
    the interpreter lock). Only sheets holding a formula element at all are searched cell by
    cell. Any failure only loses the check: the scan never raises.

    Args:
        data: the whole xlsx file.
        sheet: the worksheet's name as listed in the workbook.
    """

    def __init__(self, data: bytes, sheet: str):
        self._data = data
        self._sheet = sheet
        self._found: Found = {}
        self._thread = threading.Thread(target=self._run, name="xlsx-formula-scan", daemon=True)
        self._thread.start()

    def result(self) -> Found:
        """Wait for the scan; the formula cells without a value (empty when unsure)."""
        self._thread.join()
        return self._found

    def _run(self) -> None:
        """The thread's work. A file calamine could read but this cannot is left unscanned."""
        try:
            with zipfile.ZipFile(io.BytesIO(self._data)) as archive:
                part = sheet_part(archive, self._sheet)
                if part is not None:
                    self._found = _scan_part(archive, part)
        except (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ElementTree.ParseError,
                ValueError, NotImplementedError):
            self._found = {}  # calamine read the file; an odd package only loses this check
        finally:
            self._data = b""  # the caller may hold the file longer than the scan needs it


def formulas_without_value(xml: bytes) -> Found:
    """The formula cells of a worksheet XML part that hold no cached value.

    Args:
        xml: the worksheet part (``xl/worksheets/sheetN.xml``).

    Returns:
        (1-based row, 0-based column) → the formula with a leading ``=``, for every ``<c>``
        with an ``<f>`` and neither a non-empty ``<v>`` nor an inline string. Cells without an
        ``r`` reference are skipped.
    """
    found: Found = {}
    end = 0
    for match in _FORMULA_RE.finditer(xml):
        pos, prefix = match.start(), match.group(1)
        if pos < end:
            continue  # a second <f> in a cell already seen
        start = max(xml.rfind(b"<" + prefix + b"c ", 0, pos), xml.rfind(b"<" + prefix + b"c>", 0, pos))
        end = xml.find(b"</" + prefix + b"c>", pos)
        if start < 0 or end < 0:
            break  # not a worksheet as ECMA-376 writes it; calamine's reading stands
        cell = xml[start:end]
        ref = _REF_RE.search(cell, 0, cell.find(b">") + 1)
        if ref is None or _VALUE_RE.search(cell):
            continue
        found[(int(ref.group(2)), column_index(ref.group(1).decode()))] = "=" + _formula_text(cell, prefix)
    return found


def _formula_text(cell: bytes, prefix: bytes) -> str:
    """The text of the ``<f>`` element in ``cell`` (XML entities resolved; '' when shared)."""
    open_at = cell.find(b"<" + prefix + b"f")
    body_at = cell.find(b">", open_at) + 1
    if cell[body_at - 2:body_at] == b"/>":
        return ""  # <f t="shared" si="0"/>: the formula is written in another cell
    close_at = cell.find(b"</" + prefix + b"f>", body_at)
    raw = cell[body_at:close_at if close_at >= 0 else len(cell)].decode("utf-8", "replace")
    return unescape(raw, {"&quot;": '"', "&apos;": "'"})


def _scan_part(archive: zipfile.ZipFile, part: str) -> Found:
    """:func:`formulas_without_value` of a worksheet part, streamed: the XML is cut after a
    row's end tag into pieces of about :data:`_PIECE` bytes (whole cells each), and only pieces
    holding anything like a formula element are searched. The whole part is never held (a
    300,000-row list is 351 MB of XML)."""
    found: Found = {}
    buf = bytearray()
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buf += chunk
            if chunk and len(buf) < _PIECE:
                continue
            cut = _row_end(buf) if chunk else len(buf)
            if _QUICK in buf[:cut]:
                found.update(formulas_without_value(bytes(buf[:cut])))
            del buf[:cut]
            if not chunk:
                return found


def _row_end(buf: bytearray) -> int:
    """The position after the last row end tag (``</row>``, ``</x:row>``) in ``buf``, or its
    length when there is none (a piece then ends mid-row; the next one may miss that row's
    formula cell, which only loses the warning)."""
    end = len(buf)
    while (at := buf.rfind(b"row>", 0, end)) >= 0:
        if _ROW_END_RE.search(buf, max(0, at - 40), at + 4):
            return at + 4
        end = at
    return len(buf)
