"""Backup copies of a database file: written only when complete and checked, and found again.

A backup is written with SQLite's online backup API (``Connection.backup``, which includes what
is still in the ``-wal`` file) to a temporary name beside the target, checked with
``PRAGMA integrity_check`` and only then renamed into place — so no empty, half-written or
damaged file ever carries a backup's name.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbench.errors import WorkbenchError, describe_os_error
from workbench.storage.connection import is_disk_full

#: Names of backups beside ``<db>``: ``<db>.bak`` and ``<db>.bak-YYYYmmddHHMMSS`` (migrations).
BACKUP_GLOBS = ("{name}.bak", "{name}.bak-*")
#: Folders beside ``<db>`` that may hold backups (any ``*.bak``/``*.db``/``*.sqlite3`` inside).
BACKUP_FOLDERS = ("{name}.backups", "backups", "备份")


def write_backup(conn: sqlite3.Connection, out: Path) -> Path:
    """Copy the database behind ``conn`` to ``out`` and check the copy before keeping it.

    Args:
        conn: an open connection (any state; the copy is a consistent snapshot).
        out: the backup's path; an existing file there is replaced only by a good copy.

    Returns:
        ``out``.

    Raises:
        WorkbenchError: the copy could not be written (disk full, no permission) or fails its
            check; nothing is left under ``out`` or a temporary name (in Chinese).
    """
    out = Path(out)
    temp = out.with_name(f".{out.name}.partial")
    try:
        with suppress(FileNotFoundError):
            temp.unlink()
        with closing(sqlite3.connect(str(temp))) as target:
            conn.backup(target)
            problem = _check(target)
        if problem:
            raise WorkbenchError(f"备份文件 {out} 写入后检查未通过（{problem}），未保存该备份")
        os.replace(temp, out)
    except sqlite3.Error as err:
        reason = "磁盘空间不足" if is_disk_full(err) else str(err)
        raise WorkbenchError(f"无法写入备份文件 {out}（{reason}）") from err
    except OSError as err:
        raise WorkbenchError(f"无法写入备份文件 {out}（{describe_os_error(err)}）") from err
    finally:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
    return out


def _check(target: sqlite3.Connection) -> str:
    """'' when the copy is a sound, non-empty database, else what is wrong."""
    result = target.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        return result
    if target.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
        return "备份为空"
    return ""


@dataclass(frozen=True)
class Backup:
    """A backup found beside a database: its ``path`` and when it was written (local time)."""

    path: Path
    written: datetime


def is_good_backup(path: Path) -> bool:
    """Whether ``path`` is a non-empty SQLite file that passes ``PRAGMA quick_check``.

    Opened read-only (``immutable``), so checking never changes or locks the file.
    """
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return False
            return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    except (sqlite3.Error, OSError):
        return False


def candidate_backups(db: str | Path) -> list[Path]:
    """Files that look like backups of ``db`` (see BACKUP_GLOBS, BACKUP_FOLDERS), newest first."""
    db = Path(db)
    found: set[Path] = set()
    for pattern in BACKUP_GLOBS:
        found.update(p for p in db.parent.glob(pattern.format(name=db.name)) if p.is_file())
    for folder in BACKUP_FOLDERS:
        where = db.parent / folder.format(name=db.name)
        if where.is_dir():
            found.update(p for p in where.iterdir() if p.is_file() and (p.suffix.lower() in (
                ".bak", ".db", ".sqlite", ".sqlite3") or p.name.startswith(f"{db.name}.bak")))
    found.discard(db)
    return sorted(found, key=_mtime, reverse=True)


def newest_good_backup(db: str | Path) -> Backup | None:
    """The most recently written backup of ``db`` that passes :func:`is_good_backup`, or None.

    Empty (0-byte) and damaged copies are skipped.
    """
    for path in candidate_backups(db):
        if is_good_backup(path):
            return Backup(path, datetime.fromtimestamp(_mtime(path)))
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def damaged_message(db: str | Path, err: Exception | None = None) -> str:
    """The one message for a damaged database file: what is wrong and the newest good backup.

    Example: "数据库文件 D:/检查/workbench.db 已损坏，无法读取（database disk image is
    malformed）。最近一份完好的备份：D:/检查/workbench.db.bak-20261130093000（2026-11-30 09:30）。
    请先关闭工作台，把损坏的文件另存一份，再将该备份复制为 workbench.db 后重新打开。"
    """
    db = Path(db)
    detail = f"（{err}）" if err is not None else ""
    if "not a database" in str(err):
        text = f"文件 {db} 不是有效的工作台数据库，或已损坏，无法读取{detail}。"
    else:
        text = f"数据库文件 {db} 已损坏，无法读取{detail}。"
    backup = newest_good_backup(db)
    if backup is None:
        return text + "旁边没有找到完好的备份；请不要再写入该文件，将它复制一份后联系技术支持。"
    return (text + f"最近一份完好的备份：{backup.path}（{backup.written:%Y-%m-%d %H:%M}）。"
            f"请先关闭工作台，把损坏的文件另存一份，再将该备份复制为 {db.name} 后重新打开。")
