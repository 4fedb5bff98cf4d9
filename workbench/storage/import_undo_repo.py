"""The row log that lets an import be undone (tables ``import_log``/``import_change``, migration 0013).

While an import stores its list, temporary triggers on this connection note every ``sponsor`` and
``site`` row it creates, changes or deletes, with the row as it was before (a site with its
domains). :func:`save` then stores, per row, the "before", a hash of the "after" (the row as the
import left it) and, for rows that existed before, the columns of the "after" that differ from the
"before" (e.g. only ``present`` and ``updated_at`` of a site a list left out); rows that end as
they began are not kept. A created row's "after" is written only when the import is undone (it is the row
then deleted), so a large first import costs about 100 bytes a row. The log does not depend on
how the importer writes (row by row or in bulk): the triggers see every write. A first import
into an empty campaign, which only creates rows, is logged without triggers: its writer notes
each row with a hash of the values it writes (:func:`note_created`, :func:`values_hash`; issue 12).

:func:`put_back` brings every logged row of a run to one side of the log — "before" to undo the
import, "after" to redo it — after :func:`moved` has shown that no row is at another state than the
other side (nothing changed them since). ``site.sort_conclusion`` is not logged: triggers on
``review`` keep it (migration 0011), not the import.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from workbench.domain.import_change import RowChange
from workbench.storage.records import utc_now

#: Logged tables, parents first.
TABLES = ("sponsor", "site")
#: Columns a logged table has that the import does not write (kept by triggers on other tables).
_NOT_LOGGED = {"site": frozenset({"sort_conclusion"})}
_DOMAINS = "_domains"
_CAPTURE_NAME = "wb_import_capture"     # unqualified inside a (temp) trigger, which finds it in temp
_CAPTURE = f"temp.{_CAPTURE_NAME}"


def _hash(text: str | None) -> str | None:
    """The hash kept of a row's JSON (None for no row): 32 hex digits of SHA-256."""
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()[:32]


#: How a hash made by :func:`values_hash` begins (one made by :func:`_hash` is hex digits only).
VALUES_HASH = "v2:"
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode     # ASCII only (\u escapes): one text per value


def _refuse(value: object) -> None:
    raise TypeError(f"not a logged value: {type(value).__name__}")


# The C encoder JSONEncoder.encode makes anew on every call, made once: the same text for the
# values a row holds (str, int, float, None, lists and tuples), without the ~1.2 µs of Python
# per call (200,000 rows per 100,000-site import; issue 12). None when the C accelerator is
# missing: then _ENCODE.
_C_ENCODER = (None if json.encoder.c_make_encoder is None else json.encoder.c_make_encoder(
    None, _refuse, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True))


def values_hash(values: Sequence, domains: Sequence[Sequence] | None = None) -> str:
    """The hash logged of a row an import created, made from its values rather than its JSON.

    Args:
        values: the row's values in the order of :func:`logged_columns` (str, int or None).
        domains: for a site, its domains as (id, domain, ascii, position) in position order.

    Returns:
        ``v2:`` and 32 hex digits of SHA-256 over the JSON of ``values`` (and ``domains``), as
        Python's json module writes it with ``\\u`` escapes and no spaces.

    The writer of a first import (storage/site_stream.py) makes it from the values it inserts, so
    100,000 created rows need not be read back and turned into JSON (issue 12); :func:`moved`
    makes the same from the stored row.
    """
    row = (values,) if domains is None else (values, domains)
    text = _ENCODE(row) if _C_ENCODER is None else "".join(_C_ENCODER(row, 0))
    return VALUES_HASH + hashlib.sha256(text.encode()).hexdigest()[:32]


def _sql_values_hash(domains: str | None, *values) -> str:
    return values_hash(values, None if domains is None else json.loads(domains))


def _register(conn: sqlite3.Connection) -> None:
    conn.create_function("wb_row_hash", 1, _hash, deterministic=True)
    conn.create_function("wb_values_hash", -1, _sql_values_hash, deterministic=True)


def logged_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` the log keeps, in table order."""
    skip = _NOT_LOGGED.get(table, frozenset())
    return [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})") if r[1] not in skip]


def _domains_json(alias: str) -> str:
    """A SQL expression: the domains of site ``alias`` as a JSON array of [id, domain, ascii, position]."""
    return ("(SELECT json_group_array(json_array(d.id, d.domain, d.ascii, d.position))"
            f" FROM (SELECT * FROM main.site_domain d WHERE d.site_id = {alias}.id"
            " ORDER BY d.position, d.id) d)")


def row_json(conn: sqlite3.Connection, table: str, alias: str) -> str:
    """A SQL expression: the row ``alias`` of ``table`` as a JSON object (a site with its domains)."""
    parts = [f"'{c}', {alias}.{c}" for c in logged_columns(conn, table)]
    if table == "site":
        parts.append(f"'{_DOMAINS}', json({_domains_json(alias)})")
    return "json_object(" + ", ".join(parts) + ")"


def row_values_hash(conn: sqlite3.Connection, table: str, alias: str) -> str:
    """A SQL expression: :func:`values_hash` of the row ``alias`` (LEFT JOINed: NULL when missing)."""
    values = ", ".join(f"{alias}.{c}" for c in logged_columns(conn, table))
    domains = _domains_json(alias) if table == "site" else "NULL"
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE wb_values_hash({domains}, {values}) END"


def _current(conn: sqlite3.Connection, table: str, alias: str) -> str:
    """The row ``alias`` (LEFT JOINed, so possibly missing) as JSON, or NULL when there is none."""
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE {row_json(conn, table, alias)} END"


def _trigger_sql(conn: sqlite3.Connection) -> list[str]:
    """CREATE TEMP TRIGGER statements noting each logged row once, before its first write."""
    def note(table: str, row: str, created: bool) -> str:
        before = "NULL" if created else row_json(conn, table, row)
        return (f"INSERT INTO {_CAPTURE_NAME} (entity, entity_id, created, before) SELECT '{table}', {row}.id,"
                f" {int(created)}, {before} WHERE NOT EXISTS (SELECT 1 FROM {_CAPTURE_NAME}"
                f" WHERE entity = '{table}' AND entity_id = {row}.id)")

    out = []
    for table in TABLES:
        out.append(f"CREATE TEMP TRIGGER wb_undo_{table}_insert BEFORE INSERT ON main.{table} BEGIN "
                   f"{note(table, 'NEW', True)}; END")
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in logged_columns(conn, table))
        out.append(f"CREATE TEMP TRIGGER wb_undo_{table}_update BEFORE UPDATE ON main.{table} WHEN {changed} BEGIN "
                   f"{note(table, 'OLD', False)}; END")     # a write of the same values is no change
        out.append(f"CREATE TEMP TRIGGER wb_undo_{table}_delete BEFORE DELETE ON main.{table} BEGIN "
                   f"{note(table, 'OLD', False)}; END")
    # A site's domains are part of the site: the first write to them notes the site as it was.
    site_note = note("site", "s", False).replace(" WHERE NOT EXISTS", " FROM main.site s WHERE s.id = {k}"
                                                 " AND NOT EXISTS")
    for op, row in (("insert", "NEW"), ("update", "OLD"), ("delete", "OLD")):
        out.append(f"CREATE TEMP TRIGGER wb_undo_site_domain_{op} BEFORE {op.upper()} ON main.site_domain BEGIN "
                   f"{site_note.format(k=f'{row}.site_id')}; END")
    return out


_TRIGGERS = [f"wb_undo_{t}_{op}" for t in (*TABLES, "site_domain") for op in ("insert", "update", "delete")]


def _drop(conn: sqlite3.Connection) -> None:
    for name in _TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{name}")


@contextmanager
def capture(conn: sqlite3.Connection) -> Iterator[None]:
    """Note the rows the block writes (call inside the import's transaction, then :func:`save`).

    The notes stay in a temporary table of this connection until :func:`save` or the next capture;
    the triggers are dropped when the block ends, however it ends. The table lives in memory
    (``temp_store=MEMORY``) and has a row per site and sponsor written (590,000 for a first
    import of 300,000 sites): WITHOUT ROWID keeps each row once, in its key's b-tree, instead of
    once in the table and again in the key's index (issue 12).
    """
    conn.execute(f"CREATE TABLE IF NOT EXISTS {_CAPTURE} (entity TEXT NOT NULL, entity_id TEXT NOT NULL,"
                 " created INTEGER NOT NULL, before TEXT, PRIMARY KEY (entity, entity_id)) WITHOUT ROWID")
    conn.execute(f"DELETE FROM {_CAPTURE}")
    _drop(conn)
    try:
        for sql in _trigger_sql(conn):
            conn.execute(sql)
        yield
    finally:
        _drop(conn)


def save(conn: sqlite3.Connection, run_id: str) -> int:
    """Store the rows noted by the last :func:`capture` as the log of import run ``run_id``
    (inside the same transaction); returns how many rows changed."""
    conn.execute("INSERT INTO import_log (import_run_id, recorded_at) VALUES (?, ?)", (run_id, utc_now()))
    count = 0
    for table in TABLES:
        cursor = conn.execute(
            f"SELECT c.entity_id, c.before, {_current(conn, table, 'r')} FROM {_CAPTURE} c"
            f" LEFT JOIN main.{table} r ON r.id = c.entity_id WHERE c.entity = ?", (table,))
        while rows := cursor.fetchmany(2000):
            logged = [(run_id, table, entity_id, before,
                       None if before is None or after is None else _changed_part(before, after), _hash(after))
                      for entity_id, before, after in rows
                      if before != after]                     # unchanged, or created and gone again
            conn.executemany("INSERT INTO import_change (import_run_id, entity, entity_id, before, after, after_hash)"
                             " VALUES (?, ?, ?, ?, ?, ?)", logged)
            count += len(logged)
    conn.execute(f"DELETE FROM {_CAPTURE}")
    return count


def _changed_part(before: str, after: str) -> str:
    """The JSON object of the keys of ``after`` whose values differ from ``before``."""
    old, new = json.loads(before), json.loads(after)
    return json.dumps({k: v for k, v in new.items() if old.get(k) != v}, ensure_ascii=False)


def is_logged(conn: sqlite3.Connection, run_id: str) -> bool:
    """True when the import run ``run_id`` was logged (made by a version that can undo it)."""
    return conn.execute("SELECT 1 FROM import_log WHERE import_run_id = ?", (run_id,)).fetchone() is not None


def changes(conn: sqlite3.Connection, run_id: str) -> list[RowChange]:
    """The logged rows of ``run_id``, sponsors first."""
    rows = conn.execute(
        "SELECT entity, entity_id, before, after, after_hash FROM import_change WHERE import_run_id = ?"
        " ORDER BY entity = 'site', entity_id", (run_id,))
    out = []
    for e, i, b, a, h in rows:
        before = json.loads(b) if b else None
        after = json.loads(a) if a else ({} if h else None)
        if before is not None and after is not None:
            after = {**before, **after}         # stored as the changed columns only
        out.append(RowChange(e, i, before, after))
    return out


def moved(conn: sqlite3.Connection, run_id: str, side: str) -> list[tuple[str, str]]:
    """(entity, id) of each logged row that is not at ``side`` (``after``: as the import left it;
    ``before``: as it was before) — rows something else changed since."""
    if side not in ("before", "after"):
        raise ValueError(side)
    _register(conn)
    out = []
    for table in TABLES:
        now = _current(conn, table, "r")
        differs = (f"c.before IS NOT {now}" if side == "before" else
                   f"c.after_hash IS NOT (CASE WHEN substr(c.after_hash, 1, 3) = '{VALUES_HASH}'"
                   f" THEN {row_values_hash(conn, table, 'r')} ELSE wb_row_hash({now}) END)")
        out += conn.execute(
            f"SELECT c.entity, c.entity_id FROM import_change c LEFT JOIN main.{table} r ON r.id = c.entity_id"
            f" WHERE c.import_run_id = ? AND c.entity = ? AND {differs}", (run_id, table)).fetchall()
    return [tuple(r) for r in out]


def put_back(conn: sqlite3.Connection, run_id: str, side: str) -> None:
    """Bring every logged row of ``run_id`` to ``side`` (``before`` undoes the import, ``after``
    redoes it): rows absent on that side are deleted, the others updated or inserted with every
    logged column (a site with its domains, their ids kept). Call inside a transaction, after
    :func:`moved` found nothing.

    Raises:
        sqlite3.IntegrityError: a row to delete is still referenced (e.g. a finding of a sponsor).
    """
    if side == "before":      # keep what the created rows hold, for a redo (restore from the 回收站)
        for table in TABLES:
            conn.execute(
                f"UPDATE import_change SET after = (SELECT {row_json(conn, table, 'r')} FROM main.{table} r"
                f" WHERE r.id = import_change.entity_id) WHERE import_run_id = ? AND entity = ?"
                " AND before IS NULL AND after IS NULL AND after_hash IS NOT NULL", (run_id, table))
    logged = changes(conn, run_id)
    target = {(c.entity, c.entity_id): (c.before if side == "before" else c.after) for c in logged}
    sponsors = [(k[1], v) for k, v in target.items() if k[0] == "sponsor"]
    sites = [(k[1], v) for k, v in target.items() if k[0] == "site"]
    for sponsor_id, row in sponsors:
        if row is not None:
            _upsert(conn, "sponsor", sponsor_id, row)
    for site_id, row in sites:
        if row is None:
            conn.execute("DELETE FROM site_domain WHERE site_id = ?", (site_id,))
            conn.execute("DELETE FROM site WHERE id = ?", (site_id,))
    for site_id, row in sites:
        if row is not None:
            domains = row.get(_DOMAINS) or []
            values = {k: v for k, v in row.items() if k != _DOMAINS}
            _upsert(conn, "site", site_id, values)
            conn.execute("DELETE FROM site_domain WHERE site_id = ?", (site_id,))
            conn.executemany("INSERT INTO site_domain (id, site_id, domain, ascii, position) VALUES (?, ?, ?, ?, ?)",
                             [(d[0], site_id, d[1], d[2], d[3]) for d in domains])
            _upsert(conn, "site", site_id, values)    # first_domain, as the domain triggers left it
    for sponsor_id, row in sponsors:
        if row is None:
            conn.execute("DELETE FROM sponsor WHERE id = ?", (sponsor_id,))
    if side == "after":       # created rows are back: their copy is no longer needed
        conn.execute("UPDATE import_change SET after = NULL WHERE import_run_id = ? AND before IS NULL", (run_id,))


def _upsert(conn: sqlite3.Connection, table: str, row_id: str, values: dict) -> None:
    cols = [c for c in logged_columns(conn, table) if c in values]
    if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone():
        sets = ", ".join(f"{c} = ?" for c in cols if c != "id")
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [values[c] for c in cols if c != "id"] + [row_id])
    else:
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                     [values[c] for c in cols])


def later_runs(conn: sqlite3.Connection, run_id: str, entity_ids: list[str]) -> list[sqlite3.Row]:
    """Import runs after ``run_id`` that logged a change to any of ``entity_ids`` (newest first):
    ``id``, ``file_name``, ``created_at``, ``inspector``, ``rows`` (how many of those rows)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS wb_ids (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.wb_ids")
    conn.executemany("INSERT OR IGNORE INTO temp.wb_ids VALUES (?)", [(i,) for i in entity_ids])
    try:
        return conn.execute(
            "SELECT r.id, r.file_name, r.created_at, r.inspector, count(*) AS rows FROM import_change c"
            " JOIN import_run r ON r.id = c.import_run_id"
            " WHERE c.entity_id IN (SELECT id FROM temp.wb_ids) AND c.import_run_id <> ?"
            " AND r.created_at > (SELECT created_at FROM import_run WHERE id = ?)"
            " GROUP BY r.id ORDER BY r.created_at DESC", (run_id, run_id)).fetchall()
    finally:
        conn.execute("DELETE FROM temp.wb_ids")


_CREATED = "temp.wb_import_created"


def start_created(conn: sqlite3.Connection) -> None:
    """Begin noting the rows a first import creates (:func:`note_created`), which writes only new
    rows and so needs no :func:`capture`: the notes are kept in a temporary table of this
    connection until :func:`save_created` makes them the run's log."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {_CREATED} (entity TEXT NOT NULL, entity_id TEXT NOT NULL,"
                 " after_hash TEXT)")
    conn.execute(f"DELETE FROM {_CREATED}")


def note_created(conn: sqlite3.Connection, rows: list[tuple[str, str, str | None]]) -> None:
    """Note rows the import created: (entity, row id, :func:`values_hash` of the row as written,
    or None to make it from the stored row in :func:`save_created`)."""
    conn.executemany(f"INSERT INTO {_CREATED} (entity, entity_id, after_hash) VALUES (?, ?, ?)", rows)


def rehash_created(conn: sqlite3.Connection, table: str, ids: list[str]) -> None:
    """Forget the hash noted for created rows ``ids`` of ``table`` (changed after they were
    noted): :func:`save_created` makes it from the stored rows.

    One UPDATE over the notes, which have no index (issue 12): an UPDATE per id scanned all of
    them each time, 0.7-1 s for the few thousand sponsors a 100,000-row list corrects."""
    if ids:
        conn.execute(f"UPDATE {_CREATED} SET after_hash = NULL WHERE entity = ?"
                     " AND entity_id IN (SELECT value FROM json_each(?))", (table, json.dumps(ids)))


def save_created(conn: sqlite3.Connection, run_id: str) -> None:
    """Store the rows noted since :func:`start_created` as the log of import run ``run_id``, as
    :func:`save` logs created rows (inside the same transaction); a row noted without a hash
    gets the one of its stored row."""
    conn.execute("INSERT INTO import_log (import_run_id, recorded_at) VALUES (?, ?)", (run_id, utc_now()))
    _register(conn)
    for table in TABLES:
        conn.execute(
            "INSERT INTO import_change (import_run_id, entity, entity_id, before, after, after_hash)"
            f" SELECT ?, c.entity, c.entity_id, NULL, NULL, coalesce(c.after_hash, {row_values_hash(conn, table, 'r')})"
            f" FROM {_CREATED} c LEFT JOIN main.{table} r ON c.after_hash IS NULL AND r.id = c.entity_id"
            " WHERE c.entity = ? ORDER BY c.rowid", (run_id, table))
    conn.execute(f"DELETE FROM {_CREATED}")


def rekey_domain(conn, site_id: str, old_id: str, new_id: str) -> None:
    """Give the domain row ``old_id`` of site ``site_id`` the id ``new_id``, keeping the undo log
    of imports true to it (a merge does this when two laptops hold one domain of a site under
    two ids, storage/changes.py): the site's logged JSON names the new id, and a logged
    ``after_hash`` that matched the site before the change matches it after, so undoing an
    import is not refused for a change of identity alone.

    ``conn`` is a sqlite3 or an APSW connection inside the caller's transaction.
    """
    logged = list(conn.execute("SELECT import_run_id, after_hash FROM import_change WHERE entity = 'site'"
                               " AND entity_id = ? AND after_hash IS NOT NULL", (site_id,)))
    before = _site_hashes(conn, site_id) if logged else ()
    conn.execute("UPDATE site_domain SET id = ? WHERE id = ?", (new_id, old_id))
    if not logged:
        return
    after = _site_hashes(conn, site_id)
    for run_id, stored in logged:
        if stored in before:
            conn.execute("UPDATE import_change SET after_hash = ? WHERE import_run_id = ? AND entity = 'site'"
                         " AND entity_id = ?", (after[before.index(stored)], run_id, site_id))
    conn.execute("UPDATE import_change SET before = replace(before, ?1, ?2), after = replace(after, ?1, ?2)"
                 " WHERE entity = 'site' AND entity_id = ?3", (old_id, new_id, site_id))


def _site_hashes(conn, site_id: str) -> tuple[str, str]:
    """The two hashes an import may have logged of site ``site_id`` as stored: of its JSON
    (:func:`_hash`) and of its values (:func:`values_hash`)."""
    columns = ", ".join(f"r.{c}" for c in logged_columns(conn, "site"))
    found = list(conn.execute(
        f"SELECT {row_json(conn, 'site', 'r')}, {_domains_json('r')}, {columns} FROM main.site r WHERE r.id = ?",
        (site_id,)))
    if not found:
        return ()
    text, domains, *values = found[0]
    return _hash(text), _sql_values_hash(domains, *values)


def matching_logs(conn, entity: str, ids) -> list[list]:
    """[run id, entity, row id, stored hash] of each logged ``after_hash`` of rows ``ids`` of
    ``entity`` ('site' or 'sponsor') that matches the row as stored now (the import left it so).

    A merge that gives one row a new id, or re-points a site to another sponsor id or domain id,
    takes these before and hands them to :func:`follow_identities` after (storage/identities.py).
    ``conn`` is a sqlite3 or an APSW connection inside the caller's transaction.
    """
    out = []
    for row_id in ids:
        logged = list(conn.execute("SELECT import_run_id, after_hash FROM import_change WHERE entity = ?"
                                   " AND entity_id = ? AND after_hash IS NOT NULL", (entity, row_id)))
        if not logged:
            continue
        now = _row_hashes(conn, entity, row_id)
        out += [[run_id, entity, row_id, stored] for run_id, stored in logged if stored in now]
    return out


def follow_identities(conn, matched: list[list], renamed: dict[tuple[str, str], str],
                      replaced: dict[str, str]) -> None:
    """Keep the undo log of imports true to rows whose identity a merge changed.

    Args:
        matched: from :func:`matching_logs` before the change, each row id already updated to the
            row's id after it.
        renamed: {(entity, old id): new id} of logged rows ('site'/'sponsor') that took another id.
        replaced: {old id: new id} of every id the merge gave up (sites, sponsors, domains): the
            logged JSON of the affected rows names the new id.

    The hashes of ``matched`` rows are made again from the stored rows, so an import is not
    refused for a change of identity alone.
    """
    for (entity, old), new in renamed.items():
        conn.execute("UPDATE OR IGNORE import_change SET entity_id = ? WHERE entity = ? AND entity_id = ?",
                     (new, entity, old))
        conn.execute("DELETE FROM import_change WHERE entity = ? AND entity_id = ?", (entity, old))
    rows = {(m[1], m[2]) for m in matched} | {(e, n) for (e, _o), n in renamed.items()}
    for entity, row_id in rows:
        for run_id, before, after in list(conn.execute(
                "SELECT import_run_id, before, after FROM import_change WHERE entity = ? AND entity_id = ?",
                (entity, row_id))):
            swapped = (_swap_ids(before, replaced), _swap_ids(after, replaced))
            if swapped != (before, after):
                conn.execute("UPDATE import_change SET before = ?, after = ? WHERE import_run_id = ? AND entity = ?"
                             " AND entity_id = ?", (*swapped, run_id, entity, row_id))
    for run_id, entity, row_id, stored in matched:
        now = _row_hashes(conn, entity, row_id)
        if not now:
            continue
        fresh = now[1] if stored.startswith(VALUES_HASH) else now[0]
        conn.execute("UPDATE import_change SET after_hash = ? WHERE import_run_id = ? AND entity = ? AND entity_id = ?",
                     (fresh, run_id, entity, row_id))


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _swap_ids(text: str | None, replaced: dict[str, str]) -> str | None:
    """``text`` with every id (a UUID, storage/records.py) in ``replaced`` written as its new id."""
    if text is None or not replaced:
        return text
    return _UUID.sub(lambda m: replaced.get(m.group(0), m.group(0)), text)


def _row_hashes(conn, entity: str, row_id: str) -> tuple:
    """(JSON hash, values hash) of the stored row, () when there is none."""
    if entity == "site":
        row = _site_hashes(conn, row_id)
        return row if row else ()
    columns = ", ".join(f"r.{c}" for c in logged_columns(conn, entity))
    found = list(conn.execute(f"SELECT {row_json(conn, entity, 'r')}, {columns} FROM main.{entity} r WHERE r.id = ?",
                              (row_id,)))
    if not found:
        return ()
    text, *values = found[0]
    return _hash(text), values_hash(values)
