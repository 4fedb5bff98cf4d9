"""Checks an xlsx package before python-calamine reads it: zip bombs and sheets that reach far out.

python-calamine unpacks a part completely and lays a worksheet out as one dense grid from its
first to its last cell. A 4–13 MB file whose shared strings inflate to gigabytes, or a sheet with
one stray cell at XFD1048576 (16,384 × 1,048,576 cells), makes it allocate until the process
is killed or aborts (exit 134; breaker report of issue 9). Here the package is measured first:

* :func:`check_package` refuses an archive whose parts declare, or turn out to inflate to, more
  than the limits of :class:`ReadLimits` (checked by streaming, never by unpacking whole);
* :func:`scan_sheet` streams one worksheet part once and estimates the grid calamine would
  build from the cell references it holds, cheaply (a few byte searches per MiB);
* :func:`trim_sheet`, only for a sheet whose grid would be too big, finds the table's true
  extent and writes a copy of the package without the cells far outside it, which it reports.
"""

from __future__ import annotations

import io
import queue
import re
import threading
import zipfile
import zlib
from dataclasses import dataclass, field

from workbench.errors import InputFileError
from workbench.importers.xlsx_parts import column_index, column_letter
from workbench.importers.xlsx_slices import SLICE_BYTES

_CHUNK = 1 << 20  # bytes of XML unpacked at a time
_OVERLAP = 64  # bytes of the previous chunk searched again, for a reference cut in two
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# The only cell or row references that matter for the grid's size: columns of two or three
# letters (AA…, AAA…) and rows of six digits or more. One search with a literal prefix finds
# them; a list of up to 26 columns and 99,999 rows has none (~0.2 s per 100 MB of XML).
_FAR_REF_RE = re.compile(rb""" r=["']([A-Z]{0,3})([0-9]*)""")
_FAR_REF_QUICK = re.compile(rb""" r=["'](?:[A-Z]{2,3}[0-9]|[A-Z]{0,3}[0-9]{6})""")
_ROW_TAG = b"<row "
_ROW_NUMBER_RE = re.compile(rb"""\br=["']([0-9]+)""")
_DIMENSION_RE = re.compile(rb"<" + _PREFIX + rb"""dimension\s+ref=["']([^"']*)["']""")
_FORMULA_QUICK = b"f>"  # see xlsx_formulas._QUICK
_REF_RE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")
_CELL_RE = re.compile(rb"<(" + _PREFIX + rb")c(\s[^>]*?)?(?:/>|>(.*?)</\1c>)", re.S)
_CELL_REF_RE = re.compile(rb"""\br=["']([A-Z]{1,3})([0-9]{1,7})["']""")
_HAS_VALUE_RE = re.compile(rb"<" + _PREFIX + rb"(?:v|t)(?:\s[^>]*)?>\s*[^<\s]")

#: The most cells python-calamine may lay out for one sheet before the sheet is trimmed first
#: (about 32 bytes each in calamine's grid, so ≈ 0.5 GB). A 100,000-row list of 26 columns
#: uses 2.6 million.
CELL_BUDGET = 16_000_000
#: The biggest worksheet XML python-calamine reads whole. calamine holds a sheet as one grid
#: of ~1.3 bytes per byte of XML once built and ~1.8 while building it (a 300,000-row,
#: 18-column list: 351 MB of XML, a 446 MB grid, 641 MB at the peak); an import of a 300,000-row
#: list must stay under 500 MB in all (issue 12). A bigger sheet is read in slices, which costs
#: one more parse of the XML (a first pass measures the sheet's width): ~+1.2 s of CPU per
#: 100,000 rows. 128 MiB keeps lists up to ~110,000 rows (the 100,000-row benchmark list is
#: 117 MB of XML) on the faster whole read, where calamine's grid peaks at ~230 MB.
WHOLE_SHEET_BYTES = 128 << 20
#: Empty columns / rows that separate the table from stray cells further out.
COLUMN_GAP = 64
ROW_GAP = 10_000


@dataclass(frozen=True)
class ReadLimits:
    """How much an input workbook may unpack to (see ``Settings.import_unpacked_limit_mb``).

    Attributes:
        unpacked_bytes: the most bytes all parts of an xlsx/ods package may inflate to.
        ratio: the most an archive may inflate relative to its size on disk (a real workbook's
            XML packs 5–20 to 1; a zip bomb 1,000 to 1); checked once the parts exceed 64 MiB.
        whole_sheet_bytes: an xlsx worksheet whose XML unpacks to more is read in slices of
            ``slice_bytes`` (importers/xlsx_slices.py) instead of whole; see
            :data:`WHOLE_SHEET_BYTES`.
        slice_bytes: the unpacked XML per slice.
    """

    unpacked_bytes: int = 1 << 30
    ratio: int = 100
    whole_sheet_bytes: int = WHOLE_SHEET_BYTES
    slice_bytes: int = SLICE_BYTES

    @classmethod
    def from_settings(cls, settings) -> ReadLimits:
        """The limits of a :class:`workbench.settings.Settings`."""
        return cls(unpacked_bytes=max(1, settings.import_unpacked_limit_mb) << 20,
                   ratio=max(1, settings.import_compression_ratio_limit))


DEFAULT_LIMITS = ReadLimits()
_RATIO_FLOOR = 64 << 20


def check_package(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS,
                  read_now: tuple[str, ...] = ()) -> None:
    """Refuse a zip package (xlsx/ods) that would unpack to more than ``limits`` allow.

    The sizes the central directory declares are summed first (no unpacking); then the parts
    named in ``read_now`` (those a reader unpacks on opening, e.g. the shared strings) are
    streamed and counted: Python's zipfile never yields more than the declared size, and a part
    that really holds more fails its CRC check, which is refused as damage.

    Raises:
        InputFileError: over a limit (in Chinese, saying which part and how big) or damaged.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_sizes(infos, len(data), name, limits)
            for info in infos:
                if info.filename in read_now:
                    _drain(archive, info, name, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as err:
        raise InputFileError("文件已损坏（压缩结构无法读取），请重新获取或在 Excel 中另存", name) from err


def _check_sizes(infos: list[zipfile.ZipInfo], size: int, name: str, limits: ReadLimits) -> None:
    """Refuse declared sizes over the limits (names the biggest part)."""
    total = sum(i.file_size for i in infos)
    biggest = max(infos, key=lambda i: i.file_size, default=None)
    if total > limits.unpacked_bytes:
        raise InputFileError(_too_big(total, biggest, limits), name)
    if total > _RATIO_FLOOR and total > limits.ratio * max(size, 1):
        raise InputFileError(
            f"文件解压后达 {_mb(total)}，是文件本身（{_mb(size)}）的 {total // max(size, 1)} 倍，"
            f"超过正常表格的压缩比（上限 {limits.ratio} 倍），疑似“压缩炸弹”，为保护本机内存已拒绝读取"
            f"（最大的部分：{biggest.filename if biggest else ''}）", name,
        )


def _too_big(total: int, biggest: zipfile.ZipInfo | None, limits: ReadLimits) -> str:
    part = f"，其中 {biggest.filename} 为 {_mb(biggest.file_size)}" if biggest else ""
    return (f"文件解压后共 {_mb(total)}{part}，超过读取上限 {_mb(limits.unpacked_bytes)}"
            "（可能是“压缩炸弹”，或表格过大）；为保护本机内存已拒绝读取。确属正常的大表格，"
            "请拆分后分批导入，或在设置中提高“导入文件解压上限”")


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB" if size >= 1 << 20 else f"{size:,} 字节"


def _drain(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: ReadLimits) -> int:
    """Stream one part to its end without keeping it; returns its size."""
    seen = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            seen += len(chunk)
            if seen > limits.unpacked_bytes:
                raise InputFileError(_too_big(seen, info, limits), name)
    return seen


@dataclass
class SheetScan:
    """What one streaming pass over a worksheet part found.

    Attributes:
        size: the part's unpacked size in bytes.
        rows: the highest row number referenced (an estimate: rows in order, plus every
            reference of six digits or more).
        columns: the widest column referenced (16,384 when any three-letter column appears).
        dimension: the ``<dimension ref>`` text, '' when absent.
        has_formula: whether anything like a formula element appears.
    """

    size: int = 0
    rows: int = 0
    columns: int = 0
    dimension: str = ""
    has_formula: bool = False
    two_letters: set[bytes] = field(default_factory=set)

    @property
    def grid_cells(self) -> int:
        """The cells of the grid calamine would lay out (or the dimension claims, if more)."""
        cells = self.rows * self.columns
        area = _area(self.dimension)
        return max(cells, area)

    @property
    def too_big(self) -> bool:
        """True when the sheet must be trimmed before calamine lays it out."""
        return self.grid_cells > CELL_BUDGET


def scan_sheet(archive: zipfile.ZipFile, part: str, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> SheetScan:
    """Stream worksheet ``part`` once: its size, rough extent and whether it has formulas.

    The part is inflated in a helper thread (zlib releases the interpreter lock) while this
    thread searches the previous chunk, so the scan costs about the time of one inflate.

    Raises:
        InputFileError: the part inflates past ``limits.unpacked_bytes``, or is damaged.
    """
    scan = SheetScan()
    wide = False
    tail = b""
    chunks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def inflate() -> None:
        try:
            with archive.open(part) as stream:
                while not stop.is_set() and (chunk := stream.read(_CHUNK)):
                    chunks.put(chunk)
            chunks.put(b"")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
            chunks.put(err)

    worker = threading.Thread(target=inflate, name="xlsx-sheet-scan", daemon=True)
    worker.start()
    try:
        while (chunk := chunks.get()) != b"":
            if isinstance(chunk, Exception):
                raise InputFileError("文件已损坏（压缩结构无法读取），请重新获取或在 Excel 中另存", name) from chunk
            scan.size += len(chunk)
            if scan.size > limits.unpacked_bytes:
                raise InputFileError(_too_big(scan.size, archive.getinfo(part), limits), name)
            text = tail + chunk
            if not scan.dimension and scan.size == len(chunk):
                found = _DIMENSION_RE.search(text, 0, 4096)
                scan.dimension = found.group(1).decode("ascii", "replace") if found else ""
            if not scan.has_formula and _FORMULA_QUICK in text:
                scan.has_formula = True
            if _FAR_REF_QUICK.search(text):
                wide = _far_refs(text, scan) or wide
            last = text.rfind(_ROW_TAG)
            if last >= 0:
                found = _ROW_NUMBER_RE.search(text, last, last + 64)
                if found:
                    scan.rows = max(scan.rows, int(found.group(1)))
            tail = chunk[-_OVERLAP:]
    finally:
        stop.set()
        while worker.is_alive():  # let the helper finish its put and see the stop
            try:
                chunks.get(timeout=0.1)
            except queue.Empty:
                pass
    if wide:
        scan.columns = 16384
    elif scan.two_letters:
        scan.columns = max(column_index(letters.decode()) for letters in scan.two_letters) + 1
    else:
        scan.columns = 26
    return scan


def _far_refs(text: bytes, scan: SheetScan) -> bool:
    """Note the two-letter columns and long row numbers referenced in ``text`` in ``scan``;
    True when a three-letter column is referenced."""
    wide = False
    for match in _FAR_REF_QUICK.finditer(text):
        ref = _FAR_REF_RE.match(text, match.start())
        letters, digits = ref.group(1), ref.group(2)
        if len(letters) == 3:
            wide = True
        elif len(letters) == 2:
            scan.two_letters.add(letters)
        if len(digits) >= 6:
            scan.rows = max(scan.rows, int(digits))
    return wide


@dataclass(frozen=True)
class StrayCells:
    """Cells left out of a trimmed sheet because they lie far outside the table.

    Attributes:
        refs: the references (``XFD1048576``) of the left-out cells that held a value, in
            file order, at most 20. count: how many such cells in all.
        rows, columns: the extent kept (1-based last row, 0-based column count).
    """

    refs: tuple[str, ...]
    count: int
    rows: int
    columns: int


def trim_sheet(data: bytes, part: str) -> tuple[bytes, StrayCells]:
    """A copy of the package whose worksheet ``part`` keeps only the table's true extent.

    The extent: columns holding a value, from A, up to the first gap of more than
    :data:`COLUMN_GAP` empty columns; then rows holding a value in those columns up to the first
    gap of more than :data:`ROW_GAP` empty rows. Cells outside it are dropped (those with a
    value are reported), the ``<dimension>`` element is removed, and the part is stored
    unpacked so calamine reads it without inflating again. Only called for sheets
    :func:`scan_sheet` found too big, after the size limits were checked.

    Returns:
        (the new package's bytes, what was left out).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part)
        cells = [(m.start(), m.end(), *_cell_position(m)) for m in _CELL_RE.finditer(xml)]
        used_columns = sorted({col for _s, _e, _row, col, filled in cells if filled and col >= 0})
        columns = _leading_run(used_columns, COLUMN_GAP) + 1 if used_columns else 0
        used_rows = sorted({row for _s, _e, row, col, filled in cells if filled and 0 <= col < columns})
        rows = _leading_run(used_rows, ROW_GAP) if used_rows else 0
        kept: list[bytes] = []
        refs: list[str] = []
        count = 0
        position = 0
        for start, end, row, col, filled in cells:
            if 0 <= col < columns and row <= rows:
                continue
            kept.append(xml[position:start])
            position = end
            if filled:
                count += 1
                if len(refs) < 20:
                    refs.append(f"{column_letter(col)}{row}")
        kept.append(xml[position:])
        trimmed = _DIMENSION_RE.sub(b"", b"".join(kept), count=1)
        del xml, kept
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as copy:
            for info in archive.infolist():
                if info.filename == part:
                    copy.writestr(info.filename, trimmed, compress_type=zipfile.ZIP_STORED)
                else:
                    copy.writestr(info, archive.read(info))
    return out.getvalue(), StrayCells(tuple(refs), count, rows, columns)


def _cell_position(match: re.Match) -> tuple[int, int, bool]:
    """(1-based row, 0-based column, holds a value) of one ``<c>`` match; (-1, -1, …) without r."""
    attributes, body = match.group(2) or b"", match.group(3) or b""
    ref = _CELL_REF_RE.search(attributes)
    filled = bool(_HAS_VALUE_RE.search(body))
    if ref is None:
        return -1, -1, filled
    return int(ref.group(2)), column_index(ref.group(1).decode()), filled


def _leading_run(sorted_values: list[int], gap: int) -> int:
    """The last value of the run from the first value on with no step larger than ``gap``."""
    last = sorted_values[0]
    for value in sorted_values[1:]:
        if value - last > gap:
            break
        last = value
    return last


def _area(ref: str) -> int:
    """Cells in a range such as ``A1:XFD1048576`` (0 when unreadable)."""
    ends = ref.split(":")
    if len(ends) != 2:
        return 0
    first, last = (_REF_RE.match(e.replace("$", "")) for e in ends)
    if not first or not last:
        return 0
    rows = int(last.group(2)) - int(first.group(2)) + 1
    cols = column_index(last.group(1)) - column_index(first.group(1)) + 1
    return max(rows, 0) * max(cols, 0)
