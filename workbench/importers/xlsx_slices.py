"""A big xlsx worksheet read through python-calamine one slice of rows at a time (issue 12).

python-calamine cannot stream a sheet: it lays the whole sheet out as one grid before the first
row reaches Python (https://github.com/dimastbk/python-calamine/issues/42). For a 300,000-row list
that grid holds ~446 MB and peaks at ~641 MB while it is built, beyond an import's whole memory
budget (< 500 MB, issue 12). Here the worksheet's XML is unpacked as a stream and cut between
rows into slices of about :data:`SLICE_BYTES`; each slice becomes a small copy of the package
(the original's other parts, the slice as the sheet) that calamine reads as usual. Every cell is
therefore decoded by calamine itself — numbers, dates and times, booleans, errors, shared and
inline strings, the 1904 date system — exactly as when it reads the whole sheet, and only one
slice's grid is held at a time.

What calamine derives from the whole sheet is put back: every row is as wide as the widest row of
the sheet (a first pass over the slices measures it, before any row is handed out) and the rows
between slices are filled in; the merged ranges are calamine's own reading of the sheet's
``<mergeCells>``. A slice is only cut before a ``<row>`` that names its row number (``r``), so
calamine places every cell where it would in the whole sheet. A sheet that cannot be cut so
(rows without ``r``, rows out of order) raises :class:`NotSliceable` before any row is read,
and the caller reads it whole.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import python_calamine as calamine

from workbench.importers.xlsx_shared import SharedStrings, UnusualSharedStrings, shared_strings_part

#: Unpacked worksheet XML per slice. 4 MiB ≈ 3,500 rows of an 18-column list; reading a
#: 300,000-row list so peaks at ~120 MB (calamine's grid, the XML and the package copy of a
#: slice, the file's bytes), against 86 MB with 2 MiB and 240 MB with 16 MiB, at the same CPU
#: time (~7.4 s against 3.9 s for one whole read: the width is measured in a first pass).
SLICE_BYTES = 4 << 20
_CHUNK = 1 << 20  # bytes unpacked at a time
_LOOKAHEAD = 4096  # bytes after a row's end searched for the next row's start tag
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_SHEET_DATA_RE = re.compile(rb"<(" + _PREFIX + rb")sheetData(\s[^>]*)?(/?)>")
_DIMENSION_RE = re.compile(rb"<" + _PREFIX + rb"dimension\s[^>]*>")


class NotSliceable(Exception):
    """The sheet cannot be read in slices exactly as calamine reads it whole (read it whole)."""


class SharedStringsNotPacked(NotSliceable):
    """The workbook's shared strings cannot be handed to slices a few at a time
    (importers/xlsx_shared.py); the sheet may still be sliced with the whole part in each slice."""


class SlicedSheet:
    """A worksheet read in slices, with the parts of ``calamine.CalamineSheet`` the reader uses.

    ``start`` and ``end`` are (0-based row, column) like calamine's, except that ``start``'s
    column is always 0: :meth:`iter_rows` yields rows from sheet row 1 (index 0), each from
    column A and ``end[1] + 1`` cells wide, as the whole-sheet reader pads calamine's rows.

    Args:
        data: the whole xlsx package. part: the worksheet's zip member. sheet: its name.
        slice_bytes: unpacked XML per slice.
        pack_shared: give each slice only the shared strings it uses
            (:class:`~workbench.importers.xlsx_shared.SharedStrings`) instead of a copy of the
            workbook's whole shared-strings part, which calamine parses again for every slice.

    Attributes:
        shared: the packed shared strings (None without ``pack_shared`` or shared strings).

    Raises:
        NotSliceable: the sheet must be read whole (see the module docstring);
            :class:`SharedStringsNotPacked` when only its shared strings are of an unusual shape.
        calamine.CalamineError: calamine cannot read a slice (the whole sheet would fail too).
        zipfile.BadZipFile, zlib.error, EOFError: the package is damaged.
    """

    def __init__(self, data: bytes, part: str, sheet: str, slice_bytes: int = SLICE_BYTES,
                 pack_shared: bool = False):
        self._data, self._part, self._sheet, self._slice_bytes = data, part, sheet, slice_bytes
        self.shared: SharedStrings | None = None
        self._shared_part = ""
        if pack_shared:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                self._shared_part = shared_strings_part(archive, part) or ""
                try:
                    self.shared = (SharedStrings.from_package(data, self._shared_part) if self._shared_part
                                   else None)
                except UnusualSharedStrings as err:
                    raise SharedStringsNotPacked(str(err)) from err
        self._base = _base_package(data, (part, self._shared_part))
        self.slices = 0
        first_row, last_row, last_col = None, -1, -1
        try:
            for book in self._books(measuring=True):
                found = book.get_sheet_by_name(sheet)
                start, end = found.start, found.end
                if start is None or end is None:
                    continue
                if start[0] <= last_row:
                    raise NotSliceable("rows out of order")
                first_row = start[0] if first_row is None else first_row
                last_row, last_col = end[0], max(last_col, end[1])
        except UnusualSharedStrings as err:
            raise SharedStringsNotPacked(str(err)) from err
        if self.shared is not None:
            self.shared.measured()
        self.start = None if first_row is None else (first_row, 0)
        self.end = None if first_row is None else (last_row, last_col)
        self.merged_cell_ranges = self._merges()

    def iter_rows(self) -> Iterator[list]:
        """Every row from sheet row 1 to the last, each ``end[1] + 1`` cells from column A
        (an empty cell is ``''``), with calamine's values."""
        if self.end is None:
            return
        width = self.end[1] + 1
        done = 0  # rows yielded so far = the next row's index
        if self.shared is not None:
            self.shared.rewind()
        for book in self._books():
            found = book.get_sheet_by_name(self._sheet)
            start = found.start
            if start is None:
                continue
            rows = found.to_python(skip_empty_area=True)
            del found, book
            while done < start[0]:
                yield [""] * width
                done += 1
            left = [""] * start[1]
            for row in rows:
                yield left + row + [""] * (width - start[1] - len(row)) if start[1] or len(row) < width else row
            done += len(rows)
            del rows

    def _books(self, measuring: bool = False) -> Iterator[calamine.CalamineWorkbook]:
        """One calamine workbook per slice, in sheet order; with ``measuring``, good only for
        where its cells are (see :meth:`SharedStrings.for_measuring`)."""
        for xml, prefix in _slices(self._data, self._part, self._slice_bytes, self._merge_sink()):
            self.slices += 1
            parts = {self._part: xml}
            if self.shared is not None:
                give = self.shared.for_measuring if measuring else self.shared.for_slice
                parts[self._part], shared = give(xml, prefix)
                if shared is not None:
                    parts[self._shared_part] = shared
            del xml
            package = _with_parts(self._base, parts)
            del parts
            yield calamine.CalamineWorkbook.from_filelike(package)

    def _merge_sink(self) -> list[bytes]:
        self._merge_xml: list[bytes] = []
        return self._merge_xml

    def _merges(self) -> list:
        """calamine's merged ranges of the sheet, read from its ``<mergeCells>`` alone."""
        xml = b"".join(self._merge_xml)
        if not xml:
            return []
        book = calamine.CalamineWorkbook.from_filelike(_with_parts(self._base, {self._part: xml}))
        return book.get_sheet_by_name(self._sheet).merged_cell_ranges or []


def _slices(data: bytes, part: str, slice_bytes: int, merge_sink: list[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """The worksheet XML of each slice: the sheet's head (without ``<dimension>``), a run of
    whole rows, and closing tags; each with the sheet's namespace prefix (``b""`` or e.g.
    ``b"x:"``). After the last slice, ``merge_sink`` holds a worksheet with only the sheet's
    ``<mergeCells>`` (nothing when it has none).

    Raises:
        NotSliceable: no ``<sheetData>`` with rows, or no place to cut before a ``<row r=…>``.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as stream:
        buf = bytearray()
        while (found := _SHEET_DATA_RE.search(buf)) is None:
            chunk = stream.read(min(_CHUNK, slice_bytes))
            if not chunk or len(buf) > 64 * _CHUNK:
                raise NotSliceable("no sheetData")
            buf += chunk
        if found.group(3):
            raise NotSliceable("empty sheetData")
        prefix = found.group(1)
        head = _DIMENSION_RE.sub(b"", bytes(buf[:found.end()]), count=1)
        foot = b"</" + prefix + b"sheetData></" + prefix + b"worksheet>"
        row_end = b"</" + prefix + b"row>"
        data_end = b"</" + prefix + b"sheetData>"
        next_row = re.compile(rb"\s*<" + re.escape(prefix) + rb"row\s[^>]*?\br\s*=")
        del buf[:found.end()]
        searched = 0  # buf before this holds no end of sheetData
        while True:
            end = buf.find(data_end, searched)
            if end >= 0:
                if end:
                    yield _slice_xml(head, buf, end, foot), prefix
                _merge_cells(bytes(buf[end:]), stream, head, prefix, merge_sink)
                return
            searched = max(0, len(buf) - len(data_end))
            if len(buf) >= slice_bytes + _LOOKAHEAD:
                cut = _cut(buf, row_end, next_row, len(buf) - _LOOKAHEAD)
                yield _slice_xml(head, buf, cut, foot), prefix
                del buf[:cut]
                searched = 0
                continue
            chunk = stream.read(min(_CHUNK, slice_bytes))
            if not chunk:
                raise NotSliceable("no end of sheetData")
            buf += chunk


def _slice_xml(head: bytes, buf: bytearray, end: int, foot: bytes) -> bytes:
    """``head`` + ``buf[:end]`` + ``foot`` with one copy of the rows."""
    with memoryview(buf) as view:
        return b"".join((head, view[:end], foot))


def _cut(buf: bytearray, row_end: bytes, next_row: re.Pattern, before: int) -> int:
    """The last position before ``before`` right after a row's end tag and before a row start
    tag that names its row (calamine then numbers every later row as in the whole sheet).

    Raises:
        NotSliceable: none among the last 100 row ends.
    """
    for _ in range(100):
        at = buf.rfind(row_end, 0, before)
        if at < 0:
            break
        cut = at + len(row_end)
        if next_row.match(buf, cut, cut + _LOOKAHEAD):
            return cut
        before = at
    raise NotSliceable("no row with a number to cut before")


def _merge_cells(tail: bytes, stream, head: bytes, prefix: bytes, merge_sink: list[bytes]) -> None:
    """Find the sheet's ``<mergeCells>…</mergeCells>`` after its rows (``tail`` and the rest of
    ``stream``) and put a worksheet holding only them into ``merge_sink``."""
    start_tag, end_tag = b"<" + prefix + b"mergeCells", b"</" + prefix + b"mergeCells>"
    buf = tail
    while (at := buf.find(start_tag)) < 0:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return
        buf = buf[-len(start_tag):] + chunk
    buf = buf[at:]
    while (end := buf.find(end_tag)) < 0:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return  # calamine would fail on such a sheet; its slices already read
        buf += chunk
    merge_sink.append(head + b"</" + prefix + b"sheetData>" + buf[:end + len(end_tag)]
                      + b"</" + prefix + b"worksheet>")


def _base_package(data: bytes, left_out: tuple[str, ...]) -> bytes:
    """The package without the parts ``left_out`` (other parts packed again, quickly)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w") as copy:
        for info in archive.infolist():
            if info.filename not in left_out:
                copy.writestr(info.filename, archive.read(info), compress_type=zipfile.ZIP_DEFLATED,
                              compresslevel=1)
    return out.getvalue()


def _with_parts(base: bytes, parts: dict[str, bytes]) -> io.BytesIO:
    """``base`` with ``parts`` (member → XML) added (stored), at position 0."""
    out = io.BytesIO(base)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a") as package:
        for part, xml in parts.items():
            package.writestr(part, xml, compress_type=zipfile.ZIP_STORED)
    out.seek(0)
    return out


__all__ = ["SLICE_BYTES", "NotSliceable", "SharedStringsNotPacked", "SlicedSheet"]
