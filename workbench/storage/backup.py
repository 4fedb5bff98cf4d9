"""Backups of the database file: written with SQLite's online backup API, verified, rotated.

Automatic backups go to ``<db name>.backups/`` beside the database, named
``<db stem>-<UTC time>-<reason>.sqlite3``; the newest :data:`KEEP` of them are kept. A backup is
only kept when ``PRAGMA integrity_check`` of the copy says ``ok``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.domain.progress import Cancelled
from workbench.errors import WorkbenchError

#: Automatic backups kept per database (older ones are removed after a new one verifies).
KEEP = 12
#: Why an automatic backup was taken -> the Chinese word shown in the window.
REASONS = {
    "start": "启动时", "migration": "升级结构前", "import": "导入前", "merge": "合并工作包前",
    "removal": "批量删除前", "restore": "恢复前", "manual": "手动", "undo": "撤销导入前",
}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}(?:\d{6})?Z)-(?P<reason>[a-z]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    """One automatic backup: its ``path``, UTC ``taken_at`` and ``reason`` key (see REASONS)."""

    path: Path
    taken_at: datetime
    reason: str


def backup_dir(db: Path) -> Path:
    """Where the automatic backups of ``db`` live: ``<db name>.backups`` beside it."""
    return db.parent / f"{db.name}.backups"


def integrity_errors(path: Path, quick: bool = False, cancel: threading.Event | None = None) -> list[str]:
    """``PRAGMA integrity_check`` (or ``quick_check``) of the file at ``path``: [] when ok,
    otherwise SQLite's messages (or why the file cannot be read as a database).

    Raises:
        Cancelled: ``cancel`` was set (from any thread) while the check ran: it stops within a few
            milliseconds, and says nothing about the file (the window closing during the
            seconds-long check of a province-sized database).
    """
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    try:
        conn = sqlite3.connect(read_only_uri(Path(path)), uri=True)
    except sqlite3.Error as err:
        return [f"无法打开：{err}"]
    ended = _interrupt_when(conn, cancel) if cancel is not None else None
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
    except sqlite3.DatabaseError as err:
        if cancel is not None and cancel.is_set():
            raise Cancelled() from err
        return [str(err)]
    finally:
        if ended is not None:
            ended()
        conn.close()
    if cancel is not None and cancel.is_set() and rows != ["ok"]:
        raise Cancelled()   # stopped part-way: what it found so far is not a verdict
    return [] if rows == ["ok"] else rows


def _interrupt_when(conn: sqlite3.Connection, cancel: threading.Event):
    """Interrupt ``conn``'s running statement as soon as ``cancel`` is set (a watcher thread: the
    check's btree pass runs as one SQLite opcode, so a progress handler is not called during it
    before SQLite 3.43, while ``sqlite3_interrupt`` is seen at once). Returns the function to call
    when the statement ended, before the connection closes."""
    lock, ended = threading.Lock(), threading.Event()

    def watch() -> None:
        while not ended.is_set():
            if cancel.wait(0.05):
                with lock:
                    if not ended.is_set():
                        conn.interrupt()
                return

    def end() -> None:
        with lock:
            ended.set()

    threading.Thread(target=watch, name="integrity-check-cancel", daemon=True).start()
    return end


def read_only_uri(path: Path) -> str:
    """The URI that opens ``path`` read-only, also on write-protected media.

    SQLite reading a WAL-mode file creates its ``-shm`` index beside it, which a write-protected
    USB stick or read-only share does not allow ("unable to open database file": a sound file
    reported as damaged). There, with no ``-wal`` content to read, ``immutable=1`` is safe: no
    one can be writing the file.
    """
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    wal = Path(f"{path}-wal")
    if not os.access(Path(path).resolve().parent, os.W_OK) and not (wal.is_file() and wal.stat().st_size > 0):
        uri += "&immutable=1"
    return uri


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Write a consistent copy of the open database ``source`` to ``target`` (backup API, which
    includes WAL content), then check the copy. The copy is written beside ``target`` and renamed
    into place, so ``target`` is either the old file or a whole verified copy.

    Raises:
        WorkbenchError: the copy cannot be written or does not pass integrity_check.
    """
    target = Path(target)
    tmp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)   # its name may be taken by a file
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(str(tmp))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        problems = integrity_errors(tmp)
        if problems:
            raise WorkbenchError(f"备份 {target} 未通过完整性检查：{problems[0]}")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except sqlite3.Error as err:
        from workbench.storage.connection import describe_error

        raise WorkbenchError(f"无法写入备份 {target}：{describe_error(err)}") from err
    except OSError as err:
        from workbench.errors import os_reason

        raise WorkbenchError(f"无法写入备份 {target}：{os_reason(err)}") from err
    finally:
        if tmp.exists():   # False, not an error, when the folder could not be made
            tmp.unlink()


def automatic_backup(conn: sqlite3.Connection, db: Path, reason: str, keep: int = KEEP) -> Path | None:
    """Take a rotating backup of ``db`` (open as ``conn``) before an operation named ``reason``.

    Returns the backup's path, or None for an in-memory database. Keeps the newest ``keep``.

    Raises:
        WorkbenchError: the backup cannot be written or does not verify (the caller should not
            go on with the operation it wanted to protect).
    """
    if str(db) == ":memory:":
        return None
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db = Path(db)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir(db) / f"{db.stem}-{stamp}-{reason}.sqlite3"
    copy_database(conn, target)
    for old in list_backups(db)[keep:]:
        old.path.unlink(missing_ok=True)
    return target


def list_backups(db: Path) -> list[BackupFile]:
    """The automatic backups of ``db``, newest first."""
    folder = backup_dir(Path(db))
    out = []
    if folder.is_dir():
        for p in folder.iterdir():
            m = _NAME.match(p.name)
            if m:
                stamp = m["stamp"]
                fmt = "%Y%m%dT%H%M%S%fZ" if len(stamp) > 16 else "%Y%m%dT%H%M%SZ"
                out.append(BackupFile(p, datetime.strptime(stamp, fmt).replace(tzinfo=UTC), m["reason"]))
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def newest_good_backup(db: Path) -> BackupFile | None:
    """The newest automatic backup of ``db`` that passes integrity_check, or None."""
    for b in list_backups(db):
        if not integrity_errors(b.path):
            return b
    return None


def restore_into(conn: sqlite3.Connection, backup: Path) -> None:
    """Replace the whole content of the open database ``conn`` with the backup file's, through
    the backup API (one write transaction: other connections see the old or the new content).

    Raises:
        WorkbenchError: the backup is missing or does not pass integrity_check (nothing changed).
    """
    backup = Path(backup)
    if not backup.is_file():
        raise WorkbenchError(f"找不到备份文件 {backup}")
    problems = integrity_errors(backup)
    if problems:
        raise WorkbenchError(f"备份文件 {backup} 已损坏或不是数据库（{problems[0]}），未恢复")
    import tempfile

    try:
        with tempfile.TemporaryDirectory() as tmp:
            source = sqlite3.connect(read_only_uri(backup), uri=True)
            try:
                size = conn.execute("PRAGMA page_size").fetchone()[0]
                if source.execute("PRAGMA page_size").fetchone()[0] != size:
                    source = _repaged(source, Path(tmp) / "repaged.sqlite3", size)
                source.backup(conn)
            finally:
                source.close()      # before the folder goes (Windows keeps open files)
    except sqlite3.Error as err:
        from workbench.storage.connection import describe_error

        raise WorkbenchError(f"无法从 {backup} 恢复：{describe_error(err)}") from err


def _repaged(source: sqlite3.Connection, path: Path, page_size: int) -> sqlite3.Connection:
    """A copy of ``source`` at ``path`` with pages of ``page_size`` bytes (``source`` is closed).

    SQLite's backup API cannot write into a WAL-mode database whose page size differs from the
    source's ("attempt to write a readonly database"); a backup taken by an older version or
    another tool may use other pages (the v1 fixture: 512 bytes), so it is re-paged first.
    """
    copy = sqlite3.connect(path)
    try:
        source.backup(copy)
        copy.execute(f"PRAGMA page_size = {int(page_size)}")
        copy.execute("VACUUM")
    except BaseException:
        copy.close()
        raise
    finally:
        source.close()
    return copy


def backup_files(db: Path) -> list[Path]:
    """Every backup of ``db`` that may exist: the automatic ones (backup_dir) and the older
    single copies beside it (``<db>.bak``, ``<db>.bak-YYYYmmddHHMMSS``), newest first."""
    db = Path(db)
    found = {b.path for b in list_backups(db)}
    found.update(p for pattern in (f"{db.name}.bak", f"{db.name}.bak-*")
                 for p in db.parent.glob(pattern) if p.is_file())
    return sorted(found, key=_mtime, reverse=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def newest_usable_backup(db: Path) -> Path | None:
    """The most recently written backup of ``db`` (any of backup_files) that is not empty and
    passes quick_check; None when there is none. A 0-byte or damaged copy is never offered."""
    for path in backup_files(db):
        try:
            if path.stat().st_size > 0 and not integrity_errors(path, quick=True):
                return path
        except OSError:
            continue
    return None


def damaged_message(db: str | Path, err: Exception | None = None) -> str:
    """The one message for a damaged database file: what is wrong and the newest good backup.

    Example: "数据库文件 D:/检查/workbench.db 已损坏，无法读取（database disk image is
    malformed）。最近一份完好的备份：D:/检查/workbench.db.backups/…sqlite3（2026-11-30 09:30）。
    请先关闭工作台，把损坏的文件另存一份，再将该备份复制为 workbench.db 后重新打开（或用
    workbench restore）。"
    """
    db = Path(db)
    detail = f"（{err}）" if err is not None else ""
    if "not a database" in str(err):
        text = f"文件 {db} 不是有效的工作台数据库，或已损坏，无法读取{detail}。"
    else:
        text = f"数据库文件 {db} 已损坏，无法读取{detail}。"
    backup = newest_usable_backup(db)
    if backup is None:
        return text + "没有找到完好的备份；请不要再写入该文件，将它复制一份后联系维护人员。"
    written = datetime.fromtimestamp(_mtime(backup))
    return (text + f"最近一份完好的备份：{backup}（{written:%Y-%m-%d %H:%M}）。"
            f"请先关闭工作台，把损坏的文件另存一份，再将该备份复制为 {db.name} 后重新打开"
            f"（或运行 workbench restore \"{backup}\" --db \"{db}\"）。")
