"""Turning the data rows under a header into SiteRecords, duplicates, conflicts and problems."""

from __future__ import annotations

import gc
import struct
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, field, fields, replace
from hashlib import blake2b
from itertools import count, islice, repeat
from operator import attrgetter, itemgetter

from workbench.domain.domains import split_domains
from workbench.domain.progress import Progress, check_cancel
from workbench.domain.site import Problem, SiteRecord
from workbench.domain.text import HIDDEN_RE, compact_text, escape_hidden
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
# SiteRecord's fields in declaration order (records are built positionally) and the plain
# defaults of those that have one; a field without one must be filled by _record_columns.
_RECORD_FIELDS = tuple(f.name for f in fields(SiteRecord))
_RECORD_DEFAULTS = {f.name: f.default for f in fields(SiteRecord) if f.default is not MISSING}
_SITE_INDEX = _RECORD_FIELDS.index("site_filing_no")
# The sponsor's own fields: rows of one 主体备案号 must agree on them (storage keeps the first).
SPONSOR_FIELDS = ("sponsor_name", "uscc", "sponsor_nature")
# The fields SiteRecord.comparable() compares, in its order (a repeat names those that differ).
COMPARED = tuple(SiteRecord(0, "").comparable())
_compared_values = attrgetter(*COMPARED)
_DOMAINS_AT = COMPARED.index("domains")
_domain_name = attrgetter("name")
# A site's fingerprint: its first row's number (unsigned 32 bits; a sheet has at most 1,048,576
# rows) and a 64-bit hash of each compared field's value.
_FINGERPRINT = struct.Struct(f"<I{len(COMPARED)}q")
_sponsor_fields = attrgetter(*SPONSOR_FIELDS)
_SPONSOR = struct.Struct(f"<I{len(SPONSOR_FIELDS)}q")   # a first row's number and its sponsor fields' hashes
# Bits of a sheet row number (Excel's 1,048,576 rows; more in a CSV), and a hash's 64 bits.
_ROW_BITS, _MASK64 = 32, (1 << 64) - 1
_ROW_MASK = (1 << _ROW_BITS) - 1


@dataclass
class RowOutcome:
    """What the data rows held (mutable while rows are read; site_list freezes it).

    ``records`` holds each site's record by filing number, unless the records were handed over
    while reading (``RowImporter.run``'s ``on_records``): then ``fingerprints`` holds each site's
    :func:`fingerprint` instead, by :func:`site_key`, in list order, ``records`` stays empty, and
    ``conflicted_rows`` holds the first rows of the sites in ``conflicted``.
    """

    data_rows: int = 0
    records: dict[str, SiteRecord] = field(default_factory=dict)
    fingerprints: dict[bytes, bytes] = field(default_factory=dict)
    duplicate_rows: list[int] = field(default_factory=list)
    conflict_rows: list[int] = field(default_factory=list)
    rejected_rows: list[int] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    total_row: int | None = None
    problems: list[Problem] = field(default_factory=list)
    conflicted: set[str] = field(default_factory=set)
    conflicted_rows: set[int] = field(default_factory=set)
    formula_rows: list[int] = field(default_factory=list)  # see site_list._report_formulas


class RowImporter:
    """Reads the data rows under a header; see :meth:`run`.

    Args:
        headers: header text per column (for problem reports).
        mapping: column index → field name; must include ``site_filing_no``.
    """

    def __init__(self, headers: tuple[str, ...], mapping: dict[int, str]):
        self._headers = headers
        self._serial = next((c for c, f in mapping.items() if f == "serial"), None)
        # (column, field, normaliser, cache or None, value and codes of an empty cell)
        self._plan = [
            [col, f, normaliser_for(f), {} if f in CACHED_FIELDS else None, (EMPTY.get(f, ""), ())]
            for col, f in sorted(mapping.items()) if f != "serial"
        ]
        self._column = {f: col for col, f in mapping.items()}  # field → column index
        self._width = max(mapping, default=-1) + 1
        self._site_col = self._column.get("site_filing_no", 0)
        self._probe = min((c for c, f in mapping.items() if f != "serial"), default=0)
        # row hash → that of its raw 网站备案号 cell and the first row with it (see _data_row)
        self._seen: dict[int, int] = {}
        # 主体备案号 → its first record's row and hashes of its SPONSOR_FIELDS (_SPONSOR packed)
        self._sponsors: dict[str, bytes] = {}
        self._pending_blank: list[int] = []
        self._rows_seen = 0
        self._fresh: list[SiteRecord] = []  # the records of the sites first seen in the current chunk
        self._keep = True  # keep every record (False: hand them over, keep fingerprints)
        self.out = RowOutcome()

    def run(
        self,
        rows: Iterable[list],
        first_row: int,
        total: int,
        cancel: threading.Event | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        on_records: Callable[[list[SiteRecord]], None] | None = None,
    ) -> RowOutcome:
        """Read every row; ``first_row`` is the 1-based sheet row of the first one.

        Rows are taken in chunks of :data:`PROGRESS_EVERY`; each chunk is normalised column by
        column (one normaliser over many cells is about a third cheaper than cell by cell),
        then its rows are classified in order. ``on_records``, if given, receives after each
        chunk the records of the sites first seen in it, in row order (a later row may still add
        flags to them: conflicting repeats, and in ``read_site_list`` formula cells). The
        records are then not kept: the outcome holds each site's :func:`fingerprint` (a
        300,000-row list's records take ~470 MB; issue 12), and the caller adds the flags
        ``conflicted_rows`` names to the stored sites itself.

        Raises:
            Cancelled: ``cancel`` was set (checked before every chunk).
        """
        rows = iter(rows)
        number = first_row
        self._keep = on_records is None
        with collector_paused():
            while chunk := list(islice(rows, PROGRESS_EVERY)):
                check_cancel(cancel)
                if on_progress is not None:
                    on_progress(Progress(number - 1, total, f"正在读取第 {number} 行"))
                self._read_chunk(range(number, number + len(chunk)), chunk)
                number += len(chunk)
                if on_records is not None and self._fresh:
                    on_records(self._fresh)
                self._fresh = []
        if self._keep:
            self._flag_conflicts()
        return self.out

    def _read_chunk(self, numbers: range, rows: list[list]) -> None:
        """Classify the rows of one chunk (sheet rows ``numbers``): blank, total, or data."""
        out, pending = self.out, self._pending_blank
        need = self._width  # CSV rows may be short; pad so columns line up and compare equal
        if min(map(len, rows)) < need:
            rows = [row if len(row) >= need else row + [""] * (need - len(row)) for row in rows]
        values, found = self._normalise_chunk(rows)
        record_args = zip(*self._record_columns(numbers, values, found), strict=True)
        site_col, probe = self._site_col, self._probe
        for number, row, codes, args in zip(numbers, rows, found, record_args, strict=True):
            first = row[probe]  # a filled first data column settles both tests below
            if (first == "" or (type(first) is str and first.isspace())) and self._is_blank(row):
                pending.append(number)
                continue
            if out.total_row is None and row[site_col] == "" and self._is_total(row):
                out.total_row = number
                continue
            if pending:  # blank rows after the data don't count
                out.blank_rows.extend(pending)
                pending.clear()
            self._data_row(number, row, codes, args)

    def _normalise_chunk(self, rows: list[list]) -> tuple[dict[str, list], list[list | None]]:
        """Normalise the planned columns of ``rows`` (all at least as wide as the plan needs).

        Returns:
            (field → normalised value per row, per row the ``(code, column)`` pairs found in
            column order, or None for a clean row).
        """
        columns = list(zip(*rows, strict=False))  # rows may be wider than needed
        self._rows_seen += len(rows)
        values: dict[str, list] = {}
        found: list[list | None] = [None] * len(rows)
        for entry in self._plan:
            col, name = entry[0], entry[1]
            _find_hidden(columns[col], col, found)
            pairs = self._normalise_column(entry, columns[col])
            values[name] = list(map(_value, pairs))
            if any(map(_codes, pairs)):
                for index, (_, codes) in enumerate(pairs):
                    if codes:
                        _add_codes(found, index, [(code, col) for code in codes])
        return values, found

    def _normalise_column(self, entry: list, column: tuple) -> list[Normalised]:
        """The (value, codes) of every cell of one column; ``entry`` is its plan entry."""
        _, _, normalise, cache, empty = entry
        if cache is not None and len(cache) > CACHE_GIVE_UP * self._rows_seen > 2 * PROGRESS_EVERY:
            # Mostly distinct values (one sponsor per site): the cache only costs memory.
            entry[3] = cache = None
        if cache is None:
            if "" in column:
                return [normalise(c) if c != "" else empty for c in column]
            return list(map(normalise, column))

        def fill(cell, cache=cache, normalise=normalise, empty=empty):
            cache[cell] = found = normalise(cell) if cell != "" else empty
            return found

        get = cache.get  # a hit is a non-empty tuple, so always true
        return [get(c) or fill(c) for c in column]

    def _record_columns(self, numbers: range, values: dict[str, list], found: list) -> list:
        """Per SiteRecord field, in declaration order, its value for each row of the chunk.

        Adds the row-level codes (site_no_missing, subject_mismatch, domain_from_homepage,
        domain_missing) to ``found`` after the cell codes; rows without a site number get
        None as ``site_filing_no`` and are rejected by the caller.
        """
        blank = [None] * len(numbers)
        sites = values.get("site_filing_no", blank)
        self._check_sites(sites, found)
        # A canonical site number is "<subject number>-<N>" and holds no other "-".
        subjects = [site[:site.rindex("-")] if site is not None else None for site in sites]
        if "subject_filing_no" in values:
            self._check_subjects(subjects, values["subject_filing_no"], found)
        cells, homepages = values.get("domains", blank), values.get("homepage")
        domains, homepages = self._domains(sites, cells, homepages, found)
        flags = [tuple(dict.fromkeys(c for c, _ in codes)) if codes else () for codes in found]
        given = {
            **values, "source_row": numbers, "site_filing_no": sites, "subject_filing_no": subjects,
            "domains": domains, "homepage": homepages, "flags": flags,
        }
        rows = len(numbers)
        return [
            given[name] if name in given else repeat(_RECORD_DEFAULTS[name], rows)
            for name in _RECORD_FIELDS
        ]

    def _check_sites(self, sites: list, found: list) -> None:
        """``site_no_missing`` for rows without a site number and no error explaining why."""
        if None not in sites:
            return
        for index, site in enumerate(sites):
            codes = found[index]
            if site is None and not (codes and any(PROBLEMS[c][0] == "error" for c, _ in codes)):
                _add_codes(found, index, [("site_no_missing", self._site_col)])

    def _check_subjects(self, subjects: list, given: list, found: list) -> None:
        """``subject_mismatch`` where the 主体备案号 cell names another subject than the site number."""
        col = self._column["subject_filing_no"]
        for index, mine, theirs in zip(count(), subjects, given):
            if mine != theirs and mine is not None and theirs is not None:
                _add_codes(found, index, [("subject_mismatch", col)])

    def _domains(
        self, sites: list, cells: list, homepages: list | None, found: list
    ) -> tuple[list, list]:
        """(domains, homepage) per row; a site without domains takes them from its homepage.

        ``cells`` holds the normalised (domains, first URL) pairs, or None for an empty cell.
        A missing homepage is the first URL of the domain cell.
        """
        domains = [cell[0] if cell is not None else () for cell in cells]
        urls = [cell[1] if cell is not None else "" for cell in cells]
        if homepages is not None:
            urls = [page or url for page, url in zip(homepages, urls, strict=True)]
        homepages = urls
        col = self._column.get("domains", -1)
        for index in [i for i, d in enumerate(domains) if not d and sites[i] is not None]:
            homepage = homepages[index]
            if homepage:
                domains[index] = split_domains(homepage)[0]
            code = "domain_from_homepage" if domains[index] else "domain_missing"
            _add_codes(found, index, [(code, col)])
        return domains, homepages

    def _data_row(self, number: int, row: list, codes: list | None, args: tuple) -> None:
        """One non-blank row: duplicate, rejected, conflicting or a new site.

        ``codes`` are its (code, column) pairs; ``args`` its SiteRecord arguments in order.
        """
        out = self.out
        out.data_rows += 1
        if self._serial is not None:
            row[self._serial] = ""
        # Exact-duplicate check on a hash of the row, not the row itself: keeping every row
        # alive would double the memory of a 100,000-row import. Each row hash maps to one int
        # holding the hash of the row's raw 网站备案号 cell and the row's number: a false match
        # needs a 64-bit collision of the row hashes and a 64-bit one of the cells' hashes (or
        # the same filing-number text). One int per row, no tuple or cell kept (issue 12).
        mine = (hash(row[self._site_col]) & _MASK64) << _ROW_BITS | number
        earlier = self._seen.setdefault(hash(tuple(row)), mine)
        if earlier != mine and earlier >> _ROW_BITS == mine >> _ROW_BITS:
            out.duplicate_rows.append(number)
            out.problems.append(_row_problem(number, "duplicate_row", other=earlier & _ROW_MASK))
            return
        if codes:
            out.problems.extend(self._problem(number, code, col, row) for code, col in codes)
        site = args[_SITE_INDEX]
        if site is None:
            out.rejected_rows.append(number)
            return
        record = SiteRecord(*args)
        if self._keep:
            first = out.records.setdefault(site, record)
            if first is not record:
                self._repeat(number, record.comparable(), first.comparable(), first.source_row, site)
                return
        else:
            mine = fingerprint(record)
            first = out.fingerprints.setdefault(site_key(site), mine)
            if first is not mine:
                self._repeat(number, unpack_fingerprint(mine), unpack_fingerprint(first), first_row(first), site)
                return
        sponsor = _sponsor_fields(record)
        own = _SPONSOR.pack(number, *map(hash, sponsor))
        earlier = self._sponsors.setdefault(record.subject_filing_no, own)
        if earlier is not own:
            record = self._check_sponsor(row, record, sponsor, _SPONSOR.unpack(earlier))
        self._fresh.append(record)

    def _check_sponsor(self, row: list, record: SiteRecord, sponsor: tuple, earlier: tuple) -> SiteRecord:
        """``sponsor_mismatch`` when a site's sponsor fields differ from an earlier site's;
        returns the record, flagged if so. ``sponsor`` holds the record's
        :data:`SPONSOR_FIELDS`; ``earlier`` the earlier site's row and their hashes.

        Both sites have the same 主体备案号, so one sponsor: its name, USCC and nature are taken
        from the first row (as for conflicting rows), and a later row saying otherwise is
        flagged. A blank later cell agrees (lists often fill the sponsor in its first row only).
        Values are compared by their 64-bit hashes (a change is missed only on a collision):
        the first row's values are not kept (issue 12).
        """
        changed = [f for f, value, theirs in zip(SPONSOR_FIELDS, sponsor, earlier[1:], strict=True)
                   if value != "" and hash(value) != theirs]
        if not changed:
            return record
        col = self._column.get(changed[0], -1)
        severity, message = PROBLEMS["sponsor_mismatch"]
        fields = "、".join(FIELD_LABELS[f] for f in changed)
        self.out.problems.append(Problem(
            record.source_row, self._header(col), "sponsor_mismatch", severity,
            message.format(other=earlier[0], fields=fields), cell_text(row[col]),
        ))
        record = replace(record, flags=(*record.flags, "sponsor_mismatch"))
        if self._keep:
            self.out.records[record.site_filing_no] = record
        return record

    def _repeat(self, number: int, mine, theirs, first_row: int, site: str) -> None:
        """A site filing number seen before (first in row ``first_row``): same data (duplicate)
        or a conflict. ``mine`` and ``theirs`` hold the compared fields' values, or their
        hashes, in the order of :data:`COMPARED`."""
        if isinstance(mine, dict):
            mine, theirs = mine.values(), theirs.values()
        changed = [FIELD_LABELS[k] for k, a, b in zip(COMPARED, mine, theirs, strict=True) if a != b]
        if not changed:
            self.out.duplicate_rows.append(number)
            self.out.problems.append(_row_problem(number, "duplicate_row", other=first_row))
            return
        self.out.conflict_rows.append(number)
        self.out.conflicted.add(site)
        if not self._keep:
            self.out.conflicted_rows.add(first_row)
        self.out.problems.append(
            _row_problem(number, "conflicting_row", other=first_row, fields="、".join(changed))
        )

    def _problem(self, number: int, code: str, col: int, row: list) -> Problem:
        """A Problem for ``code`` found in column ``col`` of sheet row ``number``."""
        severity, message = PROBLEMS[code]
        value = cell_text(row[col]) if 0 <= col < len(row) else ""
        if HIDDEN_RE.search(value):  # shown escaped, never acting on the text around it
            value = escape_hidden(value)
        return Problem(number, self._header(col), code, severity, message, value)

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


def fingerprint(record: SiteRecord) -> bytes:
    """``record``'s source row and a hash of each field it is compared on (:data:`COMPARED`),
    packed in 4 + 8 × 16 bytes: ~165 bytes kept per site instead of its ~1.5 kB record.

    Two records of one site are taken as equal when every field's 64-bit hash is (Python's
    ``hash``: SipHash for text, randomised per process); a field reported unchanged although
    it changed needs a 64-bit collision of that field's hashes.
    """
    values = list(_compared_values(record))
    values[_DOMAINS_AT] = tuple(map(_domain_name, record.domains))
    return _FINGERPRINT.pack(record.source_row, *map(hash, values))


def site_key(site: str) -> bytes:
    """A site filing number as a 128-bit BLAKE2b digest of its UTF-8 (49 bytes kept per site
    instead of ~145: the text and the UTF-8 copy SQLite's binding leaves on it). Two numbers
    share a key only on a 128-bit collision."""
    return blake2b(site.encode(), digest_size=16).digest()


def unpack_fingerprint(packed: bytes) -> tuple[int, ...]:
    """The field hashes of a :func:`fingerprint`, in the order of :data:`COMPARED`."""
    return _FINGERPRINT.unpack(packed)[1:]


def first_row(packed: bytes) -> int:
    """The sheet row of the record a :func:`fingerprint` was made of."""
    return int.from_bytes(packed[:4], "little")


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while rows are read.

    Reading allocates millions of short-lived tuples and builds no reference cycles, yet the
    collector's generation scans took about a fifth of the time of a 100,000-row import
    (benchmarks/bench_import.py). The pause is process-wide but lasts one import; the collector
    is switched back on only if it was on, so nested or concurrent imports leave it as found.

    On the way out, the objects the import kept (~4 per site) are moved straight to the oldest
    generation with ``gc.freeze()`` + ``gc.unfreeze()`` (documented: unfreeze puts the frozen
    objects "back into the oldest generation"; both are list splices). Otherwise the first young
    collection after re-enabling would walk all of them at once (~0.1 s per 100,000 rows) only
    to promote them. Nothing is left frozen; objects stay collectable by full collections. Skipped
    when the application froze objects itself, as unfreeze would release those too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
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


def _find_hidden(column: tuple, col: int, found: list) -> None:
    """Add ``hidden_chars`` for the text cells of ``column`` holding control or bidi control
    characters (the normalisers delete them; the problem shows where they were). One search of
    the column's joined text settles the common case of none."""
    try:
        joined = "".join(column)
    except TypeError:  # numbers, dates: only text cells can hold such characters
        joined = "".join([c for c in column if type(c) is str])
    if HIDDEN_RE.search(joined) is None:
        return
    for index, cell in enumerate(column):
        if type(cell) is str and HIDDEN_RE.search(cell):
            _add_codes(found, index, [("hidden_chars", col)])


def _add_codes(found: list, index: int, pairs: list[tuple[str, int]]) -> None:
    """Append (code, column) ``pairs`` to the codes of row ``index`` of a chunk."""
    if found[index] is None:
        found[index] = pairs
    else:
        found[index].extend(pairs)
