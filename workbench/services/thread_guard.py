"""Catching database work on the GUI thread: every SQL statement the window's code runs there.

The window's rule (issue 12) is that queries and saves run on workers or the reader thread, never
on the GUI thread, where a 300,000-site query freezes the window. This module makes the rule
checkable without Qt: :func:`watch` puts a trace callback (``sqlite3.Connection.set_trace_callback``)
on a connection; each statement it runs on the main thread *from code in workbench/gui/* is an
:class:`Offence` (test code calling services directly is not: no gui frame is on its stack).
Offences are kept (:func:`offences`, at most :data:`KEEP`) and logged once per place, so the
window logs a warning in use, ``workbench gui --smoke`` prints their count, and tests fail on any.

Connections opened on the main thread after :func:`watch_new_connections` (storage.connection's
``connect``) are watched too, so a GUI handler that opens its own connection is caught as well.
Code that runs SQL on the GUI thread on purpose (the reader's ``inline`` mode, a test-only
shortcut) wraps it in :func:`allowed`.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: Offences kept in memory (the count goes on beyond it).
KEEP = 500
_GUI_DIR = str(Path(__file__).resolve().parent.parent / "gui")


@dataclass(frozen=True)
class Offence:
    """One statement run on the GUI thread: its SQL (first 200 characters) and the innermost
    gui/ frame that led to it, as ``"gui/views/review_panel.py:366 save"``."""

    sql: str
    where: str


_offences: list[Offence] = []
_count = 0
_logged: set[str] = set()
_allowed = 0
_lock = threading.Lock()


def _gui_frame() -> str | None:
    """The innermost frame of the calling stack inside workbench/gui/, as "gui/x.py:line fn"."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_GUI_DIR):
            rel = "gui" + filename[len(_GUI_DIR):].replace("\\", "/")
            return f"{rel}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return None


def _trace(sql: str) -> None:
    global _count
    if _allowed or threading.current_thread() is not threading.main_thread():
        return
    where = _gui_frame()
    if where is None:
        return
    with _lock:
        _count += 1
        if len(_offences) < KEEP:
            _offences.append(Offence(" ".join(sql.split())[:200], where))
        first = where not in _logged
        _logged.add(where)
    if first:
        log.warning("database work on the GUI thread (the window freezes while it runs), at %s: %s",
                    where, sql[:200])


def _watch_connection(conn: sqlite3.Connection) -> None:
    """Record every statement ``conn`` runs on the main thread from gui/ code (see module docstring).

    Replaces any trace callback the connection had (the workbench sets none elsewhere).
    """
    conn.set_trace_callback(_trace)


def watch(ctx) -> None:
    """:func:`_watch_connection` of a services Context's connection (the window's own)."""
    _watch_connection(ctx.conn)


def _on_connect(conn: sqlite3.Connection) -> None:
    if threading.current_thread() is threading.main_thread():
        _watch_connection(conn)


def watch_new_connections() -> None:
    """Also watch every connection storage.connection.connect opens on the main thread from now
    on (the window's; a worker's connection is opened, and used, on its own thread)."""
    from workbench.storage import connection

    if _on_connect not in connection.OPENED_HOOKS:
        connection.OPENED_HOOKS.append(_on_connect)


@contextmanager
def allowed() -> Iterator[None]:
    """Statements run inside the block are not offences (test-only shortcuts such as inline reads)."""
    global _allowed
    _allowed += 1
    try:
        yield
    finally:
        _allowed -= 1


def offences() -> list[Offence]:
    """The offences recorded so far (at most :data:`KEEP`), oldest first."""
    with _lock:
        return list(_offences)


def count() -> int:
    """How many statements ran on the GUI thread from gui/ code so far (all of them, beyond KEEP)."""
    return _count


def reset() -> None:
    """Forget the offences recorded so far (a test starts afresh)."""
    global _count
    with _lock:
        _offences.clear()
        _count = 0
        _logged.clear()


def summary(found: list[Offence]) -> str:
    """One line per place with its number of statements and the first SQL seen there."""
    places: dict[str, tuple[int, str]] = {}
    for o in found:
        n, sql = places.get(o.where, (0, o.sql))
        places[o.where] = (n + 1, sql)
    return "\n".join(f"{where}  ×{n}  {sql[:80]}" for where, (n, sql) in places.items())
