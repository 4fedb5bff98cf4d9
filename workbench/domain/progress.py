"""Progress reports yielded by long-running generators (import, export, batch documents)."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """How far a long task has got: ``done`` of ``total`` units (rows, files); total 0 = unknown."""

    done: int
    total: int
    message: str = ""


class Cancelled(Exception):
    """Raised inside a long task when its cancel event is set; the task leaves no partial writes."""


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise :class:`Cancelled` if ``cancel`` is set."""
    if cancel is not None and cancel.is_set():
        raise Cancelled("用户已取消")
