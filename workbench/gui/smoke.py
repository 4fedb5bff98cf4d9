"""``workbench gui --db DB --smoke``: drive the real window like a user and time it.

Opens the window (offscreen works) and times it to 概览's first rows (``open_from_spawn_ms``: the
smoke builds no screen before them, so it times what a user's window does), waits until the window
has built its other screens (``screens_built_ms``), visits every screen and waits until each shows
its first rows, types a filter into the site list one key at a time, sorts by two columns, scrolls to the
end, then prints one JSON line and exits 0 (1 when a step timed out). Times are milliseconds of
wall-clock time; ``stall_ms`` is the longest gap seen between ticks of a 5 ms heartbeat timer on
the GUI thread, i.e. the longest the window was frozen; ``gui_thread_sql`` counts the SQL statements
the window's code ran on the GUI thread (services/thread_guard.py), with their places when any. Waiting is done by polling from the event
loop (never by sleeping), so workers keep delivering results while a step waits.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from workbench.gui.main_window import FINDINGS, OVERVIEW, REVIEW, SITES
from workbench.services import thread_guard

HEARTBEAT_MS = 5
STEP_TIMEOUT_S = 60
FILTER_TEXT = "门户"   # typed one key at a time, then the terms below
EXTRA_TERMS = ("com", "鲁ICP备1000")
#: Set by benchmarks/bench_scale.py: the parent's time.time() at spawn (open_from_spawn_ms).
T0_ENV = "WORKBENCH_T0"
#: When set, also time Ctrl+Enter on the review screen (saves one review: scratch databases only).
REVIEW_ENV = "WORKBENCH_SMOKE_REVIEW"


class Heartbeat(QObject):
    """A timer on the GUI thread; ``longest_ms`` is the longest gap between two of its ticks."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.longest_ms = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000 - HEARTBEAT_MS
        self.longest_ms = max(self.longest_ms, gap)
        self.step_longest_ms = max(self.step_longest_ms, gap)
        self._last = now

    step_longest_ms = 0.0   # the longest gap since take_step() (which step froze the window)

    def take_step(self) -> float:
        """The longest gap since the last call (ms), and start again."""
        gap, self.step_longest_ms = self.step_longest_ms, 0.0
        return gap

    def reset(self) -> None:
        """Start measuring afresh (after the window first painted)."""
        self._last = time.perf_counter()
        self.longest_ms = 0.0


def _sort(table, column: int, order: str) -> None:
    """Sort ``table`` by ``column`` in Qt.SortOrder ``order``. Qt's namespace is looked up here, not
    imported with this module: PySide builds it (13 ms) at first use, and the smoke run must not
    add that to the window's opening, which no longer needs it before the first rows."""
    from PySide6 import QtCore

    table.sortByColumn(column, getattr(QtCore.Qt, order))


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


class SmokeRun:
    """The scripted visit; :meth:`start` begins it, ``app.exec()`` returns when it is done."""

    def __init__(self, app, window, started_at: float):
        self.app, self.window, self.started_at = app, window, started_at
        self.heartbeat = Heartbeat()
        self.result: dict = {"ok": True}
        self._reviewed: str | None = None
        self._filter_started: tuple[str, float] | None = None
        self._counts_watched = False
        self.steps: list[tuple[str, Callable[[], None], Callable[[], bool]]] = []

    # --- conditions: "the screen shows its first rows" -----------------------------------------
    def _shown(self, view) -> bool:
        w = self.window
        if getattr(view, "loading", False):
            return False
        refresher = getattr(view, "refresher", None)
        if refresher is not None and refresher.stale:
            return False
        index = w.stack.indexOf(view)   # by position: asking w.sites_view & co. would build them
        if index == OVERVIEW:
            return any(label.text() != "—" for label in view.values.values())
        if index == SITES:
            return view.model.rowCount() > 0 and view.model.index(0, 0).data() is not None
        if index == REVIEW:
            return view.site_id is not None
        if index == FINDINGS:
            return view.model.rowCount() > 0
        if hasattr(view, "sponsor_model"):   # 文书 (built when first shown)
            return view.sponsor_model.rowCount() > 0
        return True   # inspections: may hold none in a scale database

    def _table_settled(self) -> bool:
        view = self.window.sites_view
        model = view.model
        return not getattr(model, "loading", False) and (
            model.rowCount() == 0 or model.index(0, 0).data() is not None)

    # --- the script ------------------------------------------------------------------------------
    def start(self) -> None:
        """Queue the steps and run them one after another from the event loop."""
        w = self.window
        self._wait("open", lambda: None, lambda: self._shown(w.stack.currentWidget()), since=self.started_at)
        # then, as a user reading 概览 would, let the window build its other screens (one per
        # event-loop turn) before visiting them; the screens are looked up as each step runs:
        # asking for one here would build it before the first rows, as the window does not
        self._wait("screens_built", lambda: None, lambda: w.screens_built)
        self.result["screens"] = {}
        for index in range(w.stack.count()):   # a screen may be built when first shown: look it up then
            name = w.nav.model().index(index).data()
            self._wait(f"screen:{name}", lambda i=index: w.show_screen(i), lambda i=index: self._shown(w.stack.widget(i)))
        def sites():
            return w.sites_view

        self._wait("screen:网站(again)", lambda: w.show_screen(1), lambda: self._shown(sites()))
        keys = [*FILTER_TEXT]
        for i in range(len(keys)):
            self._wait(f"filter:{''.join(keys[:i + 1])}", lambda k=keys[i]: self._type(k), self._table_settled)
        for term in EXTRA_TERMS:
            self._wait(f"filter:{term}", lambda t=term: self._set_filter(t), self._table_settled)
        self._wait("filter:clear", lambda: self._set_filter(""), self._table_settled)
        for column in (3, 1):   # 域名, 网站名称
            self._wait(f"sort:{column}", lambda c=column: _sort(sites().table, c, "AscendingOrder"), self._table_settled)
            self._wait(f"sort:{column}:desc", lambda c=column: _sort(sites().table, c, "DescendingOrder"),
                       self._table_settled)
        # the whole count is needed to scroll to the end (rows appear before it: paged_model.py)
        self._wait("count_wait", lambda: None, lambda: not getattr(sites().model, "counting", False))
        self._wait("scroll_end", self._scroll_end, self._last_row_shown)
        if os.environ.get(REVIEW_ENV):   # writes one review: only on a scratch database
            # a large database is checked after the window opens and takes writes once it passed
            self._wait("integrity_wait", lambda: None, lambda: not w.session.checking)
            self._wait("screen:核查(again)", lambda: w.show_screen(2), lambda: self._shown(w.review_panel))
            self._wait("review_next", self._save_and_next, lambda: w.review_panel.site_id != self._reviewed)
        QTimer.singleShot(0, self._next)

    def _save_and_next(self) -> None:
        """Ctrl+Enter on the review screen: all fields 一致, save, next unreviewed site shown."""
        review = self.window.review_panel
        self._reviewed = review.site_id
        review.mark_all_match()
        review.save_and_next()   # what Ctrl+Enter calls (an offscreen window has no keyboard focus)

    def _count_arrived(self, _n: int) -> None:
        """The site table's count is in: how long after its filter was applied (info: rows show first)."""
        if self._filter_started is not None:
            name, start = self._filter_started
            self._filter_started = None
            self.result.setdefault("filter_count_ms", {})[name] = _ms(start)

    def _watch_counts(self) -> None:
        """Note when the site table's counts arrive (from the first filter on: 网站 is built by
        then; asking for it earlier would build it before the window's first rows)."""
        if not self._counts_watched:
            self._counts_watched = True
            self.window.sites_view.model.counted.connect(self._count_arrived)

    def _type(self, key: str) -> None:
        self._watch_counts()
        box = self.window.sites_view.filter_box
        self._filter_started = (box.text() + key, time.perf_counter())
        box.insert(key)   # as typed (QTest.keyClicks cannot send Chinese characters)
        box.returnPressed.emit()   # apply now: the measured time is the query's, not the debounce's

    def _set_filter(self, text: str) -> None:
        self._watch_counts()
        box = self.window.sites_view.filter_box
        self._filter_started = (text or "clear", time.perf_counter())
        box.setText(text)
        box.returnPressed.emit()

    def _scroll_end(self) -> None:
        self.window.sites_view.table.scrollToBottom()

    def _last_row_shown(self) -> bool:
        model = self.window.sites_view.model
        last = model.rowCount() - 1
        return last < 0 or model.index(last, 0).data() is not None

    def _wait(self, name: str, action: Callable[[], None], done: Callable[[], bool], since: float | None = None):
        self.steps.append((name, action, done, since))

    def _next(self) -> None:
        if not self.steps:
            self._finish()
            return
        name, action, done, since = self.steps.pop(0)
        start = since if since is not None else time.perf_counter()
        action()
        self._poll(name, start, done)

    def _poll(self, name: str, start: float, done: Callable[[], bool]) -> None:
        if done():
            self._record(name, _ms(start))
            gap = self.heartbeat.take_step()
            if name != "open" and gap >= 50:   # which steps froze the window (ms), to find the cause
                self.result.setdefault("stalls_by_step", {})[name] = round(gap, 1)
            if name == "open":
                self.heartbeat.reset()
                self.heartbeat.take_step()
                t0 = os.environ.get(T0_ENV)
                if t0:   # the benchmark's spawn time: process start to first rows, whole process
                    self.result["open_from_spawn_ms"] = round((time.time() - float(t0)) * 1000, 1)
            QTimer.singleShot(0, self._next)
        elif time.perf_counter() - start > STEP_TIMEOUT_S:
            self.result["ok"] = False
            self._record(name, None)
            self._finish()
        else:
            QTimer.singleShot(1, lambda: self._poll(name, start, done))

    def _record(self, name: str, ms: float | None) -> None:
        kind, _, rest = name.partition(":")
        if kind == "screen":
            self.result["screens"][rest] = ms
        elif kind in ("filter", "sort"):
            self.result.setdefault(f"{kind}_ms", {})[rest] = ms
        else:
            self.result[f"{kind}_ms"] = ms

    def _finish(self) -> None:
        rows = self.window.sites_view.model.rowCount()
        keys = [v for v in self.result.get("filter_ms", {}).values() if v is not None]
        keys.sort()
        self.result["filter_p95_ms"] = keys[max(0, int(round(0.95 * len(keys))) - 1)] if keys else None
        self.result["sites"] = rows
        self.result["stall_ms"] = round(self.heartbeat.longest_ms, 1)
        # statements the window's code ran on the GUI thread (services/thread_guard.py; should be 0)
        self.result["gui_thread_sql"] = thread_guard.count()
        if thread_guard.count():
            self.result["gui_thread_sql_at"] = sorted({o.where for o in thread_guard.offences()})
        shown = getattr(self.window.session.dialogs, "shown", [])
        if shown:   # a smoke run answers no dialog: anything shown is worth reading
            self.result["dialogs"] = [f"{kind}:{title}" for kind, title, _text in shown]
        print(json.dumps(self.result, ensure_ascii=False), flush=True)
        self.window.close()
        self.app.exit(0 if self.result["ok"] else 1)


def run_smoke(app, window, started_at: float) -> SmokeRun:
    """Attach a :class:`SmokeRun` to an opened ``window``; the caller then runs ``app.exec()``."""
    run = SmokeRun(app, window, started_at)
    run.start()
    return run
