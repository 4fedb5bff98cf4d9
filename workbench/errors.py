"""The workbench's error hierarchy: every error a user may see carries a Chinese message."""


class WorkbenchError(Exception):
    """Base of all expected errors; ``str(err)`` is a one-line Chinese message for the user."""


class InputFileError(WorkbenchError):
    """A file the user supplied cannot be read or is malformed.

    Attributes:
        path: the file's path as given.
        row: 1-based sheet row, or None when the whole file is at fault.
        column: column header or letter, or None.
    """

    def __init__(self, message: str, path: str = "", row: int | None = None, column: str | None = None):
        self.path = path
        self.row = row
        self.column = column
        where = []
        if path:
            where.append(f"文件 {path}")
        if row is not None:
            where.append(f"第 {row} 行")
        if column:
            where.append(f"列“{column}”")
        prefix = "，".join(where)
        super().__init__(f"{prefix}：{message}" if prefix else message)


class DatabaseVersionError(WorkbenchError):
    """The database was written by a newer version of the workbench than this one."""


class NotFoundError(WorkbenchError):
    """A record the user named (campaign, organisation, notice…) does not exist."""


class IllegalTransitionError(WorkbenchError):
    """A finding status change that the finding state machine does not allow."""


class ValidationError(WorkbenchError):
    """A value entered by the user breaks a domain rule."""


class FontError(WorkbenchError):
    """No installed font can render the Chinese text of a document."""


def describe_os_error(err: OSError) -> str:
    """A Chinese reason for a failed file operation (disk full, no permission, name too long…).

    Returns a short clause such as "磁盘空间不足" to put after the file's path; unknown errors
    keep the system's own text.
    """
    import errno

    reasons = {
        errno.ENOSPC: "磁盘空间不足，请清理空间或换一个位置后重试",
        getattr(errno, "EDQUOT", -1): "磁盘配额已用完，请清理空间或换一个位置后重试",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.EROFS: "该位置是只读的",
        errno.ENAMETOOLONG: "文件名或路径过长",
        errno.ENOENT: "文件或文件夹不存在",
        errno.EISDIR: "这是一个文件夹，不是文件",
        errno.ENOTDIR: "路径中的某一级不是文件夹",
        errno.EEXIST: "已存在同名文件或文件夹",
    }
    return reasons.get(err.errno, err.strerror or str(err))
