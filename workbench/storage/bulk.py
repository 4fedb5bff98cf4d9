"""Writing many rows at once: one prepared INSERT per table, rows streamed in batches.

Used where rows are made in bulk (the scale demo, site list imports). The scale demo switches the
per-row audit triggers off meanwhile and logs the whole fill as one audit entry; an import sets
indexes and derived-value triggers aside while it writes many new sites (:func:`deferred`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from workbench.storage import audit

BATCH = 20_000


def insert_many(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """INSERT ``rows`` (tuples in ``columns`` order) into ``table`` with one prepared statement.

    ``table`` and ``columns`` come from the program, never from user input. Call inside a
    transaction. Returns the number of rows written.

    Raises:
        sqlite3.IntegrityError: a unique or foreign-key constraint is violated.
    """
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    it, count = iter(rows), 0
    while batch := list(islice(it, BATCH)):
        conn.executemany(sql, batch)
        count += len(batch)
    return count


@contextmanager
def unaudited(conn: sqlite3.Connection) -> Iterator[None]:
    """Per-row audit triggers off on ``conn`` inside the block (the caller logs one entry instead)."""
    audit.set_enabled(conn, False)
    try:
        yield
    finally:
        audit.set_enabled(conn, True)


def log_operation(conn: sqlite3.Connection, action: str, entity: str, entity_id: str, after: dict) -> None:
    """One audit entry for a bulk operation (see :func:`workbench.storage.audit.record`)."""
    audit.record(conn, action, entity, entity_id, after=after)


@contextmanager
def deferred(conn: sqlite3.Connection, *names: str) -> Iterator[None]:
    """Indexes and triggers ``names`` set aside inside the block and put back after it, so that
    rows written in bulk are indexed once rather than row by row (call inside a transaction).

    Each named index or trigger is dropped and, after the block, created again from the SQL
    that defined it, so the schema ends as it began. The caller does, inside the block, the
    work of each trigger set aside for the rows it wrote. Being DDL inside the caller's
    transaction, the step rolls back with it: an error or a killed process leaves every index
    and trigger as it was (after an error nothing is re-created here: the rollback restores
    them, and SQLite may already have rolled back by itself on a full disk).

    Raises:
        ValueError: a name that is no index or trigger of the database.
    """
    saved = deferred_begin(conn, *names)
    yield
    deferred_end(conn, saved)


def deferred_begin(conn: sqlite3.Connection, *names: str) -> dict[str, tuple[str, str]]:
    """Drop the indexes and triggers ``names``; returns what :func:`deferred_end` needs to put
    them back (name -> (type, SQL)). See :func:`deferred`.

    Raises:
        ValueError: a name that is no index or trigger of the database.
    """
    if not names:
        return {}
    marks = ", ".join("?" for _ in names)
    found = {name: (kind, sql) for name, kind, sql in conn.execute(
        f"SELECT name, type, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
        f" AND name IN ({marks})", names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"no such index or trigger: {', '.join(missing)}")
    for name in names:
        conn.execute(f'DROP {found[name][0].upper()} "{name}"')
    return {name: found[name] for name in names}


def deferred_end(conn: sqlite3.Connection, saved: dict[str, tuple[str, str]]) -> None:
    """Create again what :func:`deferred_begin` dropped, from its own SQL, in the same order."""
    for _kind, sql in saved.values():
        conn.execute(sql)
