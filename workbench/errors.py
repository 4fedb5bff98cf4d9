"""The workbench's error hierarchy: every error a user may see carries a Chinese message."""

import errno


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


class MissingSettingsError(ValidationError):
    """A notice cannot be printed without some settings (联系人, 联系电话, and for an order the
    复议机关 and 人民法院): printing stops; the GUI asks for them, the command line names them.

    Attributes:
        fields: the Settings attribute names that are empty, e.g. ``("contact", "contact_phone")``.
    """

    def __init__(self, message: str, fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.fields = fields


class InspectorMissingError(WorkbenchError):
    """A record would be written without the inspector's name (never the computer's login name)."""


# errno → what went wrong and what to do, in Chinese (strerror is English on most systems).
_OS_REASONS = {
    errno.ENOENT: "找不到该文件或文件夹：请检查路径，U 盘或网络盘是否已连接",
    errno.EACCES: "没有读写权限：如果文件正在 Excel、WPS 等程序中打开，请先关闭；否则请换一个有写权限的文件夹",
    errno.EPERM: "操作系统不允许此操作：请换一个有写权限的文件夹，或确认文件没有被其他程序占用",
    errno.ENOSPC: "磁盘已满：请清理空间或换一个磁盘后重试",
    errno.EROFS: "磁盘是只读的（例如写保护的 U 盘）：请换一个可写的位置",
    errno.EEXIST: "同名文件已存在：请换一个名称",
    errno.EISDIR: "这是一个文件夹，不是文件：请选择文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹：请检查路径",
    errno.EBUSY: "文件正被其他程序使用：请关闭该程序后重试",
    errno.EIO: "读写磁盘出错（U 盘被拔出或磁盘故障）：请检查磁盘后重试",
    errno.ENAMETOOLONG: "文件名或路径太长：请换一个短一些的名称或文件夹",
    errno.EMFILE: "同时打开的文件太多：请关闭工作台后重新打开",
}
# Windows error codes that have no errno of their own (winerror attribute of OSError).
_WINDOWS_REASONS = {
    32: "文件正被其他程序（如 Excel、WPS）打开：请关闭该文件后重试",
    33: "文件的一部分被其他程序锁定：请关闭使用该文件的程序后重试",
    112: "磁盘已满：请清理空间或换一个磁盘后重试",
}


def os_reason(err: OSError) -> str:
    """A Chinese phrase for an operating-system error that says what to do (no file name: the
    caller names the file). Unknown errors keep the system's own text in brackets.

    Args:
        err: any OSError (PermissionError, FileNotFoundError…; ``winerror`` on Windows).
    """
    winerror = getattr(err, "winerror", None)
    if winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    if err.errno in _OS_REASONS:
        return _OS_REASONS[err.errno]
    return f"操作系统报告错误（{err.strerror or err}）：请检查文件和文件夹后重试"


def describe_os_error(err: OSError) -> str:
    """One Chinese sentence for an OSError naming the file (``err.filename``) when known."""
    where = f" {err.filename}" if err.filename else ""
    return f"无法读写文件{where}：{os_reason(err)}。"
