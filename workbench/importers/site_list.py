"""Reading a site list (网站名单) from xlsx/xls/ods/csv into clean SiteRecords and a problem report."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from dataclasses import field as _field
from itertools import chain, islice
from pathlib import Path

from workbench.domain.progress import Progress, check_cancel
from workbench.domain.site import Problem, SiteRecord
from workbench.domain.text import clean_text
from workbench.errors import InputFileError
from workbench.importers.cells import PROBLEMS, cell_text
from workbench.importers.columns import FIELD_LABELS, load_synonyms
from workbench.importers.header import SCAN_ROWS, HeaderInfo, find_header, map_header
from workbench.importers.rows import RowImporter, RowOutcome, first_row
from workbench.importers.sheet_notes import bad_rows, sheet_notes
from workbench.importers.sheet_reader import Workbook, open_workbook
from workbench.importers.xlsx_formulas import column_letter
from workbench.importers.xlsx_guard import DEFAULT_LIMITS, ReadLimits

__all__ = [
    "FIELD_LABELS", "SheetPreview", "SiteListResult", "preview_site_list", "read_site_list",
]


@dataclass(frozen=True)
class SiteListResult:
    """Everything an import found in one sheet.

    Attributes:
        file: the path as given. format: ``xlsx``, ``xls``, ``ods`` or ``csv`` (from the bytes).
        sheet: the sheet read. header_row: 1-based sheet row of the (last) header row.
        headers: the header texts as in the file. mapping: column index → field name.
        data_rows: rows after the header holding any value, blank and total rows excluded.
        sha256: hex SHA-256 of the file's bytes as read.
        records: one per website (site filing number), from its first row; empty when they
            were handed over while reading (``on_records``), then ``site_count`` is the number
            of sites and ``added_flags`` holds the flags added to sites after their records
            were handed over (the site's first sheet row → codes, in order).
        duplicate_rows: rows equal to an earlier row in every column but 序号, or whose
            normalised values equal an earlier row of the same site.
        conflict_rows: rows repeating an earlier site filing number with different data.
        rejected_rows: rows that cannot identify a website (they carry an error problem).
        blank_rows: blank rows between data rows. total_row: the 合计 row, if any.
        problems: every error and warning, with original sheet row and column header.
    """

    file: str
    format: str
    sheet: str
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[int, str]
    data_rows: int
    records: tuple[SiteRecord, ...]
    duplicate_rows: tuple[int, ...]
    conflict_rows: tuple[int, ...]
    rejected_rows: tuple[int, ...]
    blank_rows: tuple[int, ...]
    total_row: int | None
    problems: tuple[Problem, ...]
    sha256: str = ""
    site_count: int = 0
    added_flags: dict[int, tuple[str, ...]] = _field(default_factory=dict)

    @property
    def sites(self) -> int:
        """The number of websites the list holds."""
        return len(self.records) or self.site_count

    def summary(self, stored: dict[str, int] | None = None) -> dict:
        """Counts and problems as plain JSON values.

        Args:
            stored: the ``domains`` and ``subjects`` counts, counted from what was stored, when
                the records were not kept (see ``records``).

        Returns:
            Keys header_row, data_rows, sites, domains (distinct, by punycode), subjects
            (distinct subject filing numbers), duplicate_rows, conflict_rows, rejected_rows
            (counts) and problems (list of ``Problem.as_dict()``).
        """
        if stored is None:
            stored = {"domains": len({d.ascii for r in self.records for d in r.domains}),
                      "subjects": len({r.subject_filing_no for r in self.records})}
        return {
            "header_row": self.header_row,
            "data_rows": self.data_rows,
            "sites": self.sites,
            "domains": stored["domains"],
            "subjects": stored["subjects"],
            "duplicate_rows": len(self.duplicate_rows),
            "conflict_rows": len(self.conflict_rows),
            "rejected_rows": len(self.rejected_rows),
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class SheetPreview:
    """The first rows of a sheet with the detected header, for the column-mapping dialog.

    Attributes:
        file, format: as in :class:`SiteListResult`. sheets: all worksheet names;
        hidden_sheets: those hidden in the workbook. sheet: the sheet shown. header_row,
        headers, mapping: the detected header. rows: the first data rows as display text,
        each as wide as ``headers``.
    """

    file: str
    format: str
    sheets: tuple[str, ...]
    hidden_sheets: tuple[str, ...]
    sheet: str
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[int, str]
    rows: tuple[tuple[str, ...], ...]


def read_site_list(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    on_records: Callable[[list[SiteRecord]], None] | None = None,
) -> SiteListResult:
    """Read a site list into canonical SiteRecords plus a problem report.

    Args:
        path: an xlsx/xlsm, xls, ods or CSV/TSV file; the format comes from the bytes.
        sheet: the sheet to read; default the first visible sheet with a recognisable header.
        mapping: column index (0 = A) → field name (keys of ``FIELD_LABELS``), replacing the
            detected mapping. The header row is still detected; when no row is recognised,
            the first non-blank row of the sheet is taken as the header.
        cancel: set it to stop; checked every 500 rows.
        on_progress: called every 500 rows with Progress(sheet row, sheet rows, message).
        limits: how much an xlsx/ods file may unpack to (a bigger one is refused).
        on_records: called while reading with the records of the sites first found in each
            chunk of rows (see ``RowImporter.run``), so they can be stored meanwhile. The
            records are then not kept (the result's ``records`` is empty; ``site_count`` and
            ``added_flags`` say what the stored sites need besides).

    Returns:
        The result; nothing is written anywhere.

    Raises:
        InputFileError: unreadable, empty, corrupt, password-protected or unknown file; no
            header found; no 网站备案号 column; a bad ``mapping``.
        Cancelled: ``cancel`` was set.
    """
    check_cancel(cancel)
    book = open_workbook(path, limits)
    name, header, head, rest = _locate(book, sheet, fallback=mapping is not None)
    if mapping is not None:
        width = max(map(len, head), default=0)
        header = HeaderInfo(header.row, header.headers, _checked_mapping(mapping, book.name, width))
    if "site_filing_no" not in header.mapping.values():
        raise InputFileError(
            f"第 {header.row} 行的表头中找不到“网站备案号”列，请在列对应关系中指定", book.name
        )
    scan = book.formula_scan(name)  # runs alongside the rows below
    importer = RowImporter(header.headers, header.mapping)
    rows = chain(head[header.row:], rest)
    out = importer.run(rows, header.row + 1, book.height(name), cancel, on_progress, on_records)
    if scan is not None:
        _report_formulas(out, scan.result(), header)
    notes = sheet_notes(book, name) + _duplicate_columns(header) + _merged_notes(book, name, header)
    if notes:
        out.rejected_rows = sorted({*out.rejected_rows, *bad_rows(book, name)})
        out.problems = sorted([*notes, *out.problems], key=lambda p: p.row or 0)
    added: dict[int, tuple[str, ...]] = {}
    if on_records is not None:
        added = {row: ("conflicting_row",) for row in out.conflicted_rows}
        for row in out.formula_rows:
            added[row] = (*added.get(row, ()), "formula_no_value")
    return SiteListResult(
        file=book.name, format=book.format, sheet=name, header_row=header.row,
        headers=header.headers, mapping=dict(header.mapping), data_rows=out.data_rows,
        records=tuple(out.records.values()), duplicate_rows=tuple(out.duplicate_rows),
        conflict_rows=tuple(out.conflict_rows), rejected_rows=tuple(out.rejected_rows),
        blank_rows=tuple(out.blank_rows), total_row=out.total_row, problems=tuple(out.problems),
        sha256=book.sha256, site_count=len(out.fingerprints), added_flags=added,
    )


def preview_site_list(path: str | Path, *, sheet: str | None = None, rows: int = 20,
                      limits: ReadLimits = DEFAULT_LIMITS) -> SheetPreview:
    """Show the start of a site list: sheets, detected header and mapping, first data rows.

    Args:
        path: as for :func:`read_site_list`.
        sheet: the sheet to show; default as for :func:`read_site_list`.
        rows: how many non-blank data rows to return.
        limits: as for :func:`read_site_list`.

    Returns:
        The preview.

    When no header is recognised, the first non-blank row is shown as the header with an
    empty mapping, so the user can map the columns by hand.

    Raises:
        InputFileError: the file cannot be read (as for :func:`read_site_list`) or the sheet is
            empty.
    """
    book = open_workbook(path, limits)
    name, header, head, rest = _locate(book, sheet, fallback=True)
    width = len(header.headers)
    shown: list[tuple[str, ...]] = []
    for row in chain(head[header.row:], rest):
        texts = tuple(clean_text(cell_text(c)) for c in row[:width])
        if any(texts):
            shown.append(texts + ("",) * (width - len(texts)))
        if len(shown) >= rows:
            break
    return SheetPreview(
        file=book.name, format=book.format, sheets=book.sheets, hidden_sheets=book.hidden,
        sheet=name, header_row=header.row, headers=header.headers, mapping=dict(header.mapping),
        rows=tuple(shown),
    )


def _merged_notes(book: Workbook, sheet: str, header: HeaderInfo) -> list[Problem]:
    """A note for each merged cell in the data rows of a read column: its value was copied into
    every row it covers (see ``sheet_reader._fill_merged``)."""
    notes = []
    for merged in sorted(book.merged.get(sheet, ()), key=lambda m: (m.first_row, m.first_col)):
        if merged.first_row < header.row or merged.first_col not in header.mapping:
            continue
        col = merged.first_col
        span = (f"{column_letter(col)}{merged.first_row + 1}:"
                f"{column_letter(merged.last_col)}{merged.last_row + 1}")
        rows = (f"第 {merged.first_row + 1}–{merged.last_row + 1} 行" if merged.last_row > merged.first_row
                else f"第 {merged.first_row + 1} 行")
        notes.append(Problem(
            merged.first_row + 1, header.headers[col] if col < len(header.headers) else "", "merged_cells", "warning",
            f"合并单元格 {span}：已把合并值填入{rows}的每一行", cell_text(merged.value),
        ))
    return notes


def _duplicate_columns(header: HeaderInfo) -> list[Problem]:
    """A note for each column left unread because an earlier column has the same meaning."""
    used = {field: col for col, field in header.mapping.items()}
    notes = []
    for col, field in header.ignored.items():
        if field not in used or field == "serial":
            continue
        label, first = FIELD_LABELS[field], used[field]
        notes.append(Problem(
            header.row, header.headers[col] if col < len(header.headers) else "", "duplicate_column", "warning",
            f"与 {column_letter(first)} 列同为“{label}”：已使用 {column_letter(first)} 列，忽略 {column_letter(col)} 列"
            f"（如应使用 {column_letter(col)} 列，请在列对应关系中指定）", "",
        ))
    return notes


def _report_formulas(out: RowOutcome, found: dict[tuple[int, int], str], header: HeaderInfo) -> None:
    """Add ``formula_no_value`` for formula cells without a result in mapped data columns.

    Each gets a problem (value: the formula) and its row's record, if any, the flag (or, when
    the records were not kept, its first row is put in ``out.formula_rows``); problems stay in row
    order. ``found`` maps (1-based sheet row, 0-based column) → formula text.
    """
    severity, message = PROBLEMS["formula_no_value"]
    extra = [
        Problem(row, header.headers[col] if col < len(header.headers) else "", "formula_no_value",
                severity, message, formula)
        for (row, col), formula in sorted(found.items())
        if row > header.row and header.mapping.get(col, "serial") != "serial"
    ]
    if not extra:
        return
    rows = {p.row for p in extra}
    for key, record in out.records.items():
        if record.source_row in rows:
            out.records[key] = replace(record, flags=(*record.flags, "formula_no_value"))
    out.formula_rows = [row for packed in out.fingerprints.values() if (row := first_row(packed)) in rows]
    out.problems.extend(extra)
    out.problems.sort(key=lambda p: p.row or 0)


def _locate(
    book: Workbook, sheet: str | None, *, fallback: bool = False
) -> tuple[str, HeaderInfo, list[list], Iterator[list]]:
    """The sheet to read, its header, the rows scanned so far and an iterator over the rest.

    With ``fallback``, a sheet whose header is not recognised is still returned, with its
    first non-blank row as the header and an empty mapping, for the user to map by hand.
    """
    table = load_synonyms()
    names = [sheet] if sheet is not None else [s for s in book.sheets if s not in book.hidden]
    for name in names:
        rest = book.rows(name)
        head = list(islice(rest, SCAN_ROWS))
        header = find_header(head, table)
        if header is not None:
            return name, header, head, rest
    if fallback and names:
        rest = book.rows(names[0])
        head = list(islice(rest, SCAN_ROWS))
        index = next((i for i, row in enumerate(head) if any(cell_text(c).strip() for c in row)), None)
        if index is not None:
            return names[0], map_header(head[index], None, index + 1, table), head, rest
    where = f"工作表“{sheet}”" if sheet is not None else "任何可见工作表"
    raise InputFileError(
        f"在{where}的前 {SCAN_ROWS} 行中找不到表头（应含“网站备案号”“主办单位名称”“网站域名”等列名）",
        book.name,
    )


def _checked_mapping(mapping: dict[int, str], name: str, width: int) -> dict[int, str]:
    """``mapping`` if every key is a column of the sheet and every field known and used once.

    Args:
        mapping: column index (0 = A) → field name.
        name: the file, for messages.
        width: the number of columns of the sheet's first rows (header included); a column
            beyond them holds nothing to read, and padding every row out to a huge index
            would exhaust memory (breaker report B8).

    Raises:
        InputFileError: a bad index or field name, a column beyond ``width``, a field twice.
    """
    fields = list(mapping.values())
    for col, field in mapping.items():
        if not isinstance(col, int) or col < 0 or field not in FIELD_LABELS:
            raise InputFileError(f"列对应关系有误：第 {col} 列对应“{field}”", name)
        if col >= width:
            raise InputFileError(
                f"列对应关系有误：列 {col}（{column_letter(col)} 列）超出了表格的范围"
                f"（表格共 {width} 列，列号从 0 起算，0 为 A 列）", name,
            )
        if fields.count(field) > 1:
            raise InputFileError(f"列对应关系有误：“{FIELD_LABELS[field]}”对应了多列", name)
    return dict(sorted(mapping.items()))
