"""Upgrading a database file's schema before it is opened, on whatever thread the caller picks.

The window runs :func:`upgrade` on a worker thread with a notice on screen (gui/application.py):
on a province-sized file the verified backup taken before the first migration
(storage/database.py, ``<name>.backups/``, reason ``migration``) takes tens of seconds, and a
window that shows nothing that long gets started a second time or killed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.storage.database import open_database
from workbench.storage.migrate import latest_version


@dataclass(frozen=True)
class PendingUpgrade:
    """A database file whose schema is older than this program's.

    have / latest: schema versions (``PRAGMA user_version``); size: the file's bytes.
    """

    have: int
    latest: int
    size: int

    @property
    def megabytes(self) -> float:
        """The file's size in MiB, as the messages print it."""
        return self.size / (1 << 20)


def pending(db: Path) -> PendingUpgrade | None:
    """What :func:`upgrade` would do to the file ``db``, read from the file's header without
    opening it as a database (user_version: 4 bytes big-endian at offset 60, sqlite.org/fileformat2.html
    §1.3). A migration still in the ``-wal`` file can make the header older than the database:
    then :func:`upgrade` finds nothing to do, never the reverse.

    None when nothing is to be upgraded: no such file, unreadable, not a SQLite file, a new
    empty database, or a schema as new as or newer than this program's (opening the file
    reports the last ones, naming it). Raises nothing.
    """
    try:
        with open(db, "rb") as fh:
            head = fh.read(100)
        size = db.stat().st_size
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return None
    have, latest = int.from_bytes(head[60:64], "big"), latest_version()
    return PendingUpgrade(have, latest, size) if 0 < have < latest else None


def upgrade(db: Path) -> None:
    """Back up (verified) and upgrade the database file ``db`` on a connection of the calling
    thread, then close it. Each migration is one transaction, so an interrupted upgrade leaves
    the file at the last whole version.

    Raises:
        WorkbenchError: the backup cannot be written or does not verify (nothing is upgraded).
        DatabaseVersionError: the file was written by a newer version.
        sqlite3.Error: the file cannot be opened or written (locked, damaged, disk full).
    """
    open_database(db).close()
