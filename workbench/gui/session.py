"""The GUI's handle on one open database: services context, dialogs, and background tasks."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from workbench.app import open_context, settings_path
from workbench.domain.progress import Cancelled
from workbench.errors import InspectorMissingError, WorkbenchError, describe_os_error
from workbench.gui.dialogs import Dialogs
from workbench.gui.reader import Reader
from workbench.gui.refresh import TOPICS, Refresher, check_topics
from workbench.gui.workers import Task, TaskWorker
from workbench.paths import AppPaths
from workbench.services import thread_guard
from workbench.services.context import Context, describe_database_error, explain_database_error

log = logging.getLogger(__name__)


class Session(QObject):
    """One open database in the window.

    Attributes:
        paths: the user's folders; ``db_path`` the open database file.
        ctx: the GUI thread's services context (its connection is used only on the GUI thread).
        dialogs: every dialog goes through this (tests pass ScriptedDialogs).
        campaign_id: the campaign chosen in the toolbar (None before one exists).

    Signals:
        campaign_changed(str|None); changed(frozenset of topics) after a write (see
        gui/refresh.py: each screen refreshes for its topics only, and only when visible);
        task_started(str title, TaskWorker); task_progress(Progress); task_ended(str title);
        inspector_needed() when a write was refused because no inspector name is set;
        saving_changed(tuple of titles) as a save (:meth:`write`) starts or ends.
    """

    campaign_changed = Signal(object)
    changed = Signal(object)
    task_started = Signal(str, object)
    task_progress = Signal(object)
    task_ended = Signal(str)
    inspector_needed = Signal()
    saving_changed = Signal(object)

    def __init__(self, paths: AppPaths, db_path: Path, dialogs: Dialogs, ctx: Context | None = None,
                 inline_reads: bool = False):
        super().__init__()
        self.paths = paths
        self.db_path = Path(db_path)
        self.dialogs = dialogs
        self.ctx = ctx or open_context(self.db_path, paths)
        # any SQL the window's code runs on the GUI thread is logged (and counted by --smoke and tests)
        thread_guard.watch(self.ctx)
        thread_guard.watch_new_connections()
        self.campaign_id: str | None = None
        #: exports include personal data in full (文件 menu tick; off at every start)
        self.include_personal_data = False
        self.pool = QThreadPool.globalInstance()
        self.workers: list[TaskWorker] = []
        self.read_only = False   # set when another window has the database (gui/application.py)
        self.lock = None         # this window's QLockFile on the database, held while open
        self.reader = Reader(self.open_worker_context, lambda err: self.show_error("读取数据", err),
                             inline=inline_reads)
        # saves (a review, a finding's action…) run one at a time on the writer's thread and connection
        self.writer = Reader(self._open_writer_context, lambda err: self.show_error("保存", err),
                             inline=inline_reads)
        #: titles of the saves under way (a view disables its save while its own one runs)
        self.saving: list[str] = []

    #: True while the integrity check of the open database runs (writes are refused meanwhile)
    checking = False
    _after_check: list[Callable[[], None]] = []

    def after_check(self, fn: Callable[[], None]) -> None:
        """Call ``fn()`` now, or once the integrity check running after opening has passed
        (never if it fails): e.g. the start-of-day backup, which then copies a checked file
        and leaves the disk to the first screens while they read."""
        if self.checking:
            self._after_check = [*self._after_check, fn]
        else:
            fn()

    def check_integrity(self, failed_marker: Path) -> None:
        """Run ``PRAGMA quick_check`` of the open database on a worker while the window is used;
        refuse writes until it passes. When it fails the window stays read-only, says why, and
        ``failed_marker`` is written so the next start checks first and offers a backup. An answer
        arriving after :meth:`close` is dropped (the marker is still written, by the worker).

        The check starts behind the reads queued by the first event-loop turn (the first screen's,
        when a window was shown meanwhile): on two cores it would otherwise slow the first rows."""
        from workbench.services import integrity

        self.checking = True
        with thread_guard.allowed():   # a pragma, no data: the window's own writes wait for the check
            self.ctx.set_query_only(True)
        db = self.db_path

        def passed(problems: list[str]) -> None:
            self.checking = False
            waiting, self._after_check = self._after_check, []
            if not problems:
                with thread_guard.allowed():
                    self.ctx.set_query_only(False)
                self.reader.reopen()   # opened read-only while the check ran: writable again
                for fn in waiting:
                    fn()
                return
            log.warning("quick_check of %s failed after opening: %s", db, problems[:3])
            self.read_only = True
            self.dialogs.warn("数据库已损坏", f"数据库 {db} 未通过完整性检查（{problems[0]}），为免损坏扩大，"
                              "本窗口不会写入它。\n请关闭窗口后重新打开：打开时将提供用最新的完好备份恢复。")

        def check(_ctx, cancel, _progress) -> list[str]:   # on a worker; the marker is left even
            problems = integrity.quick_check(db, cancel)    # when the window closed meanwhile
            if problems:
                _write_marker(failed_marker, problems)
            return problems

        def start() -> None:
            if not self.closed:
                self.run_task("检查数据库完整性", check, passed, background=True)

        QTimer.singleShot(0, self, lambda: self.read(lambda _ctx: None, lambda _none: start(), lambda _err: start()))

    def read(self, fn: Callable[[Context], Any], on_done: Callable[[Any], None],
             on_error: Callable[[Exception], None] | None = None, key: str | None = None,
             group: str | None = None) -> int:
        """Run the read ``fn(ctx)`` on the reader thread; ``on_done(result)`` back on the GUI thread.

        A newer read with the same ``key`` supersedes an older one; ``drop_reads(group)`` drops
        every pending read of a ``group`` (gui/reader.py).
        """
        return self.reader.read(fn, on_done, on_error, key, group)

    def read_ahead(self, key: str, fn: Callable[[Context], Any]) -> None:
        """Start the read ``fn(ctx)`` that the next :meth:`read` of ``key`` will ask for (the first
        screen's, before the window is built); forgotten when data change (:meth:`notify`). The
        reader of ``key`` checks that the answer is for what it shows (the campaign: gui/reader.py)."""
        self.reader.read_ahead(key, fn)

    def write(self, title: str, fn: Callable[[Context], Any], on_done: Callable[[Any], None],
              on_error: Callable[[Exception], None] | None = None) -> bool:
        """Run the save ``fn(ctx)`` on the writer thread (its own connection; saves run in order);
        ``on_done(result)`` back on the GUI thread. A failure is shown under ``title`` (Chinese,
        :meth:`show_error`) unless ``on_error`` takes it. ``saving_changed`` is emitted as the
        save starts and ends.

        Returns:
            False when the save was refused at once (read-only window, integrity check running:
            the reason is shown), else True.
        """
        if not self._may_write(title):
            return False
        self.saving.append(title)
        self.saving_changed.emit(tuple(self.saving))

        def ended(handler, value) -> None:
            self.saving.remove(title)
            self.saving_changed.emit(tuple(self.saving))
            handler(value)

        self.writer.read(lambda ctx: fn(ctx.adopt(self.ctx)), lambda result: ended(on_done, result),
                         lambda err: ended(on_error or (lambda e: self.show_error(title, e)), err))
        return True

    def prepare_writes(self) -> None:
        """Open the writer's connection and import what a save needs, on the writer thread, ahead
        of the first save (a screen that saves calls this when first shown)."""
        if not self._writer_ready:
            from workbench.services.context import preload_for_writes

            self._writer_ready = True
            self.writer.read(lambda _ctx: preload_for_writes(), lambda _done: None)

    _writer_ready = False

    def with_calendar(self, title: str, then: Callable[[Any], None],
                      on_error: Callable[[Exception], None] | None = None) -> None:
        """Call ``then(calendar)`` with the working-day calendar: at once when it is in memory,
        else once it is loaded on the reader thread (holiday files are read there, never on the
        GUI thread; kept for the session). A bad holiday file is shown under ``title`` unless
        ``on_error`` takes it."""
        from workbench.services.context import load_calendar

        if self.ctx.calendar_loaded:
            then(self.ctx.calendar)
            return
        holiday_file, epoch = self.ctx.settings.holiday_file, self.ctx.calendar_epoch

        def loaded(calendar) -> None:
            if self.ctx.calendar_epoch == epoch and self.ctx.settings.holiday_file == holiday_file:
                self.ctx.set_calendar(calendar)   # unless another holiday file was chosen meanwhile
            then(calendar)

        self.read(lambda _ctx: load_calendar(holiday_file), loaded,
                  on_error or (lambda err: self.show_error(title, err)))

    def prepare_calendar(self) -> None:
        """Load the working-day calendar on the reader thread ahead of its first use (a screen whose
        dialogs count deadlines calls this when it reads); a bad file is told when it is used."""
        if self.ctx.calendar_loaded or self._calendar_asked == self.ctx.calendar_epoch:
            return
        self._calendar_asked = self.ctx.calendar_epoch
        self.with_calendar("节假日安排", lambda _calendar: None,
                           lambda err: log.warning("holiday calendar not loaded ahead: %s", err))

    _calendar_asked = -1   # the calendar_epoch prepare_calendar last asked for

    def write_and_wait(self, title: str, fn: Callable[[Context], Any]) -> tuple[bool, Any]:
        """Run the save ``fn(ctx)`` on the writer thread and wait for it: only where the user
        waits anyway (the 保存 answer when leaving unsaved work). Returns (True, result), or
        (False, None) after showing why it failed."""
        if not self._may_write(title):
            return False, None
        try:
            return True, self.writer.call(lambda ctx: fn(ctx.adopt(self.ctx)))
        except Exception as err:  # shown like every failed save; the caller keeps the form
            self.show_error(title, err)
            return False, None

    def _may_write(self, title: str) -> bool:
        if self.checking:
            self.dialogs.warn(title, "正在检查数据库完整性（大型数据库需要几秒钟），检查通过后即可保存。请稍后再试。")
            return False
        return True

    def _open_writer_context(self) -> Context:
        return open_context(self.db_path, self.paths, today=self.ctx.today_override,
                            inspector=self.ctx.author.name or None, read_only=self.read_only)

    def drop_reads(self, group: str) -> None:
        """Drop the pending reads of ``group`` (skipped, stopped if running, never delivered)."""
        self.reader.drop(group)

    def open_worker_context(self) -> Context:
        """A new context on its own connection, for a worker thread, with a copy of the
        settings in use (the user may have filled some in just now)."""
        ctx = open_context(self.db_path, self.paths, today=self.ctx.today_override,
                           inspector=self.ctx.author.name or None, read_only=self.read_only or self.checking)
        ctx.settings = copy.deepcopy(self.ctx.settings)
        return ctx

    def is_database(self, path: Path) -> bool:
        """Whether ``path`` is the open database or one of its companion files (never an export)."""
        from workbench.services.output_paths import is_database_file

        return is_database_file(path, self.db_path)

    def notify(self, *topics: str) -> None:
        """Announce that data of ``topics`` (gui.refresh.TOPICS) changed; screens showing it refresh.

        Raises:
            ValueError: an unknown topic.
        """
        topics = check_topics(topics)
        self.reader.forget_ahead()
        self.changed.emit(topics)

    def notify_all(self) -> None:
        """Everything may have changed (F5, demo data): every screen re-reads when shown."""
        self.reader.forget_ahead()
        self.changed.emit(TOPICS)

    def watch(self, view, topics, refresh, campaign: bool = True) -> Refresher:
        """Call ``refresh()`` of ``view`` when ``topics`` (or the campaign) change, when visible."""
        return Refresher(self, view, topics, refresh, campaign)

    def set_campaign(self, campaign_id: str | None) -> None:
        """Choose the campaign every view shows."""
        if campaign_id != self.campaign_id:
            self.campaign_id = campaign_id
            self.campaign_changed.emit(campaign_id)

    def save_settings(self) -> None:
        """Write the settings (after the user changed them)."""
        self.ctx.settings.save(settings_path(self.paths))

    def remember_folder(self, path: Path) -> None:
        """Remember the folder of a chosen file as the next dialog's starting folder."""
        folder = path if path.is_dir() else path.parent
        self.ctx.settings.last_folder = str(folder)
        try:
            self.save_settings()
        except OSError as err:
            log.warning("could not save settings: %s", err)

    @property
    def last_folder(self) -> str:
        """The folder the next file dialog starts in."""
        return self.ctx.settings.last_folder or str(Path.home())

    def run_task(
        self, title: str, task: Task, on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None, background: bool = False,
    ) -> TaskWorker:
        """Run ``task(ctx, cancel, on_progress)`` in the background; ``on_done(result)`` on success.

        Failures show a clear message (WorkbenchError text, or "已取消"); ``on_error`` replaces that.
        A result or failure that arrives after :meth:`close` is dropped (logged): the window that
        asked is gone. ``background``: a task the user did not start (the integrity check, the
        start-of-day backup…); closing the window cancels it without asking (:meth:`user_tasks`).
        """
        worker = TaskWorker(task, self.open_worker_context, title, background)
        self.workers.append(worker)
        worker.signals.progress.connect(self.task_progress)
        worker.signals.finished.connect(lambda result: self._ended(worker, title, on_done, result))
        worker.signals.failed.connect(lambda err: self._failed(worker, title, on_error, err))
        self.task_started.emit(title, worker)
        self.pool.start(worker)
        return worker

    def user_tasks(self) -> list[str]:
        """Titles of the running tasks the user started (an import, a document batch, an export):
        the window asks before closing cancels them."""
        return [w.title for w in self.workers if not w.background]

    def _ended(self, worker: TaskWorker, title: str, on_done, result) -> None:
        self._forget(worker, title)
        if self.closed:
            log.info("%s finished after the window closed; its result is dropped", title)
            return
        on_done(result)

    def _failed(self, worker: TaskWorker, title: str, on_error, err: Exception) -> None:
        self._forget(worker, title)
        if self.closed:   # cancelled by closing (or failed meanwhile): no window left to tell
            log.info("%s ended after the window closed: %r", title, err)
            return
        if on_error is not None:
            on_error(err)
        elif isinstance(err, Cancelled):
            self.dialogs.info(title, "已取消，数据库未作任何改动。")
        else:
            self.show_error(title, err)

    def _forget(self, worker: TaskWorker, title: str) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
        self.task_ended.emit(title)

    def show_error(self, title: str, err: Exception) -> None:
        """Show an error as one clear sentence; unexpected errors point to the log. A write refused
        for want of the inspector's name also emits ``inspector_needed`` (the window opens 设置)."""
        if self.checking and explain_database_error(err) is not None:
            self.dialogs.warn(title, "正在检查数据库完整性（大型数据库需要几秒钟），检查通过后即可保存。请稍后再试。")
        elif isinstance(err, InspectorMissingError):
            self.dialogs.warn(title, str(err))
            self.inspector_needed.emit()
        elif isinstance(err, WorkbenchError):
            self.dialogs.warn(title, str(err))
        elif explain_database_error(err) is not None:
            log.warning("database error in %s: %s", title, err)
            self.dialogs.warn(title, describe_database_error(err, self.db_path))
        elif isinstance(err, OSError):
            log.warning("error in %s", title, exc_info=err)
            self.dialogs.warn(title, describe_os_error(err))
        else:
            log.error("unexpected error in %s", title, exc_info=err)
            self.dialogs.warn(title, f"发生意外错误：{err}\n详情已记录在日志（{self.paths.log_dir}）。")

    def cancel_all(self, wait_ms: int = 10000) -> None:
        """Cancel every running task and wait for them (window closing)."""
        for worker in list(self.workers):
            worker.cancel.set()
        for worker in list(self.workers):
            worker.done.wait(wait_ms / 1000)

    #: True once :meth:`close` ran: late results of workers are dropped, nothing new starts
    closed = False

    def close(self) -> None:
        """Cancel tasks, stop the reader and close the database connections."""
        self.closed = True
        self.cancel_all()
        self.writer.close(finish=True)
        self.reader.close()
        self.ctx.close()
        if self.lock is not None:
            self.lock.unlock()


def _write_marker(marker: Path, problems: list[str]) -> None:
    """Leave the failed check's first problems beside the database (the next start checks first)."""
    try:
        marker.write_text("\n".join(problems[:20]), encoding="utf-8")
    except OSError as err:
        log.warning("cannot write %s: %s", marker, err)
