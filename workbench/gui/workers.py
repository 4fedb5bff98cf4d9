"""Running long use cases off the UI thread, with progress and cancel (QRunnable + QThreadPool).

A task is a plain function ``fn(ctx, cancel, on_progress) -> result`` from the services layer.
The worker opens its own SQLite connection (a connection belongs to one thread), runs the task,
and reports through queued signals; it never touches widgets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from workbench.domain.progress import Progress

log = logging.getLogger(__name__)

Task = Callable[[Any, threading.Event, Callable[[Progress], None]], Any]


class WorkerSignals(QObject):
    """Signals of one worker: ``progress(Progress)``, ``finished(result)``, ``failed(exception)``."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)


class TaskWorker(QRunnable):
    """Runs ``task`` on a pool thread with a context opened by ``open_ctx()`` (closed afterwards).

    Attributes:
        title: what the task does, in Chinese (shown in the progress panel and the close prompt).
        background: True for a task the user did not start (closing cancels it without asking).
    """

    def __init__(self, task: Task, open_ctx: Callable[[], Any], title: str = "", background: bool = False):
        super().__init__()
        self.title, self.background = title, background
        self.setAutoDelete(False)
        self.task = task
        self.open_ctx = open_ctx
        self.cancel = threading.Event()
        self.signals = WorkerSignals()
        self.done = threading.Event()

    def run(self) -> None:  # noqa: D102 - QRunnable override
        ctx = None
        try:
            ctx = self.open_ctx()
            result = self.task(ctx, self.cancel, self.signals.progress.emit)
        except Exception as err:  # reported to the GUI thread, which shows a clear message
            if not _expected(err):
                log.exception("background task failed")
            self.signals.failed.emit(err)
        else:
            self.signals.finished.emit(result)
        finally:
            if ctx is not None:
                ctx.close()
            self.done.set()


def _expected(err: Exception) -> bool:
    from workbench.domain.progress import Cancelled
    from workbench.errors import WorkbenchError

    return isinstance(err, (WorkbenchError, Cancelled))
