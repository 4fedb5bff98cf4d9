"""Reads run on the reader thread: results by signal, stale results dropped, the window live."""

from __future__ import annotations

import threading

import pytest

from workbench.gui.models.site_table_model import SiteTableModel
from workbench.gui.session import Session
from workbench.services.demo_scale import build_scale_demo


@pytest.fixture
def live_session(qtbot, app_paths, dialogs, tmp_path):
    """A Session whose reads really run on the reader thread (the window's mode)."""
    from workbench.app import open_context

    db = tmp_path / "live.sqlite3"
    ctx = open_context(db, app_paths, inspector="测试")
    made = build_scale_demo(ctx, sites=1000, findings=30)
    s = Session(app_paths, db, dialogs, ctx=ctx)
    s.set_campaign(made.campaign_id)
    yield s
    s.close()


def test_reads_run_off_the_gui_thread_and_come_back_on_it(qtbot, live_session):
    threads, got = [], []
    live_session.read(lambda ctx: threads.append(threading.current_thread()) or 7,
                      lambda value: got.append((value, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(got))
    assert threads[0] is not threading.main_thread()
    assert got == [(7, threading.main_thread())]


def test_a_newer_read_of_the_same_key_drops_the_older_result(qtbot, live_session):
    got, gate = [], threading.Event()
    live_session.read(lambda ctx: gate.wait(5) and "old", got.append, key="k")
    live_session.read(lambda ctx: "new", got.append, key="k")
    gate.set()
    qtbot.waitUntil(lambda: not live_session.reader.busy)
    assert got == ["new"]


def test_a_failed_read_reaches_its_error_handler(qtbot, live_session):
    errors = []
    live_session.read(lambda ctx: 1 / 0, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)


def test_site_model_counts_then_fills_pages_by_signal(qtbot, live_session):
    model = SiteTableModel(live_session)
    with qtbot.waitSignal(model.counted, timeout=10000) as counted:
        model.set_campaign(live_session.campaign_id)
    assert counted.args == [1000] and model.rowCount() == 1000
    assert model.index(999, 0).data() is None          # asked for, not read on the GUI thread
    with qtbot.waitSignal(model.dataChanged, timeout=10000):
        pass
    assert model.index(999, 0).data() and model.is_loaded(999)
    with qtbot.waitSignal(model.counted, timeout=10000):
        model.set_filter("门户网站1")
    assert 0 < model.rowCount() < 1000


def test_a_read_started_ahead_answers_the_next_read_of_its_key(qtbot, live_session):
    """The first screen's read starts before the window is built (overview_view.read_ahead)."""
    gate, ran, got = threading.Event(), [], []
    live_session.read_ahead("first", lambda ctx: gate.wait(5) and "ahead")
    live_session.read(lambda ctx: ran.append("own") or "own", got.append, key="first")   # still running ahead
    gate.set()
    qtbot.waitUntil(lambda: bool(got))
    assert got == ["ahead"] and ran == []
    live_session.read_ahead("second", lambda ctx: "ahead")
    qtbot.waitUntil(lambda: not live_session.reader.busy)
    live_session.read(lambda ctx: "own", got.append, key="second")   # answered already: delivered later
    assert got == ["ahead"]
    qtbot.waitUntil(lambda: len(got) == 2)
    assert got == ["ahead", "ahead"]
    live_session.read(lambda ctx: "own", got.append, key="second")   # taken once
    qtbot.waitUntil(lambda: len(got) == 3)
    assert got[-1] == "own"


def test_a_change_forgets_what_was_read_ahead(qtbot, live_session):
    got = []
    live_session.read_ahead("k", lambda ctx: "ahead")
    live_session.notify("sites")
    live_session.read(lambda ctx: "own", got.append, key="k")
    qtbot.waitUntil(lambda: bool(got))
    assert got == ["own"]
    live_session.read_ahead("k", lambda ctx: 1 / 0)
    errors = []
    live_session.read(lambda ctx: "own", got.append, errors.append, key="k")
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)
