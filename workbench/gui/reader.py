"""Read queries off the GUI thread: one background thread with its own connection.

Screens ask ``session.read(fn, on_done)``; ``fn(ctx)`` (a service call) runs on the reader
thread with the reader's own services context (a connection belongs to one thread), and
``on_done(result)`` runs on the GUI thread when it is back. Reads run one at a time, in order.

Superseded reads cost nothing: a newer read of the same ``key`` makes an older one obsolete, and
``drop(group)`` makes every pending read of a ``group`` obsolete (a table's count and pages when
its filter changes). An obsolete read is skipped if it has not started, stopped by SQLite's
progress handler if it is running (a 300,000-row count of a 1-character filter stops at once
when the next key is typed), and never delivered (typing in a filter box never shows a stale
page). Failures go to ``on_error`` (or the session's error message). The window stays live while
a province-sized query runs.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from workbench.services import thread_guard

log = logging.getLogger(__name__)

#: SQLite virtual-machine steps between two checks whether the running read became obsolete
#: (1–3 ms of SQLite work). Each check is Python, so it takes the GIL: every 2,000 steps the
#: overview's counts of 300,000 sites asked for it 1,400 times, waiting each time for a GUI
#: thread busy building the window (issue 12).
ABORT_CHECK_STEPS = 50_000


class _Job(QRunnable):
    def __init__(self, reader: Reader, ticket: int, fn: Callable[[Any], Any]):
        super().__init__()
        self.reader, self.ticket, self.fn = reader, ticket, fn

    def run(self) -> None:  # noqa: D102 - QRunnable override
        reader = self.reader
        if self.ticket in reader._dropped:   # superseded before it started: skip it
            reader._delivered.emit(self.ticket, None, None)
            return
        reader._running = self.ticket
        try:
            result = self.fn(reader._context())
        except Exception as err:  # handed to the GUI thread, which explains it (or drops it if obsolete)
            reader._delivered.emit(self.ticket, None, err)
        else:
            reader._delivered.emit(self.ticket, result, None)
        finally:
            reader._running = None


class _Call(QRunnable):
    """Reader.call's job: the result (or error) is left in the job, ``done`` set when it is."""

    def __init__(self, reader: Reader, fn: Callable[[Any], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self.reader, self.fn = reader, fn
        self.result, self.error = None, None
        self.done = threading.Event()

    def run(self) -> None:  # noqa: D102 - QRunnable override
        try:
            self.result = self.fn(self.reader._context())
        except Exception as err:  # raised again on the waiting GUI thread
            self.error = err
        finally:
            self.done.set()


class _Ahead:
    """A read started by :meth:`Reader.read_ahead`: its answer, and the ticket of the read that
    adopted it (delivered as that read's answer, when both are there)."""

    def __init__(self):
        self.answer: tuple[Any, Exception | None] | None = None
        self.reader: Reader | None = None
        self.ticket: int | None = None

    def arrived(self, result, err: Exception | None = None) -> None:
        self.answer = (result, err)
        if self.ticket is not None:
            self.reader._deliver(self.ticket, result, err)

    def adopt(self, reader: Reader, ticket: int) -> None:
        self.reader, self.ticket = reader, ticket
        if self.answer is not None:   # in already: delivered from the event loop, as any read
            QTimer.singleShot(0, reader, lambda: reader._deliver(ticket, *self.answer))


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
        self._pending: dict[int, tuple[str | None, str | None, Callable, Callable | None]] = {}
        self._latest: dict[str, int] = {}
        self._dropped: set[int] = set()    # read on the reader thread, written on the GUI thread
        self._running: int | None = None
        self._ahead: dict[str, _Ahead] = {}
        self._delivered.connect(self._deliver)

    def _context(self):
        with self._ctx_lock:
            if self._ctx is None:
                self._ctx = self._open_ctx()
                if not self.inline:
                    self._ctx.stop_reads_when(self._obsolete_running, ABORT_CHECK_STEPS)
            return self._ctx

    def _obsolete_running(self) -> bool:
        """(Reader thread, from SQLite's progress handler) True stops the running statement."""
        return self._running in self._dropped

    @property
    def busy(self) -> bool:
        """True while reads are queued or running."""
        return bool(self._pending)

    def read(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None],
             on_error: Callable[[Exception], None] | None = None, key: str | None = None,
             group: str | None = None) -> int:
        """Run ``fn(ctx)`` on the reader thread; ``on_done(result)`` on the GUI thread. Returns a ticket.

        Args:
            key: a newer read with the same key makes this one obsolete.
            group: :meth:`drop` makes every pending read of the group obsolete.
        """
        ticket = next(self._tickets)
        if self.closed:   # the window closed: a late caller's read is never run nor delivered
            log.debug("read after close ignored")
            return ticket
        if key is not None:
            older = self._latest.get(key)
            if older is not None and older in self._pending:
                self._dropped.add(older)
            self._latest[key] = ticket
        self._pending[ticket] = (key, group, on_done, on_error)
        ahead = self._ahead.pop(key, None) if key is not None else None
        if ahead is not None:   # started ahead (read_ahead): its answer is this read's
            ahead.adopt(self, ticket)
            return ticket
        if self.inline:
            try:
                with thread_guard.allowed():   # inline reads are a test shortcut, GUI thread on purpose
                    result = fn(self._context())
            except Exception as err:
                self._deliver(ticket, None, err)
            else:
                self._deliver(ticket, result, None)
        else:
            self._pool.start(_Job(self, ticket, fn))
        return ticket

    def call(self, fn: Callable[[Any], Any]) -> Any:
        """Run ``fn(ctx)`` on the reader's thread and wait for its result (raised on failure).

        The GUI thread waits without running SQL itself: only for short work the user has to
        wait for anyway (the save asked for when leaving a form). Queued reads run first.
        """
        if self.inline:
            with thread_guard.allowed():
                return fn(self._context())
        job = _Call(self, fn)
        self._pool.start(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def read_ahead(self, key: str, fn: Callable[[Any], Any]) -> None:
        """Start ``fn(ctx)`` now for a read of ``key`` that is asked for soon (the first screen's,
        started before the window is built so that SQLite counts while Python builds it). The
        next :meth:`read` of ``key`` is answered with its result (or error) instead of running its
        own function, which must read the same (or check the answer); :meth:`forget_ahead` drops
        it (data changed)."""
        ahead = _Ahead()
        self._ahead[key] = ahead
        self.read(fn, ahead.arrived, lambda err: ahead.arrived(None, err))

    def forget_ahead(self) -> None:
        """Drop the reads started ahead and not asked for yet (what they read may have changed)."""
        self._ahead.clear()

    def reopen(self) -> None:
        """Open the connection afresh before the next read (queued behind the reads asked for
        so far): the session's reader is opened read-only while the integrity check runs, and
        some reads store what they compute once (checklist templates)."""
        def close(_ctx) -> None:
            with self._ctx_lock:
                if self._ctx is not None:
                    self._ctx.close()
                    self._ctx = None

        self.read(close, lambda _none: None)

    def drop(self, group: str) -> None:
        """Make every pending read of ``group`` obsolete: not started ones are skipped, a running
        one is stopped, none is delivered."""
        for ticket, (_key, g, _done, _err) in self._pending.items():
            if g == group:
                self._dropped.add(ticket)

    def _deliver(self, ticket: int, result, err) -> None:
        key, _group, on_done, on_error = self._pending.pop(ticket, (None, None, None, None))
        dropped = ticket in self._dropped
        self._dropped.discard(ticket)
        if on_done is None or dropped or (key is not None and self._latest.get(key) != ticket):
            return   # obsolete: a newer read of the same key or group is on its way
        if err is not None:
            (on_error or self._on_error)(err)
        else:
            on_done(result)

    #: True once :meth:`close` ran: later reads are ignored (no connection is opened again)
    closed = False

    def close(self, finish: bool = False) -> None:
        """Close the reader's connection (window closing): pending reads are dropped and a running
        one stopped; with ``finish`` (the session's writer: saves) they run to the end first.
        Reads asked for afterwards are ignored."""
        self.closed = True
        if not finish:
            self._dropped.update(self._pending)   # stop what runs now
            self._pool.clear()
        self._pending.clear()
        self._pool.waitForDone(10000)
        self._dropped.clear()
        with self._ctx_lock:
            if self._ctx is not None:
                self._ctx.close()
                self._ctx = None
