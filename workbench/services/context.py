"""What every use case needs: a database connection, who is working, settings, the calendar."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from workbench.domain.author import Author
from workbench.settings import Settings
from workbench.storage.connection import describe_error

__all__ = ["Context", "describe_database_error", "describe_error", "explain_database_error", "load_calendar"]

#: SQLite steps between two looks at a cancel event (Context.cancellable): well under a millisecond.
CANCEL_CHECK_STEPS = 2000


@dataclass
class Context:
    """The per-connection bundle passed to services.

    Attributes:
        conn: an open, migrated connection (workers open their own: :meth:`with_connection`).
        author: device and inspector written on every row.
        settings: the user's settings.
        evidence_dir: where evidence files are copied to.
        today: override of the current local day (tests and ``--today``); None = the real today.
    """

    conn: sqlite3.Connection
    author: Author
    settings: Settings = field(default_factory=Settings)
    evidence_dir: Path | None = None
    today_override: date | None = None

    def __post_init__(self):
        from workbench.storage import audit

        audit.set_author(self.conn, self.author.device, self.author.name)   # name may be empty: writes refused

    def today(self) -> date:
        """The local calendar day used for new records."""
        return self.today_override or date.today()

    @cached_property
    def calendar(self):
        """The working-day calendar (bundled data plus the user's holiday file, if set), read
        from the files on first use (:func:`load_calendar`) unless :meth:`set_calendar` gave it."""
        return load_calendar(self.settings.holiday_file)

    @property
    def calendar_loaded(self) -> bool:
        """True when :attr:`calendar` is in memory (using it reads no file)."""
        return "calendar" in self.__dict__

    def set_calendar(self, calendar) -> None:
        """Use ``calendar`` (a WorkCalendar loaded elsewhere, e.g. on a worker thread by
        :func:`load_calendar` with this context's ``settings.holiday_file``) as :attr:`calendar`."""
        self.__dict__["calendar"] = calendar

    def reload_calendar(self) -> None:
        """Forget the cached calendar, so the next use reads the holiday files again."""
        self.__dict__.pop("calendar", None)
        self.calendar_epoch += 1

    calendar_epoch = 0   # counts reload_calendar() calls (adopt() follows them)
    _adopted_epoch = 0

    @property
    def evidence_store(self):
        """The folder evidence files are copied into (content-addressed, see storage/evidence_store.py).

        Raises:
            WorkbenchError: the context was built without an evidence folder.
        """
        from workbench.errors import WorkbenchError
        from workbench.storage.evidence_store import EvidenceStore

        if self.evidence_dir is None:
            raise WorkbenchError("未设置证据文件夹")
        return EvidenceStore(self.evidence_dir)

    def adopt(self, other: Context) -> Context:
        """Take ``other``'s author, settings (a copy) and today on this context's connection, and
        return self: a long-lived worker context follows what the user set in the window since."""
        import copy

        from workbench.storage import audit

        if other.author != self.author:
            self.author = other.author
            audit.set_author(self.conn, self.author.device, self.author.name)
        if other.settings != self.settings:
            self.settings = copy.deepcopy(other.settings)
        if other.calendar_epoch != self._adopted_epoch:   # holidays imported, or another file chosen
            self.reload_calendar()
            self._adopted_epoch = other.calendar_epoch
        self.today_override = other.today_override
        return self

    def set_query_only(self, on: bool) -> None:
        """Refuse (``on``) or allow writes on this context's connection (``PRAGMA query_only``):
        the window writes nothing until the integrity check of a large database has passed."""
        self.conn.execute(f"PRAGMA query_only={1 if on else 0}")

    def stop_reads_when(self, check: Callable[[], bool], steps: int = 2000) -> None:
        """Let ``check()`` stop a running read: it is called every ``steps`` SQLite steps on the
        connection's thread, and a true answer makes the running statement raise
        ``sqlite3.OperationalError('interrupted')`` (gui/reader.py stops superseded reads so)."""
        self.conn.set_progress_handler(lambda: 1 if check() else 0, steps)

    @contextmanager
    def cancellable(self, cancel: threading.Event | None) -> Iterator[None]:
        """Inside the block, setting ``cancel`` (from any thread) stops the running statement
        within :data:`CANCEL_CHECK_STEPS` SQLite steps; the block then raises
        ``domain.progress.Cancelled``. With ``cancel`` None the block runs as it is. Meant for
        read-only work (a write is rolled back by its transaction)."""
        if cancel is None:
            yield
            return
        from workbench.domain.progress import Cancelled, check_cancel

        check_cancel(cancel)
        self.stop_reads_when(cancel.is_set, CANCEL_CHECK_STEPS)
        try:
            yield
        except sqlite3.OperationalError as err:
            if cancel.is_set():
                raise Cancelled() from err
            raise
        finally:
            self.conn.set_progress_handler(None, 0)

    def close(self) -> None:
        """Close the context's connection (a worker's context when its task ends; the window's on exit)."""
        self.conn.close()

    def with_connection(self, conn: sqlite3.Connection) -> Context:
        """The same context on another connection (for a worker thread)."""
        return replace(self, conn=conn)


def preload_for_writes() -> None:
    """Import what the first save needs (sqlite-utils, which loads numpy: about 0.3 s) ahead of
    it; the window runs this on its reader thread once the first screen shows, so neither the
    window's opening nor the first Ctrl+Enter waits for the import."""
    import sqlite_utils  # noqa: F401


def explain_database_error(err: BaseException) -> str | None:
    """A Chinese sentence for a database error (locked, read-only, disk full, damaged…), None
    for any other error (so callers outside services never need to know about sqlite3)."""
    if isinstance(err, sqlite3.Error):
        return describe_error(err)
    return None


def describe_database_error(err: BaseException, db: str | Path | None) -> str:
    """describe_error's sentence; for a damaged file ``db`` the one message that names the file
    and its newest good backup (storage.backup.damaged_message)."""
    from workbench.storage.backup import damaged_message
    from workbench.storage.connection import is_damaged

    if isinstance(err, sqlite3.Error) and db is not None and str(db) != ":memory:" and is_damaged(err):
        return damaged_message(db, err)
    return describe_error(err) if isinstance(err, sqlite3.Error) else str(err)


def load_calendar(holiday_file: str):
    """The working-day calendar: the bundled holiday data plus the user's ``holiday_file`` (a
    path, or "" for none). Reads files: the window calls it off the GUI thread.

    Raises:
        InputFileError: a holiday file is unreadable or malformed (the message names it and, for
            the user's file, how to replace or drop it).
    """
    from workbench.domain.calendar import WorkCalendar
    from workbench.errors import InputFileError
    from workbench.paths import resources_dir

    user_file = Path(holiday_file) if holiday_file else None
    try:
        return WorkCalendar.load(user_file, bundled_dir=resources_dir() / "holidays")
    except InputFileError as err:
        if user_file is None or err.path != str(user_file):
            raise
        raise InputFileError(       # a damaged or removed file would stop every deadline: say how out
            f"{err}。这是“设置”中选用的节假日安排文件：请在“工具 › 导入节假日安排”中重新导入，"
            "或从设置文件中删去 holiday_file 一项") from err
