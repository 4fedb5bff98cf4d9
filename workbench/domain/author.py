"""Who writes a row: the device and the inspector (stamped on every row, see DESIGN.md)."""

from __future__ import annotations

import getpass
import platform
from dataclasses import dataclass


@dataclass(frozen=True)
class Author:
    """Who writes rows: ``device`` (the laptop's name) and ``inspector`` (the user's name)."""

    device: str
    inspector: str

    @classmethod
    def local(cls, inspector: str | None = None) -> Author:
        """This machine's host name and the given (or login) user name."""
        try:
            user = inspector or getpass.getuser()
        except (KeyError, OSError):
            user = inspector or ""
        return cls(platform.node(), user)
