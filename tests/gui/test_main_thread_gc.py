"""Cyclic garbage is collected on the GUI thread only (workbench/gui/main_thread_gc.py)."""

from __future__ import annotations

import gc
import threading

from workbench.gui import main_thread_gc


class _Cycle:
    def __init__(self):
        self.me = self


def test_create_application_moves_collection_to_the_gui_thread(qapp, gc_on_gui_thread):
    from workbench.gui.application import create_application

    assert create_application() is qapp
    assert main_thread_gc.install(qapp) is gc_on_gui_thread
    assert not gc.isenabled()


def test_a_worker_thread_allocating_never_collects(qapp, qtbot, gc_on_gui_thread):
    threads: list[int] = []

    def record(phase, _info):
        if phase == "start":
            threads.append(threading.get_ident())

    def allocate():
        for _ in range(50_000):   # far past generation 0's threshold (700)
            _Cycle()

    gc.callbacks.append(record)
    try:
        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert threads == []          # Python's own collection would have run in the worker
        qtbot.waitUntil(lambda: bool(threads), timeout=5000)   # the GUI-thread timer collects instead
        assert set(threads) == {threading.get_ident()}
    finally:
        gc.callbacks.remove(record)


def test_stop_gives_collection_back(qapp):
    guard = main_thread_gc.MainThreadGC()
    assert not gc.isenabled()
    guard.stop()
    assert gc.isenabled()
