"""Everyday slips in the window (offscreen, scripted dialogs): a backup or an audit export saved
over the database, a notice batch started twice, a batch cancelled midway (issue 9).
"""

from __future__ import annotations

from datetime import date

import pytest
from hostile_files import database_dump
from PySide6.QtCore import Qt

from wbtest import filled_settings
from workbench.app import open_context
from workbench.gui.dialogs import ScriptedDialogs
from workbench.paths import AppPaths

TODAY = date(2026, 11, 30)


@pytest.fixture
def dialogs():
    return ScriptedDialogs()


@pytest.fixture
def demo_session(qtbot, tmp_path, dialogs):
    """A window session on a demo database (as tests/gui/conftest.py builds it)."""
    from workbench.gui.session import Session
    from workbench.services.demo import build_demo

    paths = AppPaths.for_user(tmp_path / "data")
    db = tmp_path / "wb.sqlite3"
    ctx = open_context(db, paths, today=TODAY, inspector="测试检查员")
    for name in ("contact", "contact_phone", "review_body", "court"):
        setattr(ctx.settings, name, getattr(filled_settings(), name))
    session = Session(paths, db, dialogs, ctx=ctx, inline_reads=True)
    made = build_demo(session.ctx, lifecycle=False)
    session.set_campaign(made.campaign_id)
    yield session
    session.close()


def _settle(qtbot, session, timeout=30000):
    qtbot.waitUntil(lambda: not session.workers, timeout=timeout)


def _last_message(dialogs) -> tuple[str, str, str]:
    return dialogs.shown[-1]


def test_a_backup_from_the_menu_over_an_existing_file_replaces_it(qtbot, demo_session, dialogs, tmp_path):
    """The save dialog asked "replace?": the command line's --force rule must not refuse it."""
    from workbench.gui.views.sync_views import SyncActions

    out = tmp_path / "上周的备份.sqlite3"
    out.write_bytes(b"old")
    dialogs.answers.append(out)
    SyncActions(demo_session, None).backup()
    _settle(qtbot, demo_session)
    assert out.read_bytes().startswith(b"SQLite format 3"), dialogs.shown
    assert "已备份" in _last_message(dialogs)[2]


@pytest.mark.parametrize("name", ["wb.sqlite3", "wb.sqlite3-wal", "wb.sqlite3-journal"])
def test_a_backup_from_the_menu_onto_the_database_is_refused(qtbot, demo_session, dialogs, tmp_path, name):
    from workbench.gui.views.sync_views import SyncActions

    demo_session.ctx.conn.commit()
    before = database_dump(tmp_path / "wb.sqlite3")
    dialogs.answers.append(tmp_path / name)
    SyncActions(demo_session, None).backup()
    _settle(qtbot, demo_session)
    kind, _title, text = _last_message(dialogs)
    assert kind in ("warn", "error") and name in text, dialogs.shown
    assert "--force" not in text and "Traceback" not in text
    assert database_dump(tmp_path / "wb.sqlite3") == before


def test_an_audit_export_onto_the_database_is_refused(qtbot, demo_session, dialogs, tmp_path):
    """Before: the CSV was written over the open database."""
    from workbench.gui.views.sync_views import AuditDialog

    demo_session.ctx.conn.commit()
    db = tmp_path / "wb.sqlite3"
    before = database_dump(db)
    dialog = AuditDialog(demo_session)
    qtbot.addWidget(dialog)
    dialogs.answers.append(db)
    dialog.export()
    _settle(qtbot, demo_session)
    kind, _title, text = _last_message(dialogs)
    assert kind in ("warn", "error") and "数据库" in text, dialogs.shown
    assert db.read_bytes().startswith(b"SQLite format 3")
    assert database_dump(db) == before


@pytest.fixture
def documents(qtbot, demo_session):
    from workbench.gui.views.documents_view import DocumentsView

    view = DocumentsView(demo_session)
    qtbot.addWidget(view)
    view.show()
    return view


def _numbers(session) -> list[tuple[str, str]]:
    return sorted(tuple(r) for r in session.ctx.conn.execute(
        "SELECT doc_number, sponsor_id FROM doc_number WHERE status = 'issued'"))


def test_starting_the_batch_twice_issues_one_notice_per_organisation(qtbot, documents, demo_session, dialogs,
                                                                    tmp_path):
    """A second click while the first batch runs (the button is disabled, a shortcut or a test
    can still call it) must not issue a second notice to anyone."""
    folder = tmp_path / "批量"
    dialogs.answers.extend([folder, folder])
    earlier = {n for n, _s in _numbers(demo_session)}
    qtbot.mouseClick(documents.batch_button, Qt.LeftButton)
    documents.generate_all()
    _settle(qtbot, demo_session, 60000)
    numbers = _numbers(demo_session)
    sponsors = [s for _n, s in numbers]
    assert len(sponsors) == len(set(sponsors)), numbers
    assert {n for n, _s in numbers} > earlier
    written = {p.name.split("-")[0] for p in folder.glob("*.pdf")}   # the demo's notices are reprinted too
    assert written == {n for n, _s in numbers}
    assert not list(folder.glob("*.part")) and not list(folder.glob("*.tmp"))


def test_cancelling_a_batch_midway_keeps_numbers_and_files_in_step(qtbot, documents, demo_session, dialogs, tmp_path):
    folder = tmp_path / "批量"
    dialogs.answers.append(folder)
    earlier = {n for n, _s in _numbers(demo_session)}     # the demo's own two notices
    seen = []

    def first_progress(title, worker):
        worker.signals.progress.connect(lambda p: (seen.append(p), worker.cancel.set()))

    demo_session.task_started.connect(first_progress)
    qtbot.mouseClick(documents.batch_button, Qt.LeftButton)
    _settle(qtbot, demo_session, 60000)
    assert seen
    issued = {n for n, _s in _numbers(demo_session)} - earlier
    written = {p.name.split("-")[0] for p in folder.glob("*.pdf")} if folder.exists() else set()
    assert issued <= written                                  # every number given out reached its file
    assert written <= issued | earlier                        # no file carries a number not recorded
    assert not list(folder.glob("*.part")) and not list(folder.glob("*.tmp"))
    kind, _title, text = _last_message(dialogs)
    assert "已取消" in text, dialogs.shown
    assert documents.batch_button.isEnabled()


def test_a_damaged_settings_file_is_told_in_the_window_before_the_welcome_page(qtbot, tmp_path, dialogs):
    """Before: the welcome page simply asked for the name again, as on a first start."""
    from workbench.app import settings_path
    from workbench.gui.application import start_window
    from workbench.gui.session import Session

    paths = AppPaths.for_user(tmp_path / "data")
    settings_path(paths).parent.mkdir(parents=True, exist_ok=True)
    settings_path(paths).write_text('{"inspector": "张三", "unit": ', encoding="utf-8")   # cut off
    db = tmp_path / "wb.sqlite3"
    session = Session(paths, db, dialogs, ctx=open_context(db, paths, today=TODAY), inline_reads=True)
    try:
        window = start_window(session)
        qtbot.addWidget(window)
        warned = [(title, text) for kind, title, text in dialogs.shown if kind == "warn"]
        assert warned and "已损坏" in warned[0][1] and "settings.json" in warned[0][1], dialogs.shown
        assert list(settings_path(paths).parent.glob("settings.json.damaged-*"))
        _settle(qtbot, session)
        window.close()
    finally:
        session.close()


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 half a zip", b"<html>not a package</html>"])
def test_a_broken_package_from_the_menu_is_a_chinese_message_and_no_backup(qtbot, demo_session, dialogs,
                                                                         tmp_path, content):
    from workbench.gui.views.sync_views import SyncActions

    demo_session.ctx.conn.commit()
    db = tmp_path / "wb.sqlite3"
    before = database_dump(db)
    backups = set((tmp_path / "wb.sqlite3.backups").glob("*")) if (tmp_path / "wb.sqlite3.backups").exists() else set()
    pkg = tmp_path / "同事的工作.wbpkg"
    pkg.write_bytes(content)
    dialogs.answers.append(pkg)
    SyncActions(demo_session, None).import_package()
    _settle(qtbot, demo_session)
    kind, _title, text = _last_message(dialogs)
    assert kind in ("warn", "error") and "同事的工作.wbpkg" in text and "不是有效的工作包" in text, dialogs.shown
    assert "zip file" not in text and "意外" not in text
    assert database_dump(db) == before
    after = set((tmp_path / "wb.sqlite3.backups").glob("*")) if (tmp_path / "wb.sqlite3.backups").exists() else set()
    assert after == backups
