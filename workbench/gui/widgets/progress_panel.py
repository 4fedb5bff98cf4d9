"""The non-modal progress strip of the main window: bar, message, rows per second, ETA, 取消."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from workbench.domain.progress import Progress
from workbench.gui.session import Session


def duration_text(seconds: float) -> str:
    """A remaining time in Chinese: ``8 秒``, ``2 分 05 秒``, ``1 小时 03 分`` (rounded up to a second)."""
    whole = max(0, math.ceil(seconds))
    if whole < 60:
        return f"{whole} 秒"
    if whole < 3600:
        return f"{whole // 60} 分 {whole % 60:02d} 秒"
    return f"{whole // 3600} 小时 {whole % 3600 // 60:02d} 分"


def rate_text(done: int, total: int, elapsed: float) -> str:
    """``1,234 行/秒，预计剩余 2 分 05 秒``: units per second over ``elapsed`` seconds, and the
    remaining time at that rate when ``total`` is known (> 0); '' while nothing is measurable."""
    if done <= 0 or elapsed <= 0:
        return ""
    rate = done / elapsed
    text = f"{rate:,.0f} 行/秒"
    if total > 0:
        text += f"，预计剩余 {duration_text(max(0, total - done) / rate)}"
    return text


class ProgressPanel(QWidget):
    """Shows the running background task of ``session`` and lets the user cancel it.

    Driven by ``session.task_started`` / ``task_progress`` / ``task_ended``; hidden when idle.
    When several tasks run, the latest one is shown and 取消 cancels all of them. The rate and
    remaining time are measured per phase: a report with another total, or fewer done than the
    last one, starts a new phase (an import reads rows, then writes them).
    """

    clock = staticmethod(time.monotonic)  # seconds; tests replace it

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._titles: list[str] = []
        self._started = 0.0
        self._phase: tuple[int, int] = (0, 0)  # (total, done at the phase's start)
        self._last_done = 0
        self._build_ui()
        self._connect_signals()
        self.hide()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title_label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.message_label = QLabel()
        self.rate_label = QLabel()
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setToolTip("取消正在进行的操作（数据库保持原样）")
        for w in (self.title_label, self.bar, self.message_label, self.rate_label, self.cancel_button):
            layout.addWidget(w)

    def _connect_signals(self) -> None:
        self.session.task_started.connect(self.on_started)
        self.session.task_progress.connect(self.on_progress)
        self.session.task_ended.connect(self.on_ended)
        self.cancel_button.clicked.connect(self.cancel)

    @Slot(str, object)
    def on_started(self, title: str, _worker=None) -> None:
        """A task began: show it with an indeterminate bar."""
        self._titles.append(title)
        self._restart(0, 0)
        self.title_label.setText(title)
        self.message_label.setText("正在准备…")
        self.rate_label.clear()
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()

    def _restart(self, total: int, done: int) -> None:
        self._started = self.clock()
        self._phase = (total, done)
        self._last_done = done

    @Slot(object)
    def on_progress(self, progress: Progress) -> None:
        """Update bar, message, rows per second and 预计剩余 from a Progress report."""
        if progress.total > 0:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(min(progress.done, progress.total))
        else:
            self.bar.setRange(0, 0)
        if self.cancel_button.isEnabled():  # while cancelling, keep saying so
            self.message_label.setText(progress.message)
        if progress.total != self._phase[0] or progress.done < self._last_done:
            self._restart(progress.total, progress.done)
        self._last_done = progress.done
        elapsed = self.clock() - self._started
        if elapsed > 0.2:
            start = self._phase[1]
            self.rate_label.setText(rate_text(progress.done - start, progress.total - start, elapsed))

    @Slot(str)
    def on_ended(self, title: str) -> None:
        """A task finished, failed or was cancelled: hide when none is left."""
        if title in self._titles:
            self._titles.remove(title)
        if self._titles:
            self.title_label.setText(self._titles[-1])
        else:
            self.hide()

    @Slot()
    def cancel(self) -> None:
        """Ask every running task to stop; they end with 已取消 and leave the database as it was."""
        for worker in list(self.session.workers):
            worker.cancel.set()
        self.message_label.setText("正在取消…")
        self.cancel_button.setEnabled(False)
