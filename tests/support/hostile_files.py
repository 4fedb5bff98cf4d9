"""Hostile input files built at test time (nothing binary is checked in).

Workbooks are written straight with :mod:`zipfile` so that a sheet can hold what no
spreadsheet program would write (a cell at XFD1048576, a ``<dimension>`` claiming the whole
grid, a shared-strings part inflating to gigabytes). Big parts are streamed into the archive
in chunks of repetitive text, so a bomb takes well under a second to build and no memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

HEADER = ["序号", "主办单位名称", "单位性质", "网站备案号", "网站名称", "网站域名", "联系电话", "地市"]


def site_rows(count: int, start: int = 1) -> list[list]:
    """``count`` valid data rows matching :data:`HEADER` (distinct sites, two per sponsor)."""
    rows = []
    for i in range(start, start + count):
        subject = 10000000 + (i + 1) // 2
        rows.append([i, f"测试单位{(i + 1) // 2}有限公司", "企业", f"鲁ICP备{subject}号-{2 - i % 2}",
                     f"网站{i}", f"site{i}.example.cn", f"1350000{i:04d}", "济南市"])
    return rows


def column_letter(index: int) -> str:
    """0 → A, 16383 → XFD."""
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(ref: str, value: object) -> str:
    """One ``<c>`` element: numbers as numbers, anything else as an inline string."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def row_xml(number: int, cells: Iterable[tuple[int, object]]) -> str:
    """A ``<row>`` of (0-based column, value) cells; empty values are left out."""
    inner = "".join(cell_xml(f"{column_letter(c)}{number}", v) for c, v in cells if v not in ("", None))
    return f'<row r="{number}">{inner}</row>'


def sheet_xml(rows: Iterable[str], dimension: str | None = None, extra: str = "") -> Iterator[str]:
    """The parts of a worksheet XML document around ``<row>`` strings (``extra`` after sheetData)."""
    yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">')
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData>" + extra + "</worksheet>"


def grid_rows(rows: list[list], first: int = 1) -> Iterator[str]:
    """``<row>`` strings for a plain grid of values starting at sheet row ``first``."""
    for i, row in enumerate(rows):
        yield row_xml(first + i, enumerate(row))


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '{sheets}{shared}</Types>'
)
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_SHARED_TYPE = ('<Override PartName="/xl/sharedStrings.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets>{sheets}</sheets></workbook>'
)
_WORKBOOK_SHEET = '<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '{sheets}{shared}</Relationships>'
)
_SHEET_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>')
_SHARED_REL = ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/sharedStrings" Target="sharedStrings.xml"/>')


def package_parts(names: list[str], shared: bool) -> list[tuple[str, str]]:
    """The small parts of a package with worksheets ``names`` (sheet1.xml…), in zip order."""
    numbers = range(1, len(names) + 1)
    return [
        ("[Content_Types].xml", _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers), shared=_SHARED_TYPE if shared else "")),
        ("_rels/.rels", _ROOT_RELS),
        ("xl/workbook.xml", _WORKBOOK.format(sheets="".join(
            _WORKBOOK_SHEET.format(name=escape(name, {'"': "&quot;"}), n=n) for n, name in zip(numbers, names, strict=True)))),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(
            sheets="".join(_SHEET_REL.format(n=n) for n in numbers), shared=_SHARED_REL if shared else "")),
    ]


def write_xlsx(path: Path, sheet: Iterable[str], *, shared: Iterable[str] | None = None,
               name: str = "网站名单") -> Path:
    """Write a one-sheet xlsx whose sheet XML is the concatenation of ``sheet``'s parts.

    ``shared``, if given, is streamed (deflated) as xl/sharedStrings.xml. Returns ``path``.
    """
    return write_book(path, {name: sheet}, shared=shared)


def write_book(path: Path, sheets: dict[str, Iterable[str]], *, shared: Iterable[str] | None = None) -> Path:
    """Write an xlsx with the worksheets ``sheets`` (name → XML parts, streamed). Returns ``path``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for member, text in package_parts(list(sheets), shared is not None):
            archive.writestr(member, text)
        for n, parts in enumerate(sheets.values(), 1):
            _stream(archive, f"xl/worksheets/sheet{n}.xml", parts)
        if shared is not None:
            _stream(archive, "xl/sharedStrings.xml", shared)
    return path


def _stream(archive: zipfile.ZipFile, member: str, parts: Iterable[str]) -> None:
    """Write ``parts`` to ``member`` without holding them all (force_zip64 for big parts)."""
    with archive.open(member, "w", force_zip64=True) as out:
        buffer: list[bytes] = []
        size = 0
        for part in parts:
            data = part.encode()
            buffer.append(data)
            size += len(data)
            if size > 1 << 20:
                out.write(b"".join(buffer))
                buffer, size = [], 0
        out.write(b"".join(buffer))


def table(count: int = 5) -> list[list]:
    """The header row and ``count`` data rows."""
    return [HEADER, *site_rows(count)]


def write_bomb_xlsx(path: Path, unpacked: int = 2 << 30, *, declared: int | None = None) -> Path:
    """An xlsx whose xl/sharedStrings.xml inflates to ``unpacked`` bytes (a few MB on disk).

    The deflate stream is one compressed 1 MB block of a repeated shared string, flushed with
    Z_FULL_FLUSH so that its bytes can simply be repeated: building a 2 GB bomb takes well under
    a second. ``declared`` is the size written in the zip headers (default: the true size; a
    smaller one makes a bomb that lies about its size). The CRC is computed for the real data.
    """
    import struct
    import zlib

    block = (b"<si><t>" + b"A" * 1000 + b"</t></si>") * 1024
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main">')
    tail = b"</sst>"
    repeats = max(1, (unpacked - len(head) - len(tail)) // len(block))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    piece = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + repeats * len(block) + len(tail)
    table_xml = "".join(sheet_xml(grid_rows(table(3))))
    small = [(member, text.encode()) for member, text in package_parts(["网站名单"], True)]
    small.append(("xl/worksheets/sheet1.xml", table_xml.encode()))
    central = []
    with open(path, "wb") as out:
        def member(name: str, crc: int, csize: int, usize: int, chunks) -> None:
            offset = out.tell()
            raw = name.encode()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, 8, 0, 0, crc, csize,
                                  usize, len(raw), 0) + raw)
            for chunk in chunks:
                out.write(chunk)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0, crc,
                                       csize, usize, len(raw), 0, 0, 0, 0, 0, offset) + raw)

        for name, data in small:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = packer.compress(data) + packer.flush()
            member(name, zlib.crc32(data), len(packed), len(data), [packed])
        csize = len(first) + repeats * len(piece) + len(last)
        member("xl/sharedStrings.xml", crc, csize, min(declared if declared is not None else size, 0xFFFFFFFF),
               [first, *(piece for _ in range(repeats)), last])
        start = out.tell()
        for entry in central:
            out.write(entry)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                              out.tell() - start, start, 0))
    return path


# --- running the command line in a child process, measuring its peak memory -----------------

_PEAK_HOOK = """
import atexit, resource, sys
def _peak():
    # VmHWM: this process's own peak (ru_maxrss would include the parent's, inherited on fork).
    try:
        with open("/proc/self/status") as status:
            return int(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
atexit.register(lambda: sys.stderr.write("\\nPEAK_RSS_KB=%d\\n" % _peak()))
"""
_CHILD = _PEAK_HOOK + """
import runpy
sys.argv = ["workbench", *sys.argv[1:]]
runpy.run_module("workbench", run_name="__main__", alter_sys=True)
"""
_PREVIEW_CHILD = _PEAK_HOOK + """
from workbench.errors import WorkbenchError
from workbench.importers.site_list import preview_site_list
try:
    shown = preview_site_list(sys.argv[1])
except WorkbenchError as err:
    print(err, file=sys.stderr)
    raise SystemExit(2)
print(len(shown.rows))
"""


class Run:
    """The outcome of a child process: returncode, stdout, stderr (without the memory line)
    and peak_mb, its peak resident memory (VmHWM on Linux, else ru_maxrss), or None when it
    died before reporting."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode = returncode
        self.stdout = stdout
        marker = stderr.rfind("PEAK_RSS_KB=")
        self.peak_mb = int(stderr[marker + 12:].split()[0]) / 1024 if marker >= 0 else None
        self.stderr = stderr[:marker].rstrip() if marker >= 0 else stderr

    def __repr__(self) -> str:
        return f"Run(rc={self.returncode}, peak_mb={self.peak_mb}, stderr={self.stderr[-500:]!r})"


def run_child(code: str, args: list[str], memory_cap: int = 3 << 30, timeout: float = 120) -> Run:
    """Run ``code`` in a fresh interpreter with ``args``, its address space capped at
    ``memory_cap`` bytes (so an old build that tries to unpack a bomb fails instead of taking
    the test machine down with it)."""
    import os
    import resource
    import subprocess
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
           "PYTHONIOENCODING": "utf-8", "RUST_BACKTRACE": "0"}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=timeout, env=env, preexec_fn=cap)
    return Run(done.returncode, done.stdout, done.stderr)


def run_cli(*args: str, **kwargs) -> Run:
    """``python3 -m workbench ARGS`` in a child process (see :func:`run_child`)."""
    return run_child(_CHILD, list(args), **kwargs)


def run_preview(path: Path, **kwargs) -> Run:
    """The import wizard's preview (``preview_site_list``) of ``path`` in a child process."""
    return run_child(_PREVIEW_CHILD, [str(path)], **kwargs)


def database_dump(db: Path) -> list[str]:
    """Every row of the database as SQL text, to compare before and after a refused import."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def write_ods(path: Path, rows: list[list], merges: dict[tuple[int, int], tuple[int, int]] | None = None,
              name: str = "网站名单") -> Path:
    """A minimal OpenDocument spreadsheet of ``rows``; ``merges`` maps a 0-based (row, col) to
    the (rows, columns) its cell spans (the cells it covers are written as covered cells)."""
    merges = merges or {}
    covered = {(r + i, c + j) for (r, c), (rows_, cols) in merges.items()
               for i in range(rows_) for j in range(cols) if i or j}
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                cells.append("<table:covered-table-cell/>")
                continue
            span = merges.get((r, c))
            extra = (f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
                     if span else "")
            if value in ("", None):
                cells.append(f"<table:table-cell{extra}/>")
            elif isinstance(value, (int, float)):
                cells.append(f'<table:table-cell{extra} office:value-type="float" office:value="{value}">'
                             f"<text:p>{value}</text:p></table:table-cell>")
            else:
                cells.append(f'<table:table-cell{extra} office:value-type="string">'
                             f"<text:p>{escape(str(value))}</text:p></table:table-cell>")
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(name)}">'
        + "".join(body) + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path
