"""Rows of cells from any supported file: python-calamine for workbooks, csv for text."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import python_calamine as calamine

from workbench.errors import InputFileError
from workbench.importers.formats import FileFormat, decode_text, detect_format, read_bytes
from workbench.importers.markup_tables import read_html_tables, read_spreadsheet_ml
from workbench.importers.ods_merges import ods_merges
from workbench.importers.xlsx_formulas import FormulaScan
from workbench.importers.xlsx_guard import (
    DEFAULT_LIMITS,
    ReadLimits,
    StrayCells,
    check_package,
    scan_sheet,
    trim_sheet,
)
from workbench.importers.xlsx_parts import sheet_part
from workbench.importers.xlsx_shared import shared_strings_part
from workbench.importers.xlsx_slices import NotSliceable, SharedStringsNotPacked, SlicedSheet

# Candidate CSV delimiters; Excel's "Unicode text" (UTF-16) export is always tab-separated.
_DELIMITERS = ",\t;|"
# The longest CSV field read, in characters. Excel's own cell limit is 32,767 characters
# (Microsoft, "Excel specifications and limits"); the csv module's default, 131,072, is raised
# so that any cell a spreadsheet could hold, even in UTF-16 or with escapes, reads, while a
# runaway quote that swallows the rest of a big file still stops with a clear message.
CSV_FIELD_LIMIT = 1 << 20
#: When a workbook's shared strings cannot be handed to each slice a few at a time
#: (importers/xlsx_shared.py: a part of an unusual shape), a big sheet's slices hold at least
#: this many times its shared strings, as each slice then carries the whole part (see
#: ``_slice_bytes``): with 4 MiB slices, a 300,000-row list whose every text is a shared string
#: (185 MB) took 96 s of CPU instead of 4 s to read and peaked higher than the whole read.
SHARED_STRINGS_FACTOR = 8
#: An xlsx whose shared strings unpack to more than this is opened for its sheet names without
#: them (see ``_names_only``): calamine parses the whole part when it opens a package and holds
#: it until the workbook goes (~250 MB for a 300,000-row list saved by Excel).
NAMES_ONLY_SHARED_BYTES = 8 << 20
#: A sheet whose texts are shared strings is cut into slices of ``slice_bytes`` / this: a
#: shared-string cell takes about half the XML of the same text inline, and each slice also
#: makes a list of its cells' numbers. Reading a 300,000-row list saved by Excel peaks at
#: 201 MB in 4 MiB slices, 160 MB in 2 MiB and 138 MB in 1 MiB ones at the same CPU time
#: (one with inline strings at 180 MB in 4 MiB slices).
SHARED_SLICE_DIVISOR = 4


class Workbook:
    """An open input file: its sheets and their rows.

    Cells are python-calamine values (str, float, int, bool, date, datetime, time) for
    workbooks and str for CSV; an empty cell is ``''``. Row lists start at column A and the
    first row yielded is sheet row 1, so ``index + 1`` is the row number the user sees.

    Attributes:
        name: the file's path as given.
        format: ``xlsx``, ``xls``, ``ods``, ``csv``, ``html`` or ``xml2003`` (see ``FileFormat``).
        sheets: worksheet names in workbook order (chart sheets left out).
        hidden: the names of hidden worksheets (subset of ``sheets``).
        sha256: hex SHA-256 of the bytes read, so an import records exactly what it read.
        stray: sheet → the cells left out far outside its table (see ``xlsx_guard.trim_sheet``).
        bad_rows: sheet → (row, line) of CSV rows read as empty because a quote in them never
            closes (filled while the rows are read).
        merged: sheet → the merged ranges whose value was copied into every cell they cover
            (xlsx and xls; filled while the rows are read).
    """

    def __init__(self, name: str, fmt: FileFormat, data: bytes, limits: ReadLimits = DEFAULT_LIMITS):
        """Open ``data`` (the whole file) as ``fmt``; raises InputFileError when unreadable.

        An xlsx or ods package is measured before calamine sees it (importers/xlsx_guard.py):
        one that would unpack past ``limits`` is refused.
        """
        self.name = name
        self.format = fmt.format
        self.sha256 = hashlib.sha256(data).hexdigest()
        self._book: calamine.CalamineWorkbook | None = None
        self._loaded: dict[str, calamine.CalamineSheet | SlicedSheet] = {}
        self._text = ""
        self._data = data if fmt.format == "xlsx" else b""
        self._ods = data if fmt.format == "ods" else b""
        self._limits = limits
        self._scans: dict[str, FormulaScan] = {}
        self.stray: dict[str, StrayCells] = {}
        self.bad_rows: dict[str, list[tuple[int, str]]] = {}
        self.merged: dict[str, list[MergedRange]] = {}
        self._tables: dict[str, list[list]] | None = None
        if fmt.format == "csv":
            self._text = decode_text(data, fmt, name)
            self.sheets: tuple[str, ...] = (Path(name).stem or "CSV",)
            self.hidden: tuple[str, ...] = ()
            return
        if fmt.format in ("html", "xml2003"):
            self._tables = (read_html_tables(decode_text(data, fmt, name), name) if fmt.format == "html"
                            else read_spreadsheet_ml(data, name))
            self.sheets, self.hidden = tuple(self._tables), ()
            return
        if fmt.format in ("xlsx", "ods"):
            check_package(data, name, limits, read_now=_parts_read_on_open(data, fmt.format))
        names_only = _names_only(data) if fmt.format == "xlsx" else None
        if names_only is not None:
            try:
                self._book = calamine.CalamineWorkbook.from_filelike(names_only)
            except calamine.CalamineError:
                names_only = None  # opened whole below, which tells what is wrong
        try:
            if names_only is None:
                self._book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except calamine.PasswordError as err:
            raise InputFileError("文件设有密码，请在 Excel 中取消密码后另存再导入", name) from err
        except calamine.CalamineError as err:
            raise InputFileError("文件已损坏或格式不完整，无法读取，请在 Excel 中打开并另存后再导入", name) from err
        sheets = [m for m in self._book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        self.sheets = tuple(m.name for m in sheets)
        self.hidden = tuple(m.name for m in sheets if m.visible != calamine.SheetVisibleEnum.Visible)
        if names_only is not None:
            self._book = None  # opened with every part when a sheet is read whole (_workbook)

    def height(self, sheet: str) -> int:
        """The number of rows ``rows(sheet)`` will yield (an estimate for CSV)."""
        if self._tables is not None:
            return len(self._tables.get(sheet, ()))
        if self.format == "csv":
            return self._text.count("\n") + 1
        end = self._sheet(sheet).end
        return end[0] + 1 if end else 0

    def rows(self, sheet: str) -> Iterator[list]:
        """Yield every row of ``sheet`` from row 1, each a list of cells from column A.

        Raises:
            InputFileError: the sheet does not exist or a cell cannot be decoded.
        """
        if self._tables is not None:
            if sheet not in self._tables:
                self._sheet(sheet)  # raises, naming the sheets there are
            yield from (list(row) for row in self._tables[sheet])
            return
        if self.format == "csv":
            self.bad_rows[sheet] = bad = []
            yield from _csv_rows(self._text, self.name, bad)
            return
        data = self._sheet(sheet)
        offset = data.start[1] if data.start else 0
        pad = [""] * offset
        rows = (pad + row for row in data.iter_rows()) if offset else data.iter_rows()
        found = data.merged_cell_ranges
        if found is None and self.format == "ods":
            found = ods_merges(self._ods, sheet)
        merges = [m for m in (found or ()) if m[0] != m[1]]
        if merges:
            self.merged[sheet] = filled = []
            rows = _fill_merged(rows, merges, filled)
        try:
            yield from rows
        except calamine.CalamineError as err:
            raise InputFileError(f"工作表“{sheet}”中有无法读取的内容，文件可能已损坏", self.name) from err

    def formula_scan(self, sheet: str) -> FormulaScan | None:
        """The search for formula cells of ``sheet`` saved without a value (xlsx only).

        calamine reads such a cell as empty; see :class:`FormulaScan`. The search starts when
        the sheet is first loaded, so it runs while calamine parses the sheet (python-calamine
        releases the interpreter lock then) and costs almost no time on two or more cores.
        None for other formats (xls and ods writers store formula results) and for a sheet
        not loaded yet.
        """
        return self._scans.get(sheet)

    def _sheet(self, sheet: str) -> calamine.CalamineSheet | SlicedSheet:
        """The calamine sheet named ``sheet`` (read in slices when it is big, see :meth:`_guard_sheet`)."""
        if sheet not in self.sheets:
            names = "、".join(f"“{s}”" for s in self.sheets) or "（无）"
            raise InputFileError(f"没有名为“{sheet}”的工作表；本文件中的工作表：{names}", self.name)
        if sheet in self._loaded:
            return self._loaded[sheet]
        book = self._book
        try:
            if self._data:
                book = self._guard_sheet(sheet)
            loaded = self._loaded[sheet] = (book if isinstance(book, SlicedSheet)
                                            else book.get_sheet_by_name(sheet))
        except calamine.CalamineError as err:
            raise InputFileError(f"工作表“{sheet}”无法读取，文件可能已损坏", self.name) from err
        return loaded

    def _guard_sheet(self, sheet: str) -> calamine.CalamineWorkbook | SlicedSheet:
        """Measure an xlsx sheet before calamine lays it out; the workbook to load it from, or
        the sheet itself read in slices.

        A sheet whose grid would exceed :data:`~workbench.importers.xlsx_guard.CELL_BUDGET`
        cells (a stray cell at XFD1048576, a value in column XFD on every row) is read from a
        trimmed copy of the package (recorded in :attr:`stray`). A sheet whose XML unpacks to
        more than ``limits.whole_sheet_bytes`` is read slice by slice
        (importers/xlsx_slices.py) unless it cannot be cut exactly. Starts the formula search
        for a sheet that holds formulas at all.

        Raises:
            InputFileError: the sheet unpacks past the limits, or the package is damaged.
        """
        data = self._data
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                part = sheet_part(archive, sheet)
                scan = scan_sheet(archive, part, self.name, self._limits) if part else None
        except (zipfile.BadZipFile, KeyError, ValueError) as err:
            raise InputFileError("文件已损坏或格式不完整，无法读取，请在 Excel 中打开并另存后再导入",
                                 self.name) from err
        book = None   # this file's calamine workbook (self._workbook()) unless trimmed
        if scan is not None and scan.too_big:
            data, self.stray[sheet] = trim_sheet(data, part)
            try:
                book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            except calamine.CalamineError as err:
                raise InputFileError("文件已损坏或格式不完整，无法读取，请在 Excel 中打开并另存后再导入",
                                     self.name) from err
        if scan is None or scan.has_formula:
            self._scans[sheet] = FormulaScan(data, sheet)
        sliced = (self._sliced(data, part, sheet, scan.size)
                  if scan is not None and part and scan.size > self._limits.whole_sheet_bytes else None)
        if sliced is not None:
            # calamine's workbook holds a copy of the file (41 MB for a 300,000-row list):
            # not needed while this sheet is read in slices (issue 12); opened again if
            # another sheet is read whole.
            self._book = None
            return sliced
        return book if book is not None else self._workbook()

    def _sliced(self, data: bytes, part: str, sheet: str, size: int) -> SlicedSheet | None:
        """Worksheet ``part`` (``size`` bytes of XML) read in slices, or None to read it whole.

        Each slice gets only the shared strings it uses (importers/xlsx_shared.py). When the
        workbook's shared strings are of an unusual shape, each slice carries the whole part
        and the slices are made bigger (see :func:`_slice_bytes`).

        Raises:
            InputFileError: the package is damaged.
            calamine.CalamineError: calamine cannot read a slice (nor the whole sheet).
        """
        try:
            try:
                slice_bytes = self._limits.slice_bytes
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    if shared_strings_part(archive, part):
                        slice_bytes = max(1, slice_bytes // SHARED_SLICE_DIVISOR)
                return SlicedSheet(data, part, sheet, slice_bytes, pack_shared=True)
            except SharedStringsNotPacked:
                slice_bytes = _slice_bytes(data, size, self._limits)
                return SlicedSheet(data, part, sheet, slice_bytes) if slice_bytes else None
        except NotSliceable:
            return None  # read whole, as calamine reads any sheet
        except (zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise InputFileError("文件已损坏（压缩结构无法读取），请重新获取或在 Excel 中另存", self.name) from err

    def _workbook(self) -> calamine.CalamineWorkbook:
        """The file's calamine workbook, opened again if it was let go (see :meth:`_guard_sheet`).

        Raises:
            InputFileError: calamine cannot open it (it could when the file was opened).
        """
        if self._book is None:
            try:
                self._book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(self._data))
            except calamine.CalamineError as err:
                raise InputFileError("文件已损坏或格式不完整，无法读取，请在 Excel 中打开并另存后再导入",
                                     self.name) from err
        return self._book


def _slice_bytes(data: bytes, size: int, limits: ReadLimits) -> int:
    """The XML per slice to read a worksheet of ``size`` unpacked bytes in, each slice with the
    workbook's whole shared-strings part, or 0 to read it whole.

    Slices only when the sheet is over ``limits.whole_sheet_bytes``. calamine parses the shared
    strings again for every slice (and holds them all while it reads one), so a slice is at
    least :data:`SHARED_STRINGS_FACTOR` × the shared strings' size, which keeps that extra
    parsing under an eighth of the sheet's; a sheet that would not make 4 such slices is read
    whole, as slicing would save little memory. Used only when the shared strings cannot be
    handed out a few at a time (see :meth:`Workbook._sliced`).
    """
    if size <= limits.whole_sheet_bytes:
        return 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        shared = sum(i.file_size for i in archive.infolist() if i.filename.lower().endswith("sharedstrings.xml"))
    slice_bytes = max(limits.slice_bytes, SHARED_STRINGS_FACTOR * shared)
    return slice_bytes if 4 * slice_bytes <= size else 0


@dataclass(frozen=True)
class MergedRange:
    """A merged range of cells (0-based, inclusive) and the value it shows."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    value: object


def _fill_merged(rows: Iterator[list], merges: list, filled: list[MergedRange]) -> Iterator[list]:
    """``rows`` (0-based sheet row = index) with each merged range's value in every cell it
    covers: a spreadsheet shows 济南市 on every row of a 地市 cell merged down over them, but
    stores it only in the first cell (breaker report of issue 9). Each range filled is
    appended to ``filled``. ``merges`` are python-calamine's ((row, col), (row, col)) pairs."""
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for (r0, c0), (r1, c1) in merges:
        starts.setdefault(r0, []).append((r0, c0, r1, c1))
    active: list[MergedRange] = []
    for index, row in enumerate(rows):
        for r0, c0, r1, c1 in starts.pop(index, ()):
            value = row[c0] if c0 < len(row) else ""
            if value != "":
                active.append(MergedRange(r0, c0, r1, c1, value))
                filled.append(active[-1])
        if active:
            for merged in active:
                if len(row) <= merged.last_col:
                    row = row + [""] * (merged.last_col + 1 - len(row))
                for col in range(merged.first_col, merged.last_col + 1):
                    if row[col] == "":
                        row[col] = merged.value
            active = [m for m in active if m.last_row > index]
        yield row


def open_workbook(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Workbook:
    """Open ``path`` whatever its extension says, deciding the format from its bytes.

    Args:
        path: an .xlsx/.xlsm/.xls/.ods/.csv/.tsv/.txt file, possibly misnamed.
        limits: how much an xlsx/ods package may unpack to.

    Returns:
        The open workbook.

    Raises:
        InputFileError: unreadable, empty, corrupt, password-protected or unknown file.
    """
    name = str(path)
    data = read_bytes(path)
    return Workbook(name, detect_format(data, name), data, limits)


def _names_only(data: bytes) -> io.BytesIO | None:
    """A copy of xlsx package ``data`` without its worksheets and shared strings, to read the
    sheet names from, when its shared strings unpack to more than
    :data:`NAMES_ONLY_SHARED_BYTES`; else None (open the package itself).

    calamine parses the shared strings when it opens a package; a sheet read in slices gives
    each slice only the strings it uses (importers/xlsx_shared.py), and a sheet read whole
    opens the package again (``Workbook._workbook``). Sheet names, kinds and visibility come
    from the workbook part and its relationships, which the copy keeps.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos if i.filename.endswith("sharedStrings.xml")) <= NAMES_ONLY_SHARED_BYTES:
                return None
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as copy:
                for info in infos:
                    if not (info.filename.startswith("xl/worksheets/") or info.filename.endswith("sharedStrings.xml")):
                        copy.writestr(info.filename, archive.read(info), compress_type=zipfile.ZIP_STORED)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        return None
    out.seek(0)
    return out


def _parts_read_on_open(data: bytes, fmt: str) -> tuple[str, ...]:
    """The package parts calamine unpacks when it opens the file (all but the worksheets of
    an xlsx, which are measured one by one when loaded; everything of an ods)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return ()
    if fmt == "ods":
        return tuple(names)
    return tuple(n for n in names if not n.startswith("xl/worksheets/"))


def _csv_rows(text: str, name: str, bad: list[tuple[int, str]] | None = None) -> Iterator[list[str]]:
    """Rows of a CSV/TSV text; the delimiter is the candidate most used in the first lines.

    A quote that opens a field and never closes would swallow every later line into that field
    (1,995 rows of 2,000 lost, breaker report of issue 9). A record whose quoted field runs over
    lines that look like rows of the table (as many delimiters as half a row) is taken for
    that: an empty row is yielded in its place, the record's first line is appended to
    ``bad`` as (row number, line text), and reading goes on from the next line.

    Raises:
        InputFileError: a field longer than :data:`CSV_FIELD_LIMIT` or malformed CSV, with
            the row (record) number where reading stopped.
    """
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)  # process-wide, but only ever raised
    first_lines = text.split("\n", 20)[:20]
    delimiter = max(_DELIMITERS, key="\n".join(first_lines).count)
    row_width = max(line.count(delimiter) for line in first_lines)
    swallow = max(2, row_width // 2)  # delimiters on a line inside a field: a swallowed row
    feed = _Lines(text)
    pushed_back, taken = feed.pushed_back, feed.taken
    row = 0  # records read so far
    try:
        for cells in csv.reader(feed, delimiter=delimiter):
            row += 1
            if len(taken) > 1 and bad is not None and _swallowed(cells, delimiter, swallow):
                bad.append((row, taken[0].rstrip("\r\n")))
                pushed_back.extend(reversed(taken[1:]))
                taken.clear()
                yield []
                continue
            taken.clear()
            yield cells
    except csv.Error as err:
        limit = csv.field_size_limit()
        reason = (f"有单元格超过 {limit:,} 个字符（可能是引号没有配对）" if "field larger" in str(err)
                  else "CSV 格式错误")
        raise InputFileError(f"{reason}，无法读取", name, row=row + 1) from err


class _Lines:
    """The lines of a text for csv.reader, remembering those of the current record (``taken``)
    and reading ``pushed_back`` lines (last first) again; never exhausted while any is pushed
    back, unlike a generator."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text, newline=""))
        self.pushed_back: list[str] = []
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.pushed_back.pop() if self.pushed_back else next(self._lines)
        self.taken.append(line)
        return line


def _swallowed(cells: list[str], delimiter: str, swallow: int) -> bool:
    """True when a field of ``cells`` holds a later line that looks like a row of the table."""
    for cell in cells:
        if "\n" in cell or "\r" in cell:
            inner = cell.replace("\r", "\n").split("\n")[1:]
            if any(line.count(delimiter) >= swallow for line in inner):
                return True
    return False
