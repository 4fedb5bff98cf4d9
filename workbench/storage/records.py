"""Row bookkeeping shared by every repository: UUID keys, timestamps and who wrote the row."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime

from workbench.domain.author import INSPECTOR_MISSING, Author  # noqa: F401 - re-exported


def new_id() -> str:
    """A fresh UUID4 as text (rows are merged from several laptops later, see DESIGN.md)."""
    return str(uuid.uuid4())


def utc_now() -> str:
    """The current time in UTC, ISO 8601 with microseconds (so events order within a second)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def stamp(values: dict, author: Author, *, new: bool) -> dict:
    """Add ``updated_at`` (and on insert ``id``, ``created_at``) plus the author to ``values``."""
    now = utc_now()
    out = dict(values)
    if new:
        out.setdefault("id", new_id())
        out["created_at"] = now
    out["updated_at"] = now
    out["device"] = author.device
    out["inspector"] = author.inspector
    return out


def insert_row(conn: sqlite3.Connection, table: str, values: dict) -> None:
    """Insert one row of ``values`` (column -> value) into ``table`` through sqlite-utils.

    Inside a transaction sqlite-utils uses a savepoint, so it never commits on its own.

    Raises:
        sqlite3.IntegrityError: a unique or foreign-key constraint is violated.
    """
    import sqlite_utils  # on first use: it loads numpy, which a window opening need not wait for

    sqlite_utils.Database(conn)[table].insert(values)


def insert_rows(conn: sqlite3.Connection, table: str, rows: Iterable[dict]) -> None:
    """Insert many rows with the same columns into ``table`` through sqlite-utils (batched)."""
    import sqlite_utils

    sqlite_utils.Database(conn)[table].insert_all(rows)


def iso(day: date | None) -> str | None:
    """A date as ISO text, or None."""
    return day.isoformat() if day else None


def parse_iso(text: str | None) -> date | None:
    """ISO date text back to a date (None stays None)."""
    return date.fromisoformat(text) if text else None
