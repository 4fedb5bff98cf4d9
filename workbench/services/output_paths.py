"""The one check every export runs before writing: never the database, never an existing file
unless asked (the command line's ``--force``; the GUI's save dialog has already asked)."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import ValidationError

# SQLite keeps these beside the database; overwriting one corrupts it as surely as the file itself.
_DB_COMPANIONS = ("", "-wal", "-shm", "-journal")


def check_output_path(out: Path | str, *, db_path: Path | str | None, force: bool = False,
                      suffix: str | None = None) -> Path:
    """Refuse an output path that would destroy data; return it as a Path.

    Args:
        out: where the export is to be written.
        db_path: the open database file (None when there is none, e.g. in tests).
        force: allow replacing an existing file that is not the database.
        suffix: the required extension, e.g. ``".xlsx"`` (case-insensitive); None: any.

    Returns:
        ``out`` as a Path.

    Raises:
        ValidationError: ``out`` is the database (or its -wal/-shm/-journal file, also through a
            link or another spelling of the same path); ``out`` is a folder; ``out`` exists and
            ``force`` is False; ``out`` lacks ``suffix``. Messages are Chinese and name the path.
    """
    out = Path(out)
    if db_path is not None and is_database_file(out, db_path):
        raise ValidationError(f"不能把导出文件写到数据库文件上：{out}（请换一个文件名）")
    if suffix and out.suffix.lower() != suffix.lower():
        raise ValidationError(f"输出文件应以 {suffix} 结尾：{out}")
    if out.is_dir():
        raise ValidationError(f"输出位置是一个文件夹，请给出文件名：{out}")
    if out.exists() and not force:
        raise ValidationError(f"文件已存在：{out}（如需覆盖请加 --force）")
    return out


def is_database_file(out: Path | str, db_path: Path | str) -> bool:
    """Whether ``out`` is the database ``db_path`` or its -wal/-shm/-journal file (any spelling)."""
    out, db = Path(out), Path(db_path)
    for extra in _DB_COMPANIONS:
        companion = db.with_name(db.name + extra)
        if _same_file(out, companion):
            return True
    return False


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        try:
            return os.path.samefile(a, b)
        except OSError:
            return False
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
