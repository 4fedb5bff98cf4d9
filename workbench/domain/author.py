"""Who writes a row: the device and the inspector (stamped on every row, see DESIGN.md)."""

from __future__ import annotations

import platform
from dataclasses import dataclass

from workbench.errors import InspectorMissingError

#: Why a write is refused without a name (the window and the command line both say what to do).
INSPECTOR_MISSING = ("未填写检查人员姓名，无法保存：每条记录都要记下是谁做的。"
                     "请在窗口的“工具 › 设置”中填写您的姓名和单位；命令行请加 --inspector 姓名。")


@dataclass(frozen=True)
class Author:
    """Who writes rows: ``device`` (the laptop's name) and ``name`` (the inspector's own name).

    The name is never guessed from the operating-system login ("root", "admin" say nothing about
    who inspected): an Author without a name may read, and every write asks for ``inspector``,
    which refuses then.
    """

    device: str
    name: str = ""

    @property
    def inspector(self) -> str:
        """The inspector's name written on a row.

        Raises:
            InspectorMissingError: no name was given (settings or ``--inspector``).
        """
        if not self.name.strip():
            raise InspectorMissingError(INSPECTOR_MISSING)
        return self.name.strip()

    @property
    def named(self) -> bool:
        """True when a name is known (rows may be written)."""
        return bool(self.name.strip())

    @classmethod
    def local(cls, inspector: str | None = None) -> Author:
        """This machine's host name and the given inspector name (empty when none is given)."""
        return cls(platform.node(), (inspector or "").strip())
