"""Python's cyclic garbage collector run on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate when a threshold is
crossed: often a worker thread (the demo build, an import). Collecting there can free PySide
wrappers of widgets the GUI thread already deleted, which ends the process with a segmentation
fault (seen in the demo build at the first start). Here automatic collection is switched off
and a timer on the GUI thread collects instead, by the same generation thresholds
(the pattern pyqtgraph's ``GarbageCollector`` uses for the same reason).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500   # how often the counts are checked; a check costs microseconds


class MainThreadGC(QObject):
    """Disables automatic ``gc`` and collects from a GUI-thread timer. Keep a reference (the
    application holds it as ``_main_thread_gc``); ``stop()`` enables automatic collection again."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold; returns the number of
        objects found unreachable (0 when nothing was due)."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                return gc.collect(generation)
        return 0

    def stop(self) -> None:
        """Stop the timer and give collection back to Python."""
        self.timer.stop()
        gc.enable()


def install(app: QObject) -> MainThreadGC:
    """Install once per application (a second call returns the first)."""
    existing = getattr(app, "_main_thread_gc", None)
    if existing is None:
        existing = MainThreadGC(app)
        app._main_thread_gc = existing
    return existing
