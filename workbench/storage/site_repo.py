"""Storing imported websites and their sponsors, and reading them back page by page."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from workbench.domain.site import Domain, SiteRecord
from workbench.storage import campaign_count_repo, import_basis_repo
from workbench.storage.bulk import BATCH, deferred, insert_many
from workbench.storage.records import Author, fresh_ids, iso, new_id, utc_now


@dataclass
class ChangeReport:
    """What storing a site list changed in a campaign.

    Attributes:
        added: site filing numbers stored for the first time.
        changed: site filing number -> {field: [old, new]} for sites whose filed values changed.
        unchanged: how many sites were already stored with the same values.
        missing: site filing numbers stored before but absent from this list (kept, marked absent).
        kept: field → how many sites kept their stored value of it because the list had no
            column for it (see ``absent`` of :func:`store_site_list`).
    """

    added: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list]] = field(default_factory=dict)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)


def _sponsor_key(rec: SiteRecord) -> str:
    return rec.subject_filing_no or f"name:{rec.sponsor_name}"


def _sponsor_fields(rec: SiteRecord) -> dict:
    return {"sponsor_name": rec.sponsor_name, "sponsor_nature": rec.sponsor_nature, "uscc": rec.uscc}


_BAD_CODE_FLAGS = frozenset({"uscc_check_digit", "id_check_digit", "uscc_invalid"})


def _sponsor_values(records: list[SiteRecord]) -> dict[str, dict]:
    """The values each sponsor is stored with: those of the first row listing its subject, except
    that a USCC failing its check digit (GB 32100-2015) gives way to the first valid one among
    the sponsor's rows. Later rows that disagree are flagged ``sponsor_mismatch`` by the importer;
    each site is compared with these values, so such rows never report changes on re-import."""
    final: dict[str, dict] = {}
    for r in records:
        key = _sponsor_key(r)
        if key not in final:
            final[key] = {**_sponsor_fields(r), "_bad_code": bool(_BAD_CODE_FLAGS & set(r.flags))}
        elif final[key]["_bad_code"] and r.uscc and not _BAD_CODE_FLAGS & set(r.flags):
            final[key].update(uscc=r.uscc, _bad_code=False)
    for values in final.values():
        del values["_bad_code"]
    return final


def _stored_sponsors(conn: sqlite3.Connection, campaign_id: str) -> dict[str, tuple[str, tuple]]:
    """sponsor key (see :func:`_sponsor_key`) -> (id, stored values as :func:`_sponsor_row` gives
    them), for every sponsor of the campaign."""
    rows = conn.execute(
        "SELECT id, name, nature, uscc, subject_filing_no, city FROM sponsor WHERE campaign_id = ?", (campaign_id,)
    )
    return {(r[4] or f"name:{r[1]}"): (r[0], tuple(r[1:])) for r in rows}


def search_text(rec: SiteRecord, sponsor: dict) -> str:
    """The site's lower-cased search column (see db/migrations/0004_site_search_text.sql)."""
    parts = [rec.site_filing_no, rec.site_name, sponsor["sponsor_name"], sponsor["uscc"],
             rec.access_provider, rec.city]
    # a domain's punycode only where it differs (an identical copy would find nothing more)
    parts += [part for d in rec.domains for part in ((d.name, d.ascii) if d.ascii != d.name else (d.name,))]
    return "\x1f".join(parts).lower()


#: The site columns :func:`_site_row` gives values for, in order.
_VALUE_COLUMNS = ("search_text", "site_filing_no", "subject_filing_no", "name", "homepage", "access_provider", "ip",
                  "contact_name", "contact_phone", "email", "approved_on", "psb_filing_no", "city", "remark",
                  "flags", "source_row", "sort_sponsor", "flag_count")


def _flags_json(flags: tuple[str, ...]) -> str:
    """The stored form of a site's import flags (a JSON list; most sites have none)."""
    return json.dumps(list(flags)) if flags else "[]"


def _site_row(rec: SiteRecord, sponsor: dict) -> tuple:
    """The values of :data:`_VALUE_COLUMNS` for ``rec`` with its sponsor's values."""
    approved = rec.approved_on
    return (search_text(rec, sponsor), rec.site_filing_no, rec.subject_filing_no, rec.site_name, rec.homepage,
            rec.access_provider, rec.ip, rec.contact_name, rec.contact_phone, rec.email,
            approved.isoformat() if approved else None, rec.psb_filing_no, rec.city, rec.remark,
            _flags_json(rec.flags), rec.source_row,
            sponsor["sponsor_name"], len(rec.flags))   # sort keys (0011)


def _site_values(rec: SiteRecord, sponsor: dict) -> dict:
    """:func:`_site_row` by column name."""
    return dict(zip(_VALUE_COLUMNS, _site_row(rec, sponsor), strict=True))


def store_site_list(
    conn: sqlite3.Connection, campaign_id: str, records: Iterable[SiteRecord], author: Author,
    absent: Collection[str] = (),
) -> ChangeReport:
    """Upsert ``records`` into the campaign and report what changed (call inside a transaction).

    Sponsors (主办单位) are keyed by subject filing number (主体备案号), or by name when a row has
    none; their values follow :func:`_sponsor_values` over the latest list. Reviews and findings already
    recorded for a site are never touched; a site absent from the new list is kept with
    ``present = 0`` and reported as missing.

    ``absent`` names the fields (keys of ``SiteRecord.comparable``) the list has no column for:
    a missing column means "not provided", not "now empty", so a stored site keeps its value of
    such a field wherever the new one is empty (counted in ``kept``; issue 9).

    Speed (issue 12): new sites are written with one prepared INSERT per table in batches
    (:mod:`workbench.storage.bulk`), and when they outnumber the sites stored so far the site
    table's sort indexes, the first-domain trigger and the search index are filled after the
    rows instead of row by row (:func:`workbench.storage.bulk.deferred`). A stored site is
    compared with its new values through a digest of its stored values (:func:`_stored_digests`,
    computed from the rows at each import, so it can never be stale): a site whose digest
    matches is not written at all; only the others are read back and diffed field by field.
    """
    if not isinstance(records, Sequence):
        records = list(records)
    absent = frozenset(absent)
    stored = _stored_digests(conn, campaign_id)
    sponsors = _stored_sponsors(conn, campaign_id)
    final = _sponsor_values(records)
    now = utc_now()
    who = (author.device, author.inspector)
    report = ChangeReport()
    seen: set[str] = set()
    targets: dict[str, tuple] = {}          # sponsor key -> values the last of its rows gives it
    next_id = fresh_ids().__next__
    new_sponsors: list[tuple] = []
    new_sites: list[tuple] = []
    new_domains: list[tuple] = []
    added = sum(1 for rec in records if rec.site_filing_no not in stored)
    bulk = _bulk_objects(conn, added)
    last_rowid = conn.execute("SELECT coalesce(max(rowid), 0) FROM site").fetchone()[0] if bulk else 0
    with deferred(conn, *bulk):
        if bulk:
            search_fill_begin(conn)
        for rec in records:
            seen.add(rec.site_filing_no)
            key = _sponsor_key(rec)
            sponsor = final[key]
            old = stored.get(rec.site_filing_no)
            if old is not None and old[1] == _digest(rec, sponsor):
                targets[key] = _sponsor_row(rec, sponsor)   # unchanged site: nothing to write
                report.unchanged += 1
                continue
            before = _stored_comparable(conn, old[0]) if old is not None else None
            if before is not None and absent:
                rec, sponsor = _keep_stored(conn, rec, sponsor, (old[0], before), absent, report.kept)
            targets[key] = _sponsor_row(rec, sponsor)
            known = sponsors.get(key)
            if known is None:
                known = sponsors[key] = (next_id(), targets[key])
                new_sponsors.append((known[0], campaign_id, *targets[key], now, now, *who))
            sponsor_id = known[0]
            if old is None:
                site_id = next_id()
                new_sites.append((site_id, campaign_id, sponsor_id, *_site_row(rec, sponsor),
                                  rec.domains[0].name if rec.domains else "", now, now, *who))
                new_domains += [(next_id(), site_id, d.name, d.ascii, i) for i, d in enumerate(rec.domains)]
                report.added.append(rec.site_filing_no)
                if len(new_sites) >= BATCH:
                    _flush(conn, new_sponsors, new_sites, new_domains)
                continue
            _flush(conn, new_sponsors, [], [])
            _update_site(conn, rec, sponsor, sponsor_id, _site_values(rec, sponsor), old[0], before, now, who,
                         report)
        _flush(conn, new_sponsors, new_sites, new_domains)
        if bulk:  # what site_search_insert would have done for each new site (0011), and the count (0016)
            conn.execute("INSERT INTO site_search (rowid, search_text) SELECT rowid, search_text FROM site"
                         " WHERE rowid > ?", (last_rowid,))
            search_fill_end(conn)
            import_basis_repo.bump(conn, campaign_id)
        _update_sponsors(conn, sponsors, targets, now, who)
        report.missing = sorted(set(stored) - seen)
        mark_missing(conn, campaign_id, report.missing, now)
    if bulk:   # what the count triggers set aside would have done (0017)
        campaign_count_repo.recount(conn, campaign_id)
    return report


def mark_missing(conn: sqlite3.Connection, campaign_id: str, filing_nos: Iterable[str], now: str) -> None:
    """Mark the campaign's sites ``filing_nos`` (网站备案号) absent from the list just imported
    (``present = 0``; ``now``: UTC ISO time of the change)."""
    conn.executemany(
        "UPDATE site SET present = 0, updated_at = ? WHERE campaign_id = ? AND site_filing_no = ?",
        [(now, campaign_id, no) for no in filing_nos],
    )


#: Columns of a new site row, in the order :func:`store_site_list` builds them.
_SITE_COLUMNS = ("id", "campaign_id", "sponsor_id", *_VALUE_COLUMNS, "first_domain", "created_at", "updated_at",
                 "device", "inspector")
_SPONSOR_COLUMNS = ("id", "campaign_id", "name", "nature", "uscc", "subject_filing_no", "city",
                    "created_at", "updated_at", "device", "inspector")
_DOMAIN_COLUMNS = ("id", "site_id", "domain", "ascii", "position")
#: Below this many new sites, indexes and the search index are kept up row by row.
BULK_MIN_SITES = 2_000


def _bulk_objects(conn: sqlite3.Connection, added: int) -> tuple[str, ...]:
    """The indexes and triggers to fill after the rows (see :func:`workbench.storage.bulk.deferred`)
    when ``added`` new sites are many and outnumber the sites stored (in every campaign): then
    building each index once over the whole table is cheaper than ``added`` scattered inserts."""
    if added < BULK_MIN_SITES or added < conn.execute("SELECT count(*) FROM site").fetchone()[0]:
        return ()
    return BULK_OBJECTS


#: Indexes rebuilt after a bulk import: the site table's sort indexes (migration 0011) and the
#: other indexes of the tables written that no constraint needs (unique ones must stay).
DEFERRED_INDEXES = ("site_campaign_row", "site_campaign_sponsor", "site_campaign_conclusion",
                    "site_campaign_flags", "site_campaign_name", "site_campaign_city",
                    "site_campaign_provider", "site_campaign_domain", "site_sponsor", "site_domain_domain",
                    "sponsor_campaign")
#: Everything set aside while new sites are written in bulk: the indexes above; the triggers that
#: keep first_domain (written with each new site instead) and the search index (filled after the
#: rows) up to date; the sync triggers that clear a tombstone of a re-inserted id (0006), which
#: have nothing to do for rows whose ids were just made (saving a call per row); the triggers that
#: count a campaign's sites and sponsors (0017: the campaign is counted again after); and the
#: triggers counting the campaign's changes (0016), whose count the writer bumps once instead.
BULK_COUNTERS = ("import_basis_site_insert", "import_basis_sponsor_insert", "import_basis_domain_insert")
BULK_OBJECTS = (*DEFERRED_INDEXES, "site_first_domain_insert", "site_search_insert", "tomb_site_insert",
                "tomb_sponsor_insert", "tomb_site_domain_insert", "campaign_count_site_insert",
                "campaign_count_sponsor_insert", *BULK_COUNTERS)


#: FTS5's ``automerge`` (its default) put back once a bulk writer filled the search index.
AUTOMERGE_DEFAULT = 4


def search_fill_begin(conn: sqlite3.Connection) -> None:
    """Stop the search index (0011) merging its segments while a bulk writer fills it (issue 12).

    FTS5 merges the segments each flush writes as it goes ('automerge'); for 300,000 sites that
    was a quarter of the fill (4.9 → 3.8 s CPU, measured). The segments left unmerged are merged
    bit by bit by later writes once :func:`search_fill_end` puts the default back; lookups of 3 to
    9 characters measured the same either way. Being a row of the index's config table, the
    setting rolls back with the caller's transaction.
    """
    conn.execute("INSERT INTO site_search (site_search, rank) VALUES ('automerge', 0)")


def search_fill_end(conn: sqlite3.Connection) -> None:
    """Put FTS5's default merging back (see :func:`search_fill_begin`)."""
    conn.execute("INSERT INTO site_search (site_search, rank) VALUES ('automerge', ?)", (AUTOMERGE_DEFAULT,))


def _flush(conn: sqlite3.Connection, sponsors: list, sites: list, domains: list) -> None:
    """Write the new sponsors, sites and domains collected so far (parents first) and empty the lists."""
    for table, columns, rows in (("sponsor", _SPONSOR_COLUMNS, sponsors), ("site", _SITE_COLUMNS, sites),
                                 ("site_domain", _DOMAIN_COLUMNS, domains)):
        if rows:
            insert_many(conn, table, columns, rows)
            rows.clear()


def _sponsor_row(rec: SiteRecord, sponsor: dict) -> tuple:
    """The sponsor's stored values (name, nature, uscc, subject_filing_no, city) as row ``rec`` gives them."""
    return (sponsor["sponsor_name"], sponsor["sponsor_nature"], sponsor["uscc"], rec.subject_filing_no, rec.city)


def _update_sponsors(conn, known: dict[str, tuple[str, tuple]], targets: dict[str, tuple], now: str, who) -> None:
    """Bring every sponsor of the list to the values its last row gave it, where they differ
    from those stored (``known``: key -> (id, values stored or just inserted))."""
    conn.executemany(
        "UPDATE sponsor SET name = ?, nature = ?, uscc = ?, subject_filing_no = ?, city = ?,"
        " updated_at = ?, device = ?, inspector = ? WHERE id = ?",
        [(*values, now, *who, known[key][0]) for key, values in targets.items() if known[key][1] != values],
    )


def _update_site(conn, rec: SiteRecord, sponsor: dict, sponsor_id: str, values: dict, site_id: str, before: dict,
                 now: str, who, report: ChangeReport) -> None:
    """Rewrite a stored site whose digest differs (``before``: its stored comparable values): its
    import bookkeeping only when no filed value changed (counted unchanged), else every value
    and its domains (reported in ``changed``)."""
    now_values = {**rec.comparable(), **sponsor}
    diff = {k: [before[k], v] for k, v in now_values.items() if before[k] != v}
    if not diff:
        conn.execute(
            "UPDATE site SET present = 1, flags = ?, flag_count = ?, source_row = ?, search_text = ?"
            " WHERE id = ?",
            (values["flags"], values["flag_count"], rec.source_row, values["search_text"], site_id),
        )
        report.unchanged += 1
        return
    _replace_domains(conn, site_id, rec)   # first, so its triggers cannot undo first_domain below
    sets = ", ".join(f"{k} = ?" for k in values)
    conn.execute(
        f"UPDATE site SET {sets}, first_domain = ?, sponsor_id = ?, present = 1, updated_at = ?, device = ?,"
        " inspector = ? WHERE id = ?",
        [*values.values(), rec.domains[0].name if rec.domains else "", sponsor_id, now, *who, site_id],
    )
    report.changed[rec.site_filing_no] = diff


#: The stored values a site's digest covers, in order: its comparable values, then the import
#: bookkeeping an unchanged site would otherwise rewrite (flags, source row, present).
_DIGEST_SQL = """
    SELECT s.site_filing_no, s.id, s.subject_filing_no, p.name, p.nature, p.uscc, s.city, s.name,
           s.homepage, s.access_provider, s.ip, s.contact_name, s.contact_phone, s.email, s.approved_on,
           s.psb_filing_no, s.remark, s.flags, s.source_row, s.present
    FROM site s JOIN sponsor p ON p.id = s.sponsor_id WHERE s.campaign_id = ?
    ORDER BY s.source_row"""   # through site_campaign_row: rows in list order, near their table order (-1/3 time)


def _stored_digests(conn: sqlite3.Connection, campaign_id: str) -> dict[str, tuple[str, int]]:
    """site filing no -> (site id, digest of its stored values) for every site of the campaign.

    The digest (Python's 64-bit tuple hash, compared within this process only) covers what
    :func:`_digest` covers for a new row; computed afresh from the rows, never stored.
    """
    domains: dict[str, list[str]] = {}
    for site_id, name in conn.execute(
        "SELECT d.site_id, d.domain FROM site_domain d JOIN site s ON s.id = d.site_id"
        " WHERE s.campaign_id = ? ORDER BY d.site_id, d.position", (campaign_id,)
    ):
        domains.setdefault(site_id, []).append(name)
    out = {}
    for row in conn.execute(_DIGEST_SQL, (campaign_id,)):
        site_id = row[1]
        values = (*row[2:8], tuple(domains.pop(site_id, ())), *row[8:])
        out[row[0]] = (site_id, hash(values))
    return out


def _digest(rec: SiteRecord, sponsor: dict) -> int:
    """The digest :func:`_stored_digests` gives a present site holding ``rec``'s values."""
    return hash((rec.subject_filing_no, sponsor["sponsor_name"], sponsor["sponsor_nature"], sponsor["uscc"],
                 rec.city, rec.site_name, tuple(d.name for d in rec.domains), rec.homepage, rec.access_provider,
                 rec.ip, rec.contact_name, rec.contact_phone, rec.email, iso(rec.approved_on), rec.psb_filing_no,
                 rec.remark, _flags_json(rec.flags), rec.source_row, 1))


def _stored_comparable(conn: sqlite3.Connection, site_id: str) -> dict:
    """The stored values of one site as ``SiteRecord.comparable`` gives them (plus its sponsor's)."""
    r = conn.execute(
        """SELECT s.*, p.name AS sponsor_name, p.nature AS sponsor_nature, p.uscc AS uscc
           FROM site s JOIN sponsor p ON p.id = s.sponsor_id WHERE s.id = ?""", (site_id,)).fetchone()
    domains = [d for (d,) in conn.execute(
        "SELECT domain FROM site_domain WHERE site_id = ? ORDER BY position", (site_id,))]
    return {
        "subject_filing_no": r["subject_filing_no"], "sponsor_name": r["sponsor_name"],
        "sponsor_nature": r["sponsor_nature"], "uscc": r["uscc"], "city": r["city"],
        "site_name": r["name"], "domains": domains, "homepage": r["homepage"],
        "access_provider": r["access_provider"], "ip": r["ip"],
        "contact_name": r["contact_name"], "contact_phone": r["contact_phone"],
        "email": r["email"], "approved_on": r["approved_on"],
        "psb_filing_no": r["psb_filing_no"], "remark": r["remark"],
    }


_EMPTY = ("", None, [])


def _keep_stored(conn: sqlite3.Connection, rec: SiteRecord, sponsor: dict, old: tuple[str, dict],
                 absent: frozenset[str], kept: dict[str, int]) -> tuple[SiteRecord, dict]:
    """``rec`` and its sponsor values with the stored value of every ``absent`` field whose new
    value is empty; counts each kept non-empty value in ``kept``."""
    site_id, before = old
    now = {**rec.comparable(), **sponsor}
    changes: dict = {}
    sponsor = dict(sponsor)
    for name in absent:
        if name not in before or now.get(name) not in _EMPTY or before[name] in _EMPTY:
            continue
        kept[name] = kept.get(name, 0) + 1
        if name in sponsor:
            sponsor[name] = before[name]
        elif name == "approved_on":
            changes[name] = date.fromisoformat(before[name])
        elif name == "domains":
            changes[name] = tuple(Domain(r[0], r[1]) for r in conn.execute(
                "SELECT domain, ascii FROM site_domain WHERE site_id = ? ORDER BY position", (site_id,)))
        else:
            changes[name] = before[name]
    return (replace(rec, **changes) if changes else rec), sponsor


def _replace_domains(conn: sqlite3.Connection, site_id: str, rec: SiteRecord) -> None:
    """Make the stored domains of ``site_id`` those of ``rec``, in its order, touching only what
    changed: a domain that stays keeps its row and id (its ``position`` / ``ascii`` updated when
    they moved), a dropped one is deleted, a new one inserted under a new id.

    Keeping the ids matters to work packages: a re-import that gave every kept domain a new id
    sent a delete and an insert per domain, and laptops that both imported the changed list
    clashed on ``UNIQUE (site_id, domain)`` when merging (docs/sync.md). The import's undo log
    notes the site with its domains before the first of these writes (storage/import_undo_repo).
    """
    stored = {d: (i, a, p) for i, d, a, p in conn.execute(
        "SELECT id, domain, ascii, position FROM site_domain WHERE site_id = ?", (site_id,))}
    wanted: dict[str, tuple[str, int]] = {}
    for d in rec.domains:                       # the first of a repeated domain counts
        wanted.setdefault(d.name, (d.ascii, len(wanted)))
    conn.executemany("DELETE FROM site_domain WHERE id = ?", [(v[0],) for d, v in stored.items() if d not in wanted])
    conn.executemany("UPDATE site_domain SET ascii = ?, position = ? WHERE id = ?",
                     [(a, p, stored[d][0]) for d, (a, p) in wanted.items()
                      if d in stored and stored[d][1:] != (a, p)])
    conn.executemany("INSERT INTO site_domain (id, site_id, domain, ascii, position) VALUES (?,?,?,?,?)",
                     [(new_id(), site_id, d, a, p) for d, (a, p) in wanted.items() if d not in stored])
