"""Read queries off the GUI thread: one background thread with its own connection.

Screens ask ``session.read(fn, on_done)``; ``fn(ctx)`` (a service call) runs on the reader
thread with the reader's own services context (a connection belongs to one thread), and
``on_done(result)`` runs on the GUI thread when it is back. Reads run one at a time, in order;
a newer read of the same ``key`` makes an older, not yet delivered result obsolete (typing in a
filter box never shows a stale page). Failures go to ``on_error`` (or the session's error
message). The window stays live while a province-sized query runs.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Job(QRunnable):
    def __init__(self, reader: Reader, ticket: int, fn: Callable[[Any], Any]):
        super().__init__()
        self.reader, self.ticket, self.fn = reader, ticket, fn

    def run(self) -> None:  # noqa: D102 - QRunnable override
        try:
            result = self.fn(self.reader._context())
        except Exception as err:  # handed to the GUI thread, which explains it
            self.reader._delivered.emit(self.ticket, None, err)
        else:
            self.reader._delivered.emit(self.ticket, result, None)


class Reader(QObject):
    """The session's reader thread (see the module docstring).

    ``inline=True`` runs each read at once on the calling thread (tests that check a screen
    right after an action; the window never uses it).
    """

    _delivered = Signal(int, object, object)

    def __init__(self, open_ctx: Callable[[], Any], on_error: Callable[[Exception], None], inline: bool = False):
        super().__init__()
        self._open_ctx, self._on_error, self.inline = open_ctx, on_error, inline
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)   # keep the thread, and so its connection
        self._ctx = None
        self._ctx_lock = threading.Lock()
        self._tickets = itertools.count(1)
        self._pending: dict[int, tuple[str | None, Callable, Callable | None]] = {}
        self._latest: dict[str, int] = {}
        self._delivered.connect(self._deliver)

    def _context(self):
        with self._ctx_lock:
            if self._ctx is None:
                self._ctx = self._open_ctx()
            return self._ctx

    @property
    def busy(self) -> bool:
        """True while reads are queued or running."""
        return bool(self._pending)

    def read(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None],
             on_error: Callable[[Exception], None] | None = None, key: str | None = None) -> int:
        """Run ``fn(ctx)`` on the reader thread; ``on_done(result)`` on the GUI thread. Returns a ticket."""
        ticket = next(self._tickets)
        if key is not None:
            self._latest[key] = ticket
        self._pending[ticket] = (key, on_done, on_error)
        if self.inline:
            try:
                result = fn(self._context())
            except Exception as err:
                self._deliver(ticket, None, err)
            else:
                self._deliver(ticket, result, None)
        else:
            self._pool.start(_Job(self, ticket, fn))
        return ticket

    def _deliver(self, ticket: int, result, err) -> None:
        key, on_done, on_error = self._pending.pop(ticket, (None, None, None))
        if on_done is None or (key is not None and self._latest.get(key) != ticket):
            return   # obsolete: a newer read of the same key is on its way
        if err is not None:
            (on_error or self._on_error)(err)
        else:
            on_done(result)

    def close(self) -> None:
        """Wait for running reads and close the reader's connection (window closing)."""
        self._pending.clear()
        self._pool.clear()
        self._pool.waitForDone(10000)
        with self._ctx_lock:
            if self._ctx is not None:
                self._ctx.close()
                self._ctx = None
