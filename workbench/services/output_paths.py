"""Where a document or export may be written: never over the workbench's own files.

Every command and window action that writes a file the user named asks :func:`check_output`
first (the window passes ``force=True`` once its save dialog has asked about overwriting).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from workbench.errors import ValidationError
from workbench.services.context import Context
from workbench.storage.backup import BACKUP_FOLDERS, candidate_backups

#: Files SQLite keeps beside a database while it is open or after a crash.
_COMPANIONS = ("-wal", "-shm", "-journal")


def database_file(conn: sqlite3.Connection) -> Path | None:
    """The file of the connection's main database, or None for an in-memory one."""
    row = next((r for r in conn.execute("PRAGMA database_list") if r[1] == "main"), None)
    return Path(row[2]) if row is not None and row[2] else None


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (links, ``..``, letter case on Windows/macOS)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies somewhere under it."""
    target = Path(os.path.normcase(os.path.realpath(path)))
    root = Path(os.path.normcase(os.path.realpath(folder)))
    return target == root or root in target.parents


def protected_reason(ctx: Context, out: Path) -> str:
    """Why writing at ``out`` would damage the workbench's own data ('' when it would not).

    Protected: the open database file, its ``-wal``/``-shm``/``-journal`` files, its backups
    (``<db>.bak*`` and the backup folders of storage.backup), and the evidence folder with
    everything inside it.
    """
    out = Path(out)
    db = database_file(ctx.conn)
    if db is not None:
        if _same(out, db):
            return f"这是正在使用的数据库文件 {db.name}，写入会毁掉全部记录"
        for suffix in _COMPANIONS:
            if _same(out, Path(f"{db}{suffix}")):
                return f"这是数据库 {db.name} 的日志文件（{suffix}），写入会损坏数据库"
        named_as_backup = _same(out.parent, db.parent) and out.name.startswith(f"{db.name}.bak")
        if named_as_backup or any(_same(out, b) for b in candidate_backups(db)):
            return f"这是数据库 {db.name} 的备份文件"
        for folder in BACKUP_FOLDERS:
            where = db.parent / folder.format(name=db.name)
            if where.is_dir() and _inside(out, where):
                return f"这是数据库 {db.name} 的备份文件夹 {where}"
    if ctx.evidence_dir is not None and _inside(out, ctx.evidence_dir):
        return f"这是证据文件夹 {ctx.evidence_dir}（其中的文件由工作台按内容校验，不能改动）"
    return ""


def check_output(ctx: Context, out: str | Path, *, force: bool = False) -> Path:
    """Check a file path the user chose for an export or a document before anything is written.

    Args:
        ctx: the open database's context (its file, backups and evidence folder are protected).
        out: the file to write.
        force: overwrite an existing ordinary file (``--force``; the window passes True after its
            save dialog asked). Protected files are refused even then.

    Returns:
        ``out`` as a Path.

    Raises:
        ValidationError: ``out`` is a protected file (see :func:`protected_reason`), a folder, or
            an existing file and ``force`` is False — each in one Chinese sentence naming it.
    """
    out = Path(out)
    reason = protected_reason(ctx, out)
    if reason:
        raise ValidationError(f"不能保存到 {out}：{reason}。请另选一个文件名或位置。")
    if out.is_dir():
        raise ValidationError(f"不能保存到 {out}：这是一个文件夹，请给出文件名")
    if out.exists() and not force:
        raise ValidationError(f"文件 {out} 已存在，未覆盖；确需覆盖时请加 --force，或另选文件名")
    return out


def check_output_folder(ctx: Context, folder: str | Path) -> Path:
    """Check a folder chosen to receive several files (a notice batch).

    Raises:
        ValidationError: the folder is the evidence folder or inside it, a backup folder, or an
            existing file.
    """
    folder = Path(folder)
    reason = protected_reason(ctx, folder)
    if reason:
        raise ValidationError(f"不能保存到文件夹 {folder}：{reason}。请另选一个文件夹。")
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"{folder} 是一个文件，不是文件夹；请另选一个文件夹")
    return folder
