"""GUI test fixtures: a Session on a fresh database under tmp_path with scripted dialogs."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from wbtest import filled_settings
from workbench.app import open_context
from workbench.gui.dialogs import ScriptedDialogs
from workbench.paths import AppPaths

TODAY = date(2026, 11, 30)
INSPECTOR = "测试检查员"


@pytest.fixture(autouse=True)
def gc_on_gui_thread(qapp):
    """Cyclic garbage collected on the GUI thread only, as in the application (a collection in a
    worker thread freeing widgets of an earlier test crashed the suite); back to normal after."""
    from workbench.gui import main_thread_gc

    guard = main_thread_gc.install(qapp)
    yield guard
    guard.stop()
    del qapp._main_thread_gc
    gc.collect()   # this test's windows are freed here, on the GUI thread


@pytest.fixture
def app_paths(tmp_path):
    """User folders under tmp_path (nothing touches the real home folder)."""
    return AppPaths.for_user(tmp_path / "data")


@pytest.fixture
def dialogs():
    """Dialogs that answer from a queue: ``dialogs.answers.append(...)`` before the action."""
    return ScriptedDialogs()


@pytest.fixture
def session(qtbot, app_paths, dialogs, tmp_path):
    """A Session on ``tmp_path/wb.sqlite3`` whose "today" is 2026-11-30, written as INSPECTOR; closed after the test."""
    from workbench.gui.session import Session

    db = tmp_path / "wb.sqlite3"
    ctx = open_context(db, app_paths, today=TODAY, inspector=INSPECTOR)   # no settings file: named here
    for name, value in vars(filled_settings()).items():  # what a notice must print (issue 10)
        if name in ("contact", "contact_phone", "review_body", "court"):
            setattr(ctx.settings, name, value)
    s = Session(app_paths, db, dialogs, ctx=ctx, inline_reads=True)   # screens checked right after an action
    yield s
    s.close()


@pytest.fixture
def demo_session(session):
    """The session with the demo campaign built and chosen."""
    from workbench.services.demo import build_demo

    made = build_demo(session.ctx, lifecycle=False)   # every finding still 待整改, notices unserved
    session.set_campaign(made.campaign_id)
    return session
