"""Opening the workbench's SQLite file with the pragmas every connection needs."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 5000
_SAVEPOINTS = itertools.count(1)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` without migrating it.

    Sets ``foreign_keys=ON``, ``busy_timeout`` and ``row_factory=sqlite3.Row``; asks for WAL
    journalling, which SQLite silently refuses on file systems that cannot share memory (the
    connection then keeps the default rollback journal, which is still safe).

    Args:
        path: file path, or ``":memory:"``.

    Returns:
        a connection in autocommit mode (``isolation_level=None``); use :func:`transaction`.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
    return conn


def as_db(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """Wrap ``conn`` in a sqlite-utils Database sharing the same connection."""
    return sqlite_utils.Database(conn)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block in one transaction: committed on success, rolled back on any error.

    Nested use joins the outer transaction (a SAVEPOINT), so a service may call another.
    """
    if conn.in_transaction:
        name = f"sp_{next(_SAVEPOINTS)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
