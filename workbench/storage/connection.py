"""Opening the workbench's SQLite file with the pragmas every connection needs."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_MS = 5000
_SAVEPOINTS = itertools.count(1)


def connect(path: str | Path, read_only: bool = False, immutable: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` without migrating it.

    Sets ``foreign_keys=ON``, ``busy_timeout`` and ``row_factory=sqlite3.Row``; asks for WAL
    journalling, which SQLite silently refuses on file systems that cannot share memory (the
    connection then keeps the default rollback journal, which is still safe).

    Args:
        path: file path, or ``":memory:"``.
        read_only: open a file on write-protected media (``mode=ro``); every write then fails.
        immutable: with ``read_only``, also ``immutable=1``: SQLite takes no locks and writes
            nothing, not even WAL index files, and ignores any ``-wal`` file — only right when
            no ``-wal`` file holds committed changes (see storage.database).

    Returns:
        a connection in autocommit mode (``isolation_level=None``); use :func:`transaction`.
    """
    if read_only:
        uri = Path(path).resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:" and not read_only:
        conn.execute("PRAGMA journal_mode=WAL")
    return conn


def is_disk_full(err: sqlite3.Error) -> bool:
    """Whether SQLite failed because the disk (or the file-size quota) is full (SQLITE_FULL)."""
    return getattr(err, "sqlite_errorname", "") == "SQLITE_FULL" or (
        "disk" in str(err).lower() and "full" in str(err).lower())


def is_damaged(err: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged or not a database (SQLITE_CORRUPT, SQLITE_NOTADB)."""
    name = getattr(err, "sqlite_errorname", "") or ""
    text = str(err).lower()
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or (
        "not a database" in text)


def describe_error(err: sqlite3.Error) -> str:
    """A Chinese sentence for SQLite's errors (locked, read-only, disk full, damaged file…).

    A damaged file gets a short sentence here; :func:`workbench.storage.backup.damaged_message`
    adds the file's path and its newest good backup where the path is known.
    """
    text = str(err).lower()
    if is_disk_full(err):
        return "磁盘已满，数据未写入（数据库保持原样）；请清理磁盘空间后重试"
    if is_damaged(err):
        return "数据库文件已损坏，无法读取；请用最近的备份恢复"
    if "locked" in text or "busy" in text:
        return "数据库正被其他程序或窗口使用，请稍后再试（或关闭其他正在使用该数据库的工作台）"
    if "readonly" in text or "read-only" in text:
        return "数据库是只读打开的（文件或所在文件夹不可写，例如写保护的 U 盘），不能保存修改；请复制到可写的位置后再打开"
    if "unable to open" in text:
        return "无法打开数据库文件，请检查路径和权限"
    return f"数据库错误：{err}"


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block in one transaction: committed on success, rolled back on any error.

    Nested use joins the outer transaction (a SAVEPOINT), so a service may call another.
    When SQLite has already rolled the whole transaction back by itself (it does on a full disk,
    SQLITE_FULL, and on some I/O errors), the original error is raised, not a "cannot rollback".
    """
    if conn.in_transaction:
        name = f"sp_{next(_SAVEPOINTS)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:   # e.g. the disk filled up while the WAL was written
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
