"""Writing files so that a failure never leaves a half-written document behind."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from workbench.errors import WorkbenchError


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
        temp = folder / f".{out.stem}.{secrets.token_hex(4)}.tmp"
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
        WorkbenchError: the folder is missing or not writable, or the target is locked by another
            program (e.g. the PDF is open in a viewer on Windows).
    """
    temp = reserve_temp(out)
    try:
        temp.write_bytes(data)
        os.replace(temp, out)
    except PermissionError as exc:
        temp.unlink(missing_ok=True)
        raise WorkbenchError(f"文件被其他程序占用，请关闭后重试：{out}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
