"""Checking a database file (``workbench check``) and backing it up or restoring it."""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import NotFoundError, WorkbenchError
from workbench.storage import audit, backup, number_rules
from workbench.storage.connection import connect
from workbench.storage.evidence_store import EvidenceStore

#: The checks in the order they run -> their Chinese names.
CHECKS = {
    "integrity": "数据库完整性（integrity_check）",
    "foreign_keys": "引用一致性（foreign_key_check）",
    "evidence": "证据文件哈希",
    "audit": "审计日志哈希链",
    "numbers": "文号与文号段",
}


@dataclass
class CheckResult:
    """One check: ``key`` (see CHECKS), ``problems`` (Chinese sentences; empty = passed) and
    ``checked`` (how many things were looked at: pages are not counted, rows and files are)."""

    key: str
    problems: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        """True when the check found nothing wrong."""
        return not self.problems


@dataclass
class CheckReport:
    """All checks of one database file."""

    path: Path
    results: list[CheckResult]

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(r.ok for r in self.results)

    def as_dict(self) -> dict:
        """JSON-able form: {"ok": bool, "checks": {key: {"ok", "checked", "problems"}}}."""
        return {"ok": self.ok, "database": str(self.path), "checks": {
            r.key: {"name": CHECKS[r.key], "ok": r.ok, "checked": r.checked, "problems": r.problems}
            for r in self.results}}


MAX_LISTED = 50  # problems listed per check (the count says how many more)


def check_database(db: Path, evidence_dir: Path | None = None) -> CheckReport:
    """Run integrity_check, foreign_key_check, the evidence hashes, the audit chain and the 文号
    rules (blocks never overlap, a block holds only numbers drawn from it) on ``db``.

    Opens the file read-only and changes nothing. A file that is not a database fails the first
    check and skips the rest.

    Raises:
        NotFoundError: ``db`` does not exist.
    """
    db = Path(db)
    if not db.is_file():
        raise NotFoundError(f"找不到数据库文件 {db}")
    results = [CheckResult("integrity")]
    results[0].problems = backup.integrity_errors(db)
    if results[0].problems:
        return CheckReport(db, results)
    conn = sqlite3.connect(backup.read_only_uri(db), uri=True)
    try:
        results.append(_foreign_keys(conn))
        results.append(_evidence(conn, evidence_dir or db.parent / f"{db.name}.evidence"))
        results.append(_audit(conn))
        results.append(_numbers(conn))
    finally:
        conn.close()
    for r in results:
        if len(r.problems) > MAX_LISTED:
            r.problems[MAX_LISTED:] = [f"……另有 {len(r.problems) - MAX_LISTED} 个问题"]
    return CheckReport(db, results)


def _tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _foreign_keys(conn) -> CheckResult:
    out = CheckResult("foreign_keys")
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        out.problems.append(f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在")
    out.checked = len(_tables(conn))
    return out


def _evidence(conn, folder: Path) -> CheckResult:
    out = CheckResult("evidence")
    if "evidence" not in _tables(conn):
        return out
    store = EvidenceStore(folder)
    for ev_id, name, stored, sha in conn.execute(
            "SELECT id, original_name, stored_path, sha256 FROM evidence ORDER BY created_at"):
        out.checked += 1
        try:
            state = store.check(stored, sha)
        except WorkbenchError as err:
            state = str(err)
        if state == "missing":
            out.problems.append(f"证据文件“{name}”（{ev_id}）不在证据文件夹 {folder} 中")
        elif state == "modified":
            out.problems.append(f"证据文件“{name}”（{ev_id}）的内容与登记的 SHA-256 不符（被修改）")
        elif state != "ok":
            out.problems.append(f"证据“{name}”（{ev_id}）：{state}")
    return out


def _audit(conn) -> CheckResult:
    out = CheckResult("audit")
    if "audit_log" not in _tables(conn):
        out.problems.append("数据库没有审计日志（结构版本过旧，用本程序打开一次即可升级）")
        return out
    out.checked, problems = audit.verify_chain(conn)
    out.problems = [p.message for p in problems]
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for name in ("audit_log_no_update", "audit_log_no_delete"):
        if name not in triggers:
            out.problems.append(f"审计日志的保护触发器 {name} 被删除")
    return out


def _numbers(conn) -> CheckResult:
    """The rules of one 文号 sequence across laptops (storage/number_rules.py)."""
    out = CheckResult("numbers")
    if "doc_number_block" not in _tables(conn):
        return out
    out.checked = conn.execute("SELECT count(*) FROM doc_number").fetchone()[0]
    out.problems = number_rules.problems(conn, limit=MAX_LISTED)
    return out


def backup_to(db: Path, out: Path, *, force: bool = False) -> Path:
    """Write a verified online copy of the database file ``db`` to ``out``. Returns ``out``.

    Raises:
        ValidationError: ``out`` is the database or its -wal/-shm/-journal file, one of its
            automatic backups or inside their folder (where rotation would delete it), the evidence
            folder, a folder, or an existing file and ``force`` is False
            (services/output_paths.check_output_path).
        WorkbenchError: ``out`` cannot be written, or fails verification.
    """
    from workbench.services.output_paths import check_output_path

    out = Path(out)
    if out.exists() and os.path.samefile(out, db):
        raise WorkbenchError(f"备份文件不能是数据库本身：{out}")
    check_output_path(out, db_path=db, force=force)
    conn = connect(db)
    try:
        backup.copy_database(conn, out)
    finally:
        conn.close()
    return out


def _describe(path: Path) -> tuple[int, set[str], str | None]:
    """(schema version, table names, replica id or None) of the database file at ``path``."""
    conn = sqlite3.connect(backup.read_only_uri(Path(path)), uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        replica = conn.execute("SELECT id FROM sync_replica").fetchone() if "sync_replica" in tables else None
        return version, tables, replica[0] if replica else None
    finally:
        conn.close()


def check_backup(source: Path, db: Path | None = None, *, force: bool = False) -> None:
    """Refuse a file that must not replace the database ``db``; nothing is changed either way.

    A backup must be a whole SQLite file that passes integrity_check, hold a workbench database
    (schema version 1 or more, a ``campaign`` table: a 0-byte file or another program's database
    is neither), of a schema this program can open, and — unless ``force`` — be a backup of the
    same database as ``db`` (the same replica id): another laptop's database put in place of this
    one would take that laptop's identity, and packages between the two could no longer be told
    apart.

    Raises:
        NotFoundError: ``source`` is missing or a folder.
        WorkbenchError: naming ``source`` and why, ending in 未恢复.
    """
    from workbench.storage.migrate import latest_version

    source = Path(source)
    if not source.is_file():
        raise NotFoundError(f"找不到备份文件 {source}")
    problems = backup.integrity_errors(source)
    if problems:
        raise WorkbenchError(f"备份文件 {source} 已损坏或不是数据库（{problems[0]}），未恢复")
    version, tables, replica = _describe(source)
    if version < 1 or "campaign" not in tables:
        what = "是空文件" if source.stat().st_size == 0 else "不是检查工作台的数据库（没有检查任务表）"
        raise WorkbenchError(f"备份文件 {source} {what}，未恢复")
    if version > latest_version():
        raise WorkbenchError(f"备份文件 {source} 由更新版本的工作台创建（结构版本 {version}，本程序支持到 "
                             f"{latest_version()}），未恢复；请升级工作台后再恢复")
    if force or db is None or not Path(db).is_file() or backup.integrity_errors(Path(db)):
        return
    _v, _t, ours = _describe(Path(db))
    if replica and ours and replica != ours:
        raise WorkbenchError(
            f"备份文件 {source} 是另一个数据库（副本编号 {replica[:8]}）的备份，不是 {db}（{ours[:8]}）的；"
            "用它替换会使本机冒用那台电脑的身份，两边的工作包再也分不清。未恢复。"
            "若确要用它替换，请加 --force；若只想合并对方的工作，请用工作包（workbench package）")


def _check_target(db: Path) -> None:
    """Refuse a ``--db`` that is no database file: a damaged database is moved aside before the
    backup takes its place, and a folder or a workbook given by mistake must not be.

    Raises:
        WorkbenchError: ``db`` is a folder (or other non-file), or a non-empty file that does not
            start as an SQLite file does.
    """
    if db.exists() and not db.is_file():
        raise WorkbenchError(f"{db} 是文件夹，不是数据库文件，未恢复；请在 --db 后给出数据库文件的路径")
    if db.is_file() and db.stat().st_size > 0:
        with open(db, "rb") as fh:
            head = fh.read(16)
        if head != b"SQLite format 3\x00":
            raise WorkbenchError(f"{db} 不是数据库文件，未恢复（以免把它当作损坏的数据库移走并替换）；"
                                 "请检查 --db 后的路径。若它确是开头已损坏的数据库，请先把它移到别处再恢复")


def restore(db: Path, source: Path, *, force: bool = False) -> Path | None:
    """Replace the database at ``db`` with the backup ``source``.

    The backup is checked first; nothing changes when it fails. When ``db`` exists and passes
    integrity_check, it is first backed up (reason ``restore``) and then overwritten through the
    backup API; a damaged ``db`` is moved aside as ``<name>.damaged-<UTC time>`` (with its -wal and
    -shm files) and the backup copied into its place. The restored file is migrated on next open.

    Returns:
        the automatic backup (or the moved damaged file) of what was there, or None.

    Raises:
        WorkbenchError: the backup is refused by :func:`check_backup` (``force`` as there),
            ``db`` is a folder or a file that is no database (:func:`_check_target`), or a file
            cannot be written.
    """
    db, source = Path(db), Path(source)
    check_backup(source, db, force=force)
    _check_target(db)
    if db.exists() and os.path.samefile(db, source):
        raise WorkbenchError("备份文件就是当前数据库，无需恢复")
    if db.is_file() and not backup.integrity_errors(db):
        from workbench.storage.connection import connect

        conn = connect(db)
        try:
            kept = backup.automatic_backup(conn, db, "restore")
            backup.restore_into(conn, source)
        finally:
            conn.close()
        return kept
    kept = None
    if db.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = db.with_name(f"{db.name}.damaged-{stamp}")
        os.replace(db, kept)
        for suffix in ("-wal", "-shm"):
            side = db.with_name(db.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
    db.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(backup.read_only_uri(source), uri=True)
    try:
        backup.copy_database(src, db)
    finally:
        src.close()
    return kept


# --- for the window (gui/ reaches storage only through services) ---------------------------------


def audit_entries(ctx, *, entity: str | None = None, text: str | None = None, mentions: str | None = None,
                  limit: int = 1000) -> list:
    """Audit log entries, newest first, filtered (see storage.audit.entries)."""
    return audit.entries(ctx.conn, entity=entity, text=text, mentions=mentions, limit=limit)


def audit_chain(ctx) -> tuple[int, int]:
    """(entries in the log, problems in its hash chains)."""
    total, problems = audit.verify_chain(ctx.conn)
    return total, len(problems)


def export_audit(ctx, out: Path, **filters) -> int:
    """Write the filtered log to ``out`` as CSV; returns the number of entries.

    Raises:
        ValidationError: ``out`` is the database, a file it needs, or in its backup, evidence or
            exchange folders (an existing other file is replaced: the window's save dialog asked).
    """
    from workbench.services.output_paths import check_output

    check_output(ctx, out, force=True)
    return audit.export_csv(ctx.conn, Path(out), **filters)


def backup_folder(db: Path) -> Path:
    """Where the automatic backups of ``db`` are kept."""
    return backup.backup_dir(Path(db))


def newest_good_backup(db: Path):
    """The newest automatic backup of ``db`` that passes integrity_check (a BackupFile), or None."""
    return backup.newest_good_backup(Path(db))


def take_backup(ctx, db: Path, reason: str) -> Path | None:
    """A rotating automatic backup of the open database before an operation (see storage.backup)."""
    return backup.automatic_backup(ctx.conn, Path(db), reason)


def restore_open(ctx, db: Path, source: Path) -> Path | None:
    """Replace the content of the open database ``db`` with the backup ``source``: checked
    first, the current content backed up, the restore logged. Returns that backup's path.

    Raises:
        WorkbenchError: the backup is missing, damaged, not a workbench database or of a newer
            schema (:func:`check_backup`; nothing changed).
    """
    check_backup(Path(source), None)
    kept = backup.automatic_backup(ctx.conn, Path(db), "restore")
    backup.restore_into(ctx.conn, Path(source))
    from workbench.storage.migrate import migrate

    migrate(ctx.conn)      # an older backup is brought up to this program's schema
    audit.record(ctx.conn, "restore", "database", "", None, {"backup": str(source), "previous": str(kept)})
    return kept


def quick_check(db: Path, cancel: threading.Event | None = None) -> list[str]:
    """``PRAGMA quick_check`` of the file (the window runs it on open): [] when it passes.

    Raises:
        Cancelled: ``cancel`` was set while it ran (no verdict).
    """
    return backup.integrity_errors(Path(db), quick=True, cancel=cancel)
