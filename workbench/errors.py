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


class MissingSettingsError(ValidationError):
    """A notice cannot be printed without some settings (联系人, 联系电话, and for an order the
    复议机关 and 人民法院): printing stops; the GUI asks for them, the command line names them.

    Attributes:
        fields: the Settings attribute names that are empty, e.g. ``("contact", "contact_phone")``.
    """

    def __init__(self, message: str, fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.fields = fields
