"""Opening a workbench database file ready to use: connected, migrated, backed up if needed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from workbench.errors import DatabaseVersionError, WorkbenchError
from workbench.storage.backup import automatic_backup
from workbench.storage.connection import connect
from workbench.storage.migrate import current_version, latest_version, migrate


def open_database(path: str | Path, read_only: bool = False) -> sqlite3.Connection:
    """Open the database at ``path``, creating its folder and applying pending migrations.

    A database that already holds data gets a verified rotating backup (storage/backup.py, in
    ``<name>.backups/``, reason ``migration``) before its schema is upgraded. A file that cannot be written (or whose folder cannot: SQLite
    needs it for its journal) is opened read-only, when its schema is current.

    Raises:
        DatabaseVersionError: the file was written by a newer version of the workbench.
        DatabaseVersionError: a read-only file whose schema would need upgrading.
        WorkbenchError: a read-only file whose ``-wal`` file cannot be read with it.
        sqlite3.DatabaseError: the file is not a SQLite database.
    """
    if str(path) != ":memory:" and Path(path).is_file() and not _writable(Path(path)):
        return _open_read_only(Path(path))
    if read_only and Path(path).is_file():    # another window writes it: read only, never migrate
        return _open_read_only(Path(path), shared=True)
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    have = current_version(conn)
    if str(path) != ":memory:" and 0 < have < latest_version():
        automatic_backup(conn, Path(path), "migration")
    migrate(conn)
    return conn


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _open_read_only(path: Path, shared: bool = False) -> sqlite3.Connection:
    """Open a file read-only, reading what its ``-wal`` file holds too.

    ``immutable=1`` (no locks, no ``-shm``) would ignore committed changes still in the
    ``-wal`` file and show stale data, so it is used only when there is no such file and no
    other program writes it (``shared``); with one, SQLite must read it, which needs its
    ``-shm`` index: when that cannot be had, the file is refused with a message rather than
    shown stale.
    """
    wal = Path(f"{path}-wal")
    has_wal = wal.is_file() and wal.stat().st_size > 0
    conn = connect(path, read_only=True, shared=shared or has_wal)
    if has_wal:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as err:
            conn.close()
            raise WorkbenchError(
                f"数据库文件 {path} 是只读的，而最近的改动还保存在旁边的 {wal.name} 文件中，"
                "只读打开会看到过时的数据；请把数据库连同同名的 -wal、-shm 文件一起复制到可写的位置后再打开。"
            ) from err
    have, latest = current_version(conn), latest_version()
    if have != latest:
        conn.close()
        raise DatabaseVersionError(
            f"数据库文件 {path} 是只读的，而它的结构（版本 {have}）需要升级到版本 {latest}；"
            "请复制到可写的位置后再打开。"
        )
    return conn
