"""Turning the data rows under a header into SiteRecords, duplicates, conflicts and problems."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice
from operator import itemgetter

from workbench.domain.domains import split_domains
from workbench.domain.progress import Progress, check_cancel
from workbench.domain.site import Problem, SiteRecord
from workbench.domain.text import compact_text
from workbench.importers.cells import PROBLEMS, Normalised, cell_text, normaliser_for
from workbench.importers.columns import FIELD_LABELS

PROGRESS_EVERY = 500  # rows between progress reports and cancel checks
TOTAL_WORDS = ("合计", "总计", "共计", "小计")
# Fields whose values repeat down a list (one sponsor, a few providers and cities): their
# normalised values are cached per column. Per-site fields (numbers, domains) are not, as a
# cache would only cost memory; a cache holding more than CACHE_GIVE_UP entries per row read
# is dropped for the same reason.
CACHE_GIVE_UP = 0.5
CACHED_FIELDS = frozenset({
    "sponsor_name", "sponsor_nature", "uscc", "city", "subject_filing_no", "access_provider",
    "contact_name", "approved_on", "remark",
})
_value, _codes = itemgetter(0), itemgetter(1)  # of a Normalised (value, codes) pair
# The value an empty cell stands for, where it is not ''.
EMPTY: dict[str, object] = {"site_filing_no": None, "subject_filing_no": None, "domains": None,
                            "approved_on": None}


@dataclass
class RowOutcome:
    """What the data rows held (mutable while rows are read; site_list freezes it)."""

    data_rows: int = 0
    records: dict[str, SiteRecord] = field(default_factory=dict)
    duplicate_rows: list[int] = field(default_factory=list)
    conflict_rows: list[int] = field(default_factory=list)
    rejected_rows: list[int] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    total_row: int | None = None
    problems: list[Problem] = field(default_factory=list)
    conflicted: set[str] = field(default_factory=set)


class RowImporter:
    """Reads the data rows under a header; see :meth:`run`.

    Args:
        headers: header text per column (for problem reports).
        mapping: column index → field name.
    """

    def __init__(self, headers: tuple[str, ...], mapping: dict[int, str]):
        self._headers = headers
        self._serial = next((c for c, f in mapping.items() if f == "serial"), None)
        self._plan = [
            (col, f, normaliser_for(f), {} if f in CACHED_FIELDS else None, (EMPTY.get(f, ""), ()))
            for col, f in sorted(mapping.items()) if f != "serial"
        ]
        self._columns = tuple(p[0] for p in self._plan)
        self._names = tuple(p[1] for p in self._plan)
        self._width = max(mapping, default=-1) + 1
        self._site_col = next((c for c, f in mapping.items() if f == "site_filing_no"), 0)
        self._probe = min((c for c, f in mapping.items() if f != "serial"), default=0)
        self._seen: dict[int, tuple[int, object]] = {}  # row hash → (first row, site cell)
        self._pending_blank: list[int] = []
        self._rows_seen = 0
        self.out = RowOutcome()

    def run(
        self,
        rows: Iterable[list],
        first_row: int,
        total: int,
        cancel: threading.Event | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> RowOutcome:
        """Read every row; ``first_row`` is the 1-based sheet row of the first one.

        Rows are taken in chunks of :data:`PROGRESS_EVERY`; each chunk is normalised column by
        column (one normaliser over many cells is about a third cheaper than cell by cell),
        then its rows are classified in order.

        Raises:
            Cancelled: ``cancel`` was set (checked before every chunk).
        """
        numbered = enumerate(rows, first_row)
        with _collector_paused():
            while chunk := list(islice(numbered, PROGRESS_EVERY)):
                check_cancel(cancel)
                if on_progress is not None:
                    on_progress(Progress(chunk[0][0] - 1, total, f"正在读取第 {chunk[0][0]} 行"))
                self._read_chunk(chunk)
        self._flag_conflicts()
        return self.out

    def _read_chunk(self, chunk: list[tuple[int, list]]) -> None:
        """Classify the rows of one chunk: blank, total, or data."""
        out = self.out
        need = self._width  # CSV rows may be short; pad so columns line up and compare equal
        rows = [row for _, row in chunk]
        if min(map(len, rows)) < need:
            rows = [row if len(row) >= need else row + [""] * (need - len(row)) for row in rows]
        site_col, probe = self._site_col, self._probe
        for (number, _), row, cells in zip(chunk, rows, self._normalise_chunk(rows), strict=True):
            first = row[probe]  # a filled first data column settles both tests below
            if (first == "" or (type(first) is str and first.isspace())) and self._is_blank(row):
                self._pending_blank.append(number)
                continue
            if out.total_row is None and row[site_col] == "" and self._is_total(row):
                out.total_row = number
                continue
            out.blank_rows.extend(self._pending_blank)  # blank rows after the data don't count
            self._pending_blank.clear()
            self._data_row(number, row, cells)

    def _normalise_chunk(self, rows: list[list]) -> Iterable[tuple[Normalised, ...]]:
        """Per row, the (value, codes) of each planned column, in plan order.

        ``rows`` must all be at least as wide as the rightmost mapped column.
        """
        columns = list(zip(*rows, strict=False))  # rows may be wider than needed
        results = []
        self._rows_seen += len(rows)
        for index, (col, name, normalise, cache, empty) in enumerate(self._plan):
            column = columns[col]
            if cache is not None and len(cache) > CACHE_GIVE_UP * self._rows_seen > 2 * PROGRESS_EVERY:
                # Mostly distinct values (one sponsor per site): the cache only costs memory.
                self._plan[index] = (col, name, normalise, None, empty)
                cache = None
            if cache is None:
                if "" in column:
                    results.append([normalise(c) if c != "" else empty for c in column])
                else:
                    results.append(list(map(normalise, column)))
                continue

            def fill(cell, cache=cache, normalise=normalise, empty=empty):
                cache[cell] = found = normalise(cell) if cell != "" else empty
                return found

            get = cache.get  # a hit is a non-empty tuple, so always true
            results.append([get(c) or fill(c) for c in column])
        return zip(*results, strict=True)

    def _data_row(self, number: int, row: list, cells: tuple[Normalised, ...]) -> None:
        """One non-blank row: duplicate, rejected, conflicting or a new site."""
        out = self.out
        out.data_rows += 1
        if self._serial is not None and self._serial < len(row):
            row[self._serial] = ""
        # Exact-duplicate check on a hash of the row plus its raw 网站备案号 cell, not the row
        # itself: keeping every row alive would double the memory of a 100,000-row import.
        # A false match needs a 64-bit hash collision and the same filing-number text.
        site_cell = row[self._site_col]
        earlier, earlier_site = self._seen.setdefault(hash(tuple(row)), (number, site_cell))
        if earlier != number and earlier_site == site_cell:
            out.duplicate_rows.append(number)
            out.problems.append(_row_problem(number, "duplicate_row", other=earlier))
            return
        codes_by_col = list(map(_codes, cells))
        found: list[tuple[str, int]] = []  # (code, column)
        if any(codes_by_col):
            pairs = zip(codes_by_col, self._columns, strict=True)
            found = [(code, col) for codes, col in pairs for code in codes]
        record = self._build(number, dict(zip(self._names, map(_value, cells), strict=True)), found)
        if found:
            out.problems.extend(self._problem(number, code, col, row) for code, col in found)
        if record is None:
            out.rejected_rows.append(number)
            return
        first = out.records.setdefault(record.site_filing_no, record)
        if first is not record:
            self._repeat(number, record, first)

    def _repeat(self, number: int, record: SiteRecord, first: SiteRecord) -> None:
        """A site filing number seen before: same data (duplicate) or a conflict."""
        mine, theirs = record.comparable(), first.comparable()
        changed = [FIELD_LABELS[k] for k in mine if mine[k] != theirs[k]]
        if not changed:
            self.out.duplicate_rows.append(number)
            self.out.problems.append(_row_problem(number, "duplicate_row", other=first.source_row))
            return
        self.out.conflict_rows.append(number)
        self.out.conflicted.add(first.site_filing_no)
        self.out.problems.append(
            _row_problem(number, "conflicting_row", other=first.source_row, fields="、".join(changed))
        )

    def _build(self, number: int, values: dict, found: list[tuple[str, int]]) -> SiteRecord | None:
        """Assemble the record from normalised values, adding row-level codes to ``found``.

        ``values`` maps field names to normalised values and is consumed: after the special
        fields are taken out, the rest are plain SiteRecord fields.
        """
        site = values.pop("site_filing_no", None)
        if site is None:
            if not any(PROBLEMS[c][0] == "error" for c, _ in found):
                found.append(("site_no_missing", self._site_col))
            return None
        subject_no = site.subject
        subject = values.pop("subject_filing_no", None)
        if subject is not None and subject.subject != subject_no:
            found.append(("subject_mismatch", self._column_of("subject_filing_no")))
        domains, url = values.pop("domains", None) or ((), "")
        homepage = values.pop("homepage", "") or url
        if not domains:
            if homepage:
                domains = split_domains(homepage)[0]
            code = "domain_from_homepage" if domains else "domain_missing"
            found.append((code, self._column_of("domains")))
        flags = tuple(dict.fromkeys(code for code, _ in found)) if found else ()
        return SiteRecord(
            number, f"{subject_no}-{site.suffix}", subject_no, domains=domains, homepage=homepage,
            flags=flags, **values,
        )

    def _problem(self, number: int, code: str, col: int, row: list) -> Problem:
        """A Problem for ``code`` found in column ``col`` of sheet row ``number``."""
        severity, message = PROBLEMS[code]
        value = cell_text(row[col]) if 0 <= col < len(row) else ""
        return Problem(number, self._header(col), code, severity, message, value)

    def _column_of(self, name: str) -> int:
        """The column index mapped to field ``name``, or -1."""
        return next((col for col, f, *_ in self._plan if f == name), -1)

    def _header(self, col: int) -> str:
        """The header text of column ``col`` ('' when unknown)."""
        return self._headers[col] if 0 <= col < len(self._headers) else ""

    def _is_total(self, row: list) -> bool:
        """A 合计/总计 row: its first non-empty cell (a 序号 number aside) starts with TOTAL_WORDS.

        Only asked of rows whose 网站备案号 cell is empty.
        """
        serial = self._serial
        first = next((c for i, c in enumerate(row) if c != "" and not (i == serial and _is_counter(c))), "")
        return isinstance(first, str) and compact_text(first).startswith(TOTAL_WORDS)

    def _is_blank(self, row: list) -> bool:
        """True when no cell but 序号 holds anything but white space.

        A row with nothing but a 序号 is a pre-numbered template line, not data.
        """
        serial = self._serial
        for i, cell in enumerate(row):
            if cell == "" or (i == serial and _is_counter(cell)):
                continue
            if not isinstance(cell, str) or cell.strip():
                return False
        return True

    def _flag_conflicts(self) -> None:
        """Mark kept records whose number other rows repeat with different data."""
        for key in self.out.conflicted:
            record = self.out.records[key]
            self.out.records[key] = replace(record, flags=(*record.flags, "conflicting_row"))


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while rows are read.

    Reading allocates millions of short-lived tuples and builds no reference cycles, yet the
    collector's generation scans took about a fifth of the time of a 100,000-row import
    (benchmarks/bench_import.py). The pause is process-wide but lasts one import; the collector
    is switched back on only if it was on, so nested or concurrent imports leave it as found.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _row_problem(number: int, code: str, **details: object) -> Problem:
    """A whole-row Problem (column '') with its message filled in."""
    severity, message = PROBLEMS[code]
    return Problem(number, "", code, severity, message.format(**details))


def _is_counter(cell: object) -> bool:
    """True for a 序号 value: a number, or text of digits."""
    if isinstance(cell, str):
        return cell.strip().isdigit()
    return isinstance(cell, (int, float))
