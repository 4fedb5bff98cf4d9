"""Writing many rows at once: one prepared INSERT per table, rows streamed in batches.

Used where rows are made in bulk (the scale demo). Per-row audit triggers are switched off on the
connection meanwhile and the whole fill is logged as one audit entry by the caller.
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
