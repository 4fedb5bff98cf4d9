"""Opening the workbench's SQLite file with the pragmas every connection needs."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.faults import crash_point
from workbench.storage import audit

BUSY_TIMEOUT_MS = 5000
#: Page cache per connection in KiB (SQLite's default is 2 MiB; 300,000 sites need far more to
#: sort and import without re-reading index pages from disk). A limit, not an allocation.
CACHE_KIB = 128 * 1024
#: Page cache of a first import into an empty campaign while it runs (storage/site_stream.py sets
#: the indexes aside, so the writes append and need few pages in memory). With the full cache
#: the 128 MiB filled during a 300,000-row import, on top of the list's records; 16 MiB took
#: the same CPU time (100,000 rows: 18.8 s against 18.9 s) and 120 MB less (issue 12).
IMPORT_CACHE_KIB = 16 * 1024
_SAVEPOINTS = itertools.count(1)
#: Called with each new connection before its first statement (services/thread_guard.py watches
#: the connections the window opens on its GUI thread).
OPENED_HOOKS: list[Callable[[sqlite3.Connection], None]] = []


def connect(path: str | Path, read_only: bool = False, shared: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` without migrating it.

    Defines the audit log's SQL functions (storage/audit.py; the author defaults to this
    machine, no name, :func:`workbench.storage.audit.set_author` changes it). Sets ``foreign_keys=ON``, ``busy_timeout`` and ``row_factory=sqlite3.Row``; asks for WAL
    journalling, which SQLite silently refuses on file systems that cannot share memory (the
    connection then keeps the default rollback journal, which is still safe).

    Args:
        path: file path, or ``":memory:"``.
        read_only: open a file on write-protected media (``mode=ro&immutable=1``: SQLite takes
            no locks and writes nothing, not even WAL index files); every write then fails.
        shared: with ``read_only``, a file another program is writing (plain ``mode=ro``: reads
            see its commits).

    Returns:
        a connection in autocommit mode (``isolation_level=None``); use :func:`transaction`.
    """
    if read_only:
        # shared: another window or process writes the file, so SQLite must still read its WAL
        uri = Path(path).resolve().as_uri() + ("?mode=ro" if shared else "?mode=ro&immutable=1")
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for hook in OPENED_HOOKS:
        hook(conn)
    conn.row_factory = sqlite3.Row
    audit.register(conn, *_default_author())
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")   # a province's indexes stay in memory
    conn.execute("PRAGMA temp_store=MEMORY")
    if str(path) != ":memory:" and not read_only:
        conn.execute("PRAGMA journal_mode=WAL")
    return conn


def _default_author() -> tuple[str, str]:
    from workbench.storage.records import Author

    local = Author.local()   # no name yet: never the login name (records.Author)
    return local.device, local.name


def database_path(conn: sqlite3.Connection) -> Path | None:
    """The file of the connection's main database, or None for an in-memory one."""
    row = next((r for r in conn.execute("PRAGMA database_list") if r[1] == "main"), None)
    return Path(row[2]) if row is not None and row[2] else None


def is_damaged(err: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged or not a database (SQLITE_CORRUPT, SQLITE_NOTADB)."""
    name = getattr(err, "sqlite_errorname", "") or ""
    text = str(err).lower()
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or (
        "not a database" in text)


def describe_error(err: sqlite3.Error) -> str:
    """A Chinese sentence for SQLite's errors (locked, read-only, disk full, damaged file…) that
    says what to do. Unknown errors keep SQLite's text in brackets for the maintainer."""
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return "数据库正被其他程序或窗口使用，请稍后再试（或关闭其他正在使用该数据库的工作台）"
    if "readonly" in text or "read-only" in text:
        return "数据库是只读打开的（文件或所在文件夹不可写，例如写保护的 U 盘），不能保存修改；请复制到可写的位置后再打开"
    if "full" in text:
        return "磁盘已满，数据未写入；请清理空间后重试"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return ("数据库文件已损坏，无法读取；请不要继续写入，用最近的备份替换它后再打开，"
                "并把日志发给维护人员")
    if "disk i/o" in text:
        return "读写数据库文件时磁盘出错（U 盘被拔出或磁盘故障），这次的修改没有保存；请检查磁盘后重新打开数据库"
    if "unable to open" in text:
        return "无法打开数据库文件：请检查路径是否正确、文件夹是否存在并且可写"
    if "constraint" in text:
        return f"数据不符合数据库的约束，未保存（{err}）；请检查输入，如反复出现请把日志发给维护人员"
    if "no such table" in text or "no such column" in text:
        return "数据库结构与本程序不一致（可能由其他版本的工作台改动过），请用本程序重新打开或联系维护人员"
    return f"数据库操作失败（{err}）；请重试，如反复出现请把日志发给维护人员"


@contextmanager
def page_cache(conn: sqlite3.Connection, kib: int) -> Iterator[sqlite3.Connection]:
    """Run the block with the connection's page cache limited to ``kib`` KiB; the earlier limit
    is set again afterwards, however the block ends (SQLite frees the pages over a lowered limit
    at once)."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield conn
    finally:
        conn.execute(f"PRAGMA cache_size={int(before)}")


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
    crash_point("transaction-commit")
    try:
        conn.execute("COMMIT")
    except BaseException:   # e.g. the disk filled up while the WAL was written
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
