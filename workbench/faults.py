"""Crash points for tests that kill the program in the middle of a write (SIGKILL).

``WORKBENCH_CRASH_AT=<name>[@n]`` kills the process the n-th time (default: first) it passes the
crash point ``name``. Unset — always, outside those tests — the points do nothing.
"""

from __future__ import annotations

import os
import signal

ENV = "WORKBENCH_CRASH_AT"
_passed: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Die at once, as from SIGKILL, if the environment asks for this point (see module doc)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    target, _, nth = wanted.partition("@")
    if target != name:
        return
    _passed[name] = _passed.get(name, 0) + 1
    if _passed[name] == int(nth or 1):
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
