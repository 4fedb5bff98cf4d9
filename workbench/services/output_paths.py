"""The one check every export runs before writing: never the database, its companions, its
backups or the evidence folder; never an existing file unless asked (the command line's
``--force``; the window passes ``force=True`` once its save dialog has asked)."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import ValidationError
from workbench.services.context import Context
from workbench.storage.backup import backup_dir, backup_files
from workbench.storage.connection import database_path

# SQLite keeps these beside the database; overwriting one corrupts it as surely as the file itself.
_DB_COMPANIONS = ("", "-wal", "-shm", "-journal")


def check_output_path(out: Path | str, *, db_path: Path | str | None, force: bool = False,
                      suffix: str | None = None, evidence_dir: Path | str | None = None) -> Path:
    """Refuse an output path that would destroy data; return it as a Path.

    Args:
        out: where the export is to be written.
        db_path: the open database file (None when there is none, e.g. in tests).
        force: allow replacing an existing file that is not protected.
        suffix: the required extension, e.g. ``".xlsx"`` (case-insensitive); None: any.
        evidence_dir: the database's evidence folder (``<db>.evidence``; derived from
            ``db_path`` when None).

    Returns:
        ``out`` as a Path.

    Raises:
        ValidationError: ``out`` is the database (or its -wal/-shm/-journal file, also through a
            link or another spelling of the same path), one of its backups or inside its backup
            folder, the evidence folder or inside it; ``out`` is a folder; ``out`` exists and
            ``force`` is False; ``out`` lacks ``suffix``. Messages are Chinese and name the path.
    """
    out = Path(out)
    reason = protected_reason(out, db_path, evidence_dir)
    if reason:
        raise ValidationError(f"不能保存到 {out}：{reason}（请换一个文件名或位置）")
    if suffix and out.suffix.lower() != suffix.lower():
        raise ValidationError(f"输出文件应以 {suffix} 结尾：{out}")
    if out.is_dir():
        raise ValidationError(f"输出位置是一个文件夹，请给出文件名：{out}")
    if out.exists() and not force:
        raise ValidationError(f"文件已存在：{out}（如需覆盖请加 --force）")
    return out


def protected_reason(out: Path, db_path: Path | str | None, evidence_dir: Path | str | None = None) -> str:
    """Why writing at ``out`` would damage the workbench's own files ('' when it would not)."""
    if db_path is None or str(db_path) == ":memory:":
        return ""
    db = Path(db_path)
    for extra in _DB_COMPANIONS:
        if _same_file(out, db.with_name(db.name + extra)):
            return "这是正在使用的数据库文件" if not extra else f"这是数据库文件的日志（{extra}），写入会损坏数据库"
    if (_same_file(out.parent, db.parent) and out.name.startswith(f"{db.name}.bak")) or any(
            _same_file(out, b) for b in backup_files(db)):
        return "这是数据库文件的备份"
    if _inside(out, backup_dir(db)):
        return f"这是数据库文件的备份文件夹 {backup_dir(db)}"
    evidence = Path(evidence_dir) if evidence_dir is not None else db.parent / f"{db.name}.evidence"
    if _inside(out, evidence):
        return f"这是证据文件夹 {evidence}（其中的文件按内容校验，不能改动）"
    sync = db.parent / f"{db.name}.sync"     # services/packages.sync_dir: bases of past exchanges
    if _inside(out, sync):
        return f"这是工作包交换记录的文件夹 {sync}（改动会使下次交换出错）"
    return ""


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        try:
            return os.path.samefile(a, b)
        except OSError:
            return False
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies somewhere under it."""
    target = Path(os.path.normcase(os.path.realpath(path)))
    root = Path(os.path.normcase(os.path.realpath(folder)))
    return target == root or root in target.parents


def check_output(ctx: Context, out: str | Path, *, force: bool = False, suffix: str | None = None) -> Path:
    """:func:`check_output_path` for the database open in ``ctx`` (its file and evidence folder).

    Raises:
        ValidationError: as check_output_path.
    """
    return check_output_path(out, db_path=database_path(ctx.conn), force=force, suffix=suffix,
                             evidence_dir=ctx.evidence_dir)


def check_output_folder(ctx: Context, folder: str | Path) -> Path:
    """Check a folder chosen to receive several files (a notice batch).

    Raises:
        ValidationError: the folder is the evidence folder, a backup folder (or inside one), or
            an existing file.
    """
    folder = Path(folder)
    reason = protected_reason(folder, database_path(ctx.conn), ctx.evidence_dir)
    if reason:
        raise ValidationError(f"不能保存到文件夹 {folder}：{reason}。请另选一个文件夹。")
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"{folder} 是一个文件，不是文件夹；请另选一个文件夹")
    return folder


def is_database_file(out: Path | str, db_path: Path | str) -> bool:
    """Whether ``out`` is the database ``db_path`` or its -wal/-shm/-journal file (any spelling)."""
    out, db = Path(out), Path(db_path)
    return any(_same_file(out, db.with_name(db.name + extra)) for extra in _DB_COMPANIONS)
