"""services/thread_guard.py: SQL run on the GUI thread from gui/ code is recorded, nothing else."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from workbench.services import thread_guard
from workbench.storage.connection import connect


def _as_gui_code(conn, sql: str = "SELECT 1") -> None:
    """Run ``sql`` from a function whose code lives (by its file name) in workbench/gui/."""
    code = compile(f"def handler(conn):\n    conn.execute({sql!r}).fetchall()\n",
                   thread_guard._GUI_DIR + "/views/fake_view.py", "exec")
    scope: dict = {}
    exec(code, scope)
    scope["handler"](conn)


@pytest.fixture
def watched():
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    thread_guard._watch_connection(conn)
    thread_guard.reset()
    yield conn
    conn.close()
    thread_guard.reset()


def test_gui_code_on_the_main_thread_is_an_offence(watched):
    _as_gui_code(watched, "SELECT 42")
    found = thread_guard.offences()
    assert thread_guard.count() == 1
    assert found[0].sql == "SELECT 42"
    assert found[0].where == "gui/views/fake_view.py:2 handler"
    assert "fake_view.py:2 handler  ×1  SELECT 42" in thread_guard.summary(found)


def test_other_threads_tests_and_allowed_blocks_are_not(watched):
    worker = threading.Thread(target=_as_gui_code, args=(watched,))
    worker.start()
    worker.join()
    watched.execute("SELECT 1")          # a test (or the CLI) calling services directly
    with thread_guard.allowed():
        _as_gui_code(watched)
    assert thread_guard.count() == 0


def test_connections_opened_on_the_main_thread_are_watched(tmp_path):
    thread_guard.watch_new_connections()
    thread_guard.reset()
    conn = connect(tmp_path / "x.sqlite3")
    try:
        _as_gui_code(conn)
    finally:
        conn.close()
    assert thread_guard.count() == 1
    thread_guard.reset()
