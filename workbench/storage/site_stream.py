"""Writing a site list into an empty campaign while it is still being read (issue 12).

The reader (importers/rows.py) hands over each chunk's new sites; a worker thread writes them
with one prepared INSERT per table while the reader goes on normalising the next rows. SQLite
works outside the interpreter lock, so on two cores the writing costs little time of its own.
What the reader changes after a site was handed over (flags added for conflicting repeats and
formula cells at the end, a sponsor's USCC corrected by a later row, the sponsor's last row) is
put right in :meth:`SiteListWriter.finish`, so the stored result equals that of
:func:`workbench.storage.site_repo.store_site_list` on the finished list.

Neither side keeps the list's records (issue 12: ~470 MB at 300,000 rows): per sponsor the
writer keeps its id, and the values written only for the last :data:`RECENT_SPONSORS` sponsors
(a sponsor's sites mostly follow each other; others are read back by id); a sponsor whose later
rows change it (another city, or a USCC correcting one that failed its check) also gets a small
entry in ``_later``, with the records of its sites while the USCC of its first row failed its
check (their search text changes if a later row corrects it). The distinct domains are counted
by 64-bit hashes of their punycode, kept in an array.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from array import array
from collections.abc import Mapping, Sequence
from operator import itemgetter

from workbench.domain.site import SiteRecord
from workbench.storage import campaign_count_repo, import_basis_repo, import_undo_repo
from workbench.storage.bulk import deferred_begin, deferred_end, insert_many
from workbench.storage.records import Author, ordered_ids, utc_now
from workbench.storage.site_repo import (
    _BAD_CODE_FLAGS,
    _DOMAIN_COLUMNS,
    _SITE_COLUMNS,
    _SPONSOR_COLUMNS,
    BULK_MIN_SITES,
    BULK_OBJECTS,
    ChangeReport,
    _flags_json,
    _site_row,
    _sponsor_fields,
    _sponsor_key,
    _sponsor_row,
    _update_sponsors,
    search_fill_begin,
    search_fill_end,
    search_text,
)

_STOP = None   # the queue's end marker
#: Sponsors whose written values the writer keeps at hand (then drops them all and starts again).
RECENT_SPONSORS = 4096
#: The columns the writer gives a new site: those of a stored list's site, and ``present`` (its
#: default, written so that the row's undo hash can be made from the values written).
_SITE_INSERT = (*_SITE_COLUMNS, "present")


def campaign_is_empty(conn: sqlite3.Connection, campaign_id: str) -> bool:
    """True when the campaign holds no site and no sponsor yet (a first import can stream)."""
    return conn.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM site WHERE campaign_id = :c)"
        " AND NOT EXISTS (SELECT 1 FROM sponsor WHERE campaign_id = :c)", {"c": campaign_id}).fetchone()[0] == 1


class SiteListWriter:
    """Stores the sites of a list into an empty campaign as the reader finds them.

    Use inside one transaction on ``conn``, from the thread that opened it::

        writer = SiteListWriter(conn, campaign_id, author, log=True)   # log: optional
        writer.expect(rows)          # optional: the sheet's row count, before the first put
        writer.put(records)          # the new sites of each chunk, in list order
        report = writer.finish(site_count, added_flags)
        counts = writer.stored_counts()
        # or, on any error or cancel: writer.abort(), then roll the transaction back

    Nothing else may use ``conn`` between the first :meth:`put` and :meth:`finish` or
    :meth:`abort` (the worker thread writes on it). When the list is expected to bring at least
    :data:`~workbench.storage.site_repo.BULK_MIN_SITES` sites and no fewer than the database
    holds, the indexes and triggers of :data:`~workbench.storage.site_repo.BULK_OBJECTS` are set
    aside while writing (their work is done here: the search index is filled after each batch)
    and put back by :meth:`finish`; being DDL inside the transaction, a rollback restores them.

    With ``log``, every row written is noted as created for the import's undo log (撤销导入,
    :func:`workbench.storage.import_undo_repo.note_created`), with the hash of the row made from
    the values written, so nothing is read back; the rows :meth:`finish` changes afterwards are
    hashed from the stored rows. The caller records the run, then calls
    :func:`~workbench.storage.import_undo_repo.save_created`. New rows get time-ordered keys
    (:func:`~workbench.storage.records.ordered_ids`).
    """

    def __init__(self, conn: sqlite3.Connection, campaign_id: str, author: Author, queue_size: int = 8,
                 log: bool = False):
        self._conn, self._campaign_id = conn, campaign_id
        self._who = (author.device, author.inspector)
        self._now = utc_now()
        self._next_id = ordered_ids().__next__
        self._log = log
        if log:
            import_undo_repo.start_created(conn)
        # the logged columns of a row, picked from the values written (None: hashed in SQL later)
        self._logged = {table: _picker(import_undo_repo.logged_columns(conn, table), columns)
                        for table, columns in (("sponsor", _SPONSOR_COLUMNS), ("site", _SITE_INSERT))}
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._expected = 0
        self._set_aside: dict[str, tuple[str, str]] = {}
        self._last_rowid = 0
        self._written = 0          # sites written
        self._ids: dict[str, str] = {}   # sponsor key -> id
        self._recent: dict[str, tuple] = {}   # sponsor key -> values written (_sponsor_row), some
        # key -> [values written, its last row's city, a valid USCC of a later row or None,
        # (site id, record) of its sites or None], for the sponsors whose first row's USCC failed
        # its check or whose rows name another city than the first (each sponsor's
        # subject_filing_no is its key's).
        self._later: dict[str, list] = {}
        self._domain_hashes = array("q")   # hash() of each domain's punycode

    def expect(self, rows: int) -> None:
        """The number of rows the list is expected to hold (decides the bulk mode at the first put)."""
        self._expected = max(self._expected, rows)

    def put(self, records: Sequence[SiteRecord]) -> None:
        """Hand over new sites (each filing number once over all calls, in list order).

        Raises:
            the worker's error, if writing failed (the caller aborts and rolls back).
        """
        if self._thread is None:
            self._start()
        while True:
            if self._error is not None:
                raise self._error
            try:
                self._queue.put(records, timeout=0.05)
                return
            except queue.Full:
                continue

    def finish(self, site_count: int, added_flags: Mapping[int, tuple[str, ...]]) -> ChangeReport:
        """Wait for the writes, bring every row to what the finished list says, put back what
        was set aside; returns the report (every site added).

        Args:
            site_count: the number of sites the list holds (as handed over).
            added_flags: a site's first sheet row → the flags the reader added to that site
                after handing it over (appended to those written, in order).

        Raises:
            the worker's error, if writing failed; sqlite3 errors of the final writes.
        """
        if self._thread is None and site_count:
            self._start()
        self._stop()
        if self._error is not None:
            raise self._error
        conn, now, who = self._conn, self._now, self._who
        if self._written != site_count:
            raise RuntimeError("site list writer out of step with the reader")   # a programming error
        # The sponsor's values are its first row's, but a USCC failing its check gives way to the
        # first valid one of a later row (site_repo._sponsor_values); city and subject are its
        # last row's (site_repo.store_site_list).
        targets, known, changed = {}, {}, {"sponsor": [], "site": {}}
        for key, (written, city, uscc, _sites) in self._later.items():
            target = (*written[:2], written[2] if uscc is None else uscc, written[3], city)
            if target != written:
                targets[key], known[key] = target, (self._ids[key], written)
                changed["sponsor"].append(self._ids[key])
        _update_sponsors(conn, known, targets, now, who)
        for written, _city, uscc, sites in self._later.values():
            if sites is None or uscc is None or uscc == written[2]:
                continue
            sponsor = {"sponsor_name": written[0], "uscc": uscc}   # search_text holds the USCC
            conn.executemany("UPDATE site SET search_text = ? WHERE id = ?",
                             [(search_text(rec, sponsor), site_id) for site_id, rec in sites])
            changed["site"].update(dict.fromkeys(site_id for site_id, _ in sites))
        if self._set_aside:   # what the change counters set aside would have done (0016)
            import_basis_repo.bump(conn, self._campaign_id)
            search_fill_end(conn)
        deferred_end(conn, self._set_aside)   # site_campaign_row finds a site by its first row
        site_of = "SELECT id, flags FROM site WHERE campaign_id = ? AND source_row = ?"
        for row, codes in added_flags.items():
            site_id, stored = conn.execute(site_of, (self._campaign_id, row)).fetchone()
            flags = (*json.loads(stored), *codes)
            conn.execute("UPDATE site SET flags = ?, flag_count = ? WHERE id = ?",
                         (_flags_json(flags), len(flags), site_id))
            changed["site"][site_id] = None
        if "campaign_count_site_insert" in self._set_aside:   # what the count triggers would have done
            campaign_count_repo.recount(conn, self._campaign_id)
        if self._log:
            for table, ids in changed.items():
                import_undo_repo.rehash_created(conn, table, list(ids))
        added = [no for (no,) in conn.execute("SELECT site_filing_no FROM site WHERE campaign_id = ?"
                                               " ORDER BY source_row", (self._campaign_id,))]
        return ChangeReport(added=added)

    def stored_counts(self) -> dict[str, int]:
        """After :meth:`finish`: the distinct ``domains`` (by punycode) and ``subjects`` (subject
        filing numbers) of the sites stored, as ``SiteListResult.summary`` counts them.

        Domains are told apart by 64-bit hashes (two distinct ones count once only on a
        collision). A sponsor's key is its subject filing number, or ``name:`` and its name for
        the sites without one (a canonical filing number never starts so): those count as one
        subject, the empty one.
        """
        named = sum(key.startswith("name:") for key in self._ids)
        return {"domains": len(set(self._domain_hashes)),
                "subjects": len(self._ids) - named + (named > 0)}

    def abort(self) -> None:
        """Stop the worker after its current batch (the caller then rolls the transaction back,
        which also restores what was set aside). Errors of the worker are dropped."""
        self._stop()

    def _start(self) -> None:
        """Decide the bulk mode, set indexes and triggers aside, start the worker."""
        conn = self._conn
        stored = conn.execute("SELECT count(*) FROM site").fetchone()[0]
        if self._expected >= max(BULK_MIN_SITES, stored):
            self._last_rowid = conn.execute("SELECT coalesce(max(rowid), 0) FROM site").fetchone()[0]
            self._set_aside = deferred_begin(conn, *BULK_OBJECTS)
            search_fill_begin(conn)
        self._thread = threading.Thread(target=self._run, name="site-list-writer", daemon=True)
        self._thread.start()

    def _stop(self) -> None:
        """Send the end marker and wait for the worker."""
        if self._thread is None:
            return
        while self._thread.is_alive():
            try:
                self._queue.put(_STOP, timeout=0.05)
                break
            except queue.Full:
                continue
        self._thread.join()
        self._thread = None

    def _run(self) -> None:
        """The worker: write each batch until the end marker; after an error only drain."""
        while (batch := self._queue.get()) is not _STOP:
            if self._error is None:
                try:
                    self._write(batch)
                except BaseException as err:   # handed to the reading thread by put/finish
                    self._error = err

    def _write(self, batch: Sequence[SiteRecord]) -> None:
        """Insert one batch of new sites (and their new sponsors and domains), noting them in the
        undo log when asked to."""
        campaign_id, now, who, next_id = self._campaign_id, self._now, self._who, self._next_id
        ids, recent = self._ids, self._recent
        sponsors, sites, domains = [], [], []
        for rec in batch:
            key = _sponsor_key(rec)
            sponsor_id = ids.get(key)
            later = None
            if sponsor_id is None:   # its first row's values; finish() corrects them if need be
                sponsor_id = ids[key] = next_id()
                row = _sponsor_row(rec, _sponsor_fields(rec))
                if len(recent) >= RECENT_SPONSORS:
                    recent.clear()
                recent[key] = row
                sponsors.append((sponsor_id, campaign_id, *row, now, now, *who))
                if _BAD_CODE_FLAGS.intersection(rec.flags):
                    later = self._later[key] = [row, rec.city, None, []]
            else:
                row = recent.get(key) or self._written_sponsor(sponsor_id, sponsors)
                if (later := self._later.get(key)) is not None or rec.city != row[4]:
                    if later is None:
                        later = self._later[key] = [row, rec.city, None, None]
                    later[1] = rec.city
                    if (later[3] is not None and later[2] is None and rec.uscc
                            and not _BAD_CODE_FLAGS.intersection(rec.flags)):
                        later[2] = rec.uscc
            site_id = next_id()
            sites.append((site_id, campaign_id, sponsor_id, *_site_row(rec, {"sponsor_name": row[0], "uscc": row[2]}),
                          rec.domains[0].name if rec.domains else "", now, now, *who, 1))
            domains.append([(next_id(), site_id, d.name, d.ascii, i) for i, d in enumerate(rec.domains)])
            self._domain_hashes.extend([hash(d.ascii) for d in rec.domains])
            if later is not None and later[3] is not None:
                later[3].append((site_id, rec))
        self._written += len(batch)
        conn = self._conn
        insert_many(conn, "sponsor", _SPONSOR_COLUMNS, sponsors)
        insert_many(conn, "site", _SITE_INSERT, sites)
        insert_many(conn, "site_domain", _DOMAIN_COLUMNS, [d for own in domains for d in own])
        if self._log:
            import_undo_repo.note_created(conn, self._notes(sponsors, sites, domains))
        if "site_search_insert" in self._set_aside:   # what the trigger would have done, per batch
            self._conn.execute("INSERT INTO site_search (rowid, search_text) SELECT rowid, search_text FROM site"
                               " WHERE rowid > ?", (self._last_rowid,))
            self._last_rowid = self._conn.execute("SELECT max(rowid) FROM site").fetchone()[0]

    def _written_sponsor(self, sponsor_id: str, pending: list[tuple]) -> tuple:
        """The values written (:func:`_sponsor_row`) of sponsor ``sponsor_id``: from this batch's
        ``pending`` rows, or read back (finish() alone changes a sponsor after it is written)."""
        for row in pending:
            if row[0] == sponsor_id:
                return row[2:7]
        return tuple(self._conn.execute("SELECT name, nature, uscc, subject_filing_no, city FROM sponsor WHERE id = ?",
                                        (sponsor_id,)).fetchone())

    def _notes(self, sponsors: list[tuple], sites: list[tuple], domains: list[list[tuple]]) -> list[tuple]:
        """The undo log's rows for the sponsors and sites of a batch (see ``log``)."""
        pick, notes = self._logged, []
        if (of_sponsor := pick["sponsor"]) is not None:
            notes += [("sponsor", row[0], import_undo_repo.values_hash(of_sponsor(row))) for row in sponsors]
        else:
            notes += [("sponsor", row[0], None) for row in sponsors]
        if (of_site := pick["site"]) is not None:
            notes += [("site", row[0], import_undo_repo.values_hash(of_site(row), [(d[0], d[2], d[3], d[4]) for d in own]))
                      for row, own in zip(sites, domains, strict=True)]
        else:
            notes += [("site", row[0], None) for row in sites]
        return notes


def _picker(logged: list[str], written: tuple[str, ...]):
    """A function picking the ``logged`` columns' values, in order, from a row of ``written``
    columns; None when some logged column is not written (its value is then a default only
    the stored row shows)."""
    if not set(logged) <= set(written) or len(logged) < 2:
        return None
    return itemgetter(*(written.index(c) for c in logged))
