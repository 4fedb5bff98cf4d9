"""Row bookkeeping shared by every repository: UUID keys, timestamps and who wrote the row."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

from workbench.domain.author import INSPECTOR_MISSING, Author  # noqa: F401 - re-exported


def new_id() -> str:
    """A fresh UUID4 as text (rows are merged from several laptops later, see DESIGN.md)."""
    return str(uuid.uuid4())


def new_ids(count: int) -> list[str]:
    """``count`` fresh UUID4s as text, as :func:`new_id` gives them, made in one go for bulk writes.

    Same format (RFC 9562 version 4: 122 random bits from ``os.urandom``, version and variant
    bits set) at about a fifth of the cost of ``str(uuid.uuid4())`` each (100,000 sites need
    300,000 ids).
    """
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])   # version 4
    raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])   # variant 10xx
    text = raw.hex()
    return [f"{text[i:i + 8]}-{text[i + 8:i + 12]}-{text[i + 12:i + 16]}-{text[i + 16:i + 20]}-{text[i + 20:i + 32]}"
            for i in range(0, 32 * count, 32)]


def fresh_ids(chunk: int = 4096) -> Iterator[str]:
    """An endless supply of :func:`new_ids`, made ``chunk`` at a time."""
    while True:
        yield from new_ids(chunk)


def ordered_ids() -> Iterator[str]:
    """An endless supply of UUIDs (as text, the format :func:`new_id` gives) that sort in the
    order they are made, for rows written in bulk (issue 12).

    RFC 9562 version 7 layout: the first 48 bits are the Unix time in milliseconds when the
    supply starts, the remaining 74 bits a random starting point counted up by one per id (the
    "monotonic random" method of RFC 9562 §6.2). Unique across laptops as UUID4s are, for
    practical purposes: two supplies collide only when started in the same millisecond at
    random starting points less than their lengths apart (74 random bits). Keys made in order
    are appended to the primary-key and foreign-key indexes instead of scattered through them:
    half the insert time of 100,000 sites with their sponsors and domains.
    """
    start = int.from_bytes(os.urandom(10)) >> 6            # 74 random bits
    counter = start
    millis = int(datetime.now(UTC).timestamp() * 1000) & (1 << 48) - 1
    while True:
        if counter >> 74:                                   # wrapped: a new start in a new block
            yield from ordered_ids()
            return
        # up to _ORDERED_CHUNK ids whose rand_a is the same: their values are consecutive integers
        # (the bit fields worked out once per block, not per id: 0.33 instead of 0.53 s per 300,000)
        count = min(_ORDERED_CHUNK, ((counter >> 62) + 1 << 62) - counter)
        rand_a, rand_b = counter >> 62, counter & (1 << 62) - 1
        value = millis << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
        yield from [f"{t[:8]}-{t[8:12]}-{t[12:16]}-{t[16:20]}-{t[20:]}"
                    for t in map("{:032x}".format, range(value, value + count))]
        counter += count


#: How many ids :func:`ordered_ids` formats at a time.
_ORDERED_CHUNK = 1024


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
