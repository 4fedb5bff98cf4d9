"""Writing files so that a failure never leaves a half-written document behind."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from workbench.errors import WorkbenchError, os_reason

#: The longest file name (not path) Linux, macOS and Windows file systems all accept, in bytes
#: of UTF-8 (ext4 and APFS count bytes; NTFS allows 255 UTF-16 units, which never exceeds this).
MAX_NAME_BYTES = 255
_TEMP_EXTRA = len(".") + len(".") + 8 + len(".tmp")   # what reserve_temp adds around the stem


def fit_name_bytes(stem: str, suffix: str = "", max_bytes: int = MAX_NAME_BYTES) -> str:
    """``stem + suffix`` cut (at the end of ``stem``, never inside a character) to at most
    ``max_bytes`` bytes of UTF-8 — the one place a file name built from user text is shortened.

    A 4-byte character (e.g. U+20000 𠀀) counts 4, a Chinese character 3, ASCII 1.

    Args:
        stem: the name without extension, e.g. "鲁网信整改〔2026〕1号-某公司".
        suffix: kept whole, e.g. ".pdf" or " (2).pdf".
        max_bytes: the limit for the whole name.

    Returns:
        the shortened name; the stem keeps at least its first character.
    """
    room = max_bytes - len(suffix.encode("utf-8"))
    data = stem.encode("utf-8")
    if len(data) <= room:
        return stem + suffix
    cut = data[:max(room, 0)].decode("utf-8", errors="ignore").rstrip(" .")
    return (cut or stem[:1]) + suffix


def reserve_temp(out: Path) -> Path:
    """Create an empty, uniquely named file beside ``out`` (same folder, so os.replace is atomic).

    Created with mode 0o666 minus the umask, like any new file, because tempfile.mkstemp's
    0o600 would survive os.replace and hide the document from colleagues on a shared machine.

    Raises:
        WorkbenchError: the folder does not exist or cannot be written (in Chinese).
    """
    folder = out.parent
    if not folder.is_dir():
        raise WorkbenchError(f"保存位置不存在，请选择其他文件夹：{folder}")
    for _ in range(10):
        stem = fit_name_bytes(out.stem, max_bytes=MAX_NAME_BYTES - _TEMP_EXTRA)
        temp = folder / f".{stem}.{secrets.token_hex(4)}.tmp"
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        except OSError as exc:
            raise WorkbenchError(f"无法在此文件夹中保存文件，请选择其他位置：{folder}") from exc
        return temp
    raise WorkbenchError(f"无法在此文件夹中创建临时文件，请选择其他位置：{folder}")


def write_bytes(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` through a temporary file and an atomic rename.

    Raises:
        WorkbenchError: the folder is missing or not writable, the target is locked by another
            program (e.g. the PDF is open in a viewer on Windows), or the disk is full; ``out``
            then keeps its old content (or stays absent) and no temporary file is left.
    """
    temp = reserve_temp(out)
    try:
        temp.write_bytes(data)
        os.replace(temp, out)
    except PermissionError as exc:
        temp.unlink(missing_ok=True)
        raise WorkbenchError(f"文件被其他程序占用，请关闭后重试：{out}") from exc
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise WorkbenchError(f"保存文件失败：{out}（{os_reason(exc)}）") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
