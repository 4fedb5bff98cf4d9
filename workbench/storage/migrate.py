"""Applying the numbered SQL migrations in ``db/migrations`` in order, tracked by user_version."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import DatabaseVersionError, WorkbenchError
from workbench.paths import migrations_dir

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One migration file: ``version`` is its 4-digit number, ``path`` the SQL file."""

    version: int
    path: Path


def available(directory: Path | None = None) -> list[Migration]:
    """List the migrations in ``directory`` (default: the bundled ``db/migrations``), in order.

    Raises:
        WorkbenchError: two files share a number, or the numbers leave a gap.
    """
    directory = directory or migrations_dir()
    found = sorted(
        (Migration(int(m.group(1)), p) for p in directory.iterdir() if (m := _NAME.match(p.name))),
        key=lambda m: m.version,
    )
    for expected, mig in enumerate(found, start=1):
        if mig.version != expected:
            raise WorkbenchError(f"数据库迁移文件编号不连续：缺少第 {expected} 号（{directory}）")
    return found


def latest_version(directory: Path | None = None) -> int:
    """The schema version this code writes: the number of the last migration file."""
    migs = available(directory)
    return migs[-1].version if migs else 0


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the database (``PRAGMA user_version``)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, backup_to: Path | None = None, directory: Path | None = None) -> int:
    """Bring the database up to the latest schema; returns the number of migrations applied.

    Each migration runs with its version bump in one transaction, so a failure leaves the
    database at the previous version. Before the first pending step of a database that already
    holds data, a consistent copy is written to ``backup_to`` with ``Connection.backup`` (which,
    unlike a file copy, includes WAL content).

    Raises:
        DatabaseVersionError: the database is newer than this code (written by a later version).
    """
    migs = available(directory)
    have = current_version(conn)
    latest = migs[-1].version if migs else 0
    if have > latest:
        raise DatabaseVersionError(
            f"此数据库由更新版本的工作台创建（结构版本 {have}，本程序支持到 {latest}），"
            "请升级工作台后再打开。"
        )
    pending = [m for m in migs if m.version > have]
    if pending and have > 0 and backup_to is not None:
        target = sqlite3.connect(str(backup_to))
        try:
            conn.backup(target)
        finally:
            target.close()
    for mig in pending:
        script = mig.path.read_text(encoding="utf-8")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _split(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={mig.version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return len(pending)


def _split(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit on its own)."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf)
            buf = ""
    if buf.strip() and not all(ln.strip().startswith("--") or not ln.strip() for ln in buf.splitlines()):
        statements.append(buf)
    return statements
