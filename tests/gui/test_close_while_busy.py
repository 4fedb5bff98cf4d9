"""Closing the window while work runs: the user is asked before a task is cancelled (继续 /
取消任务并关闭); a cancelled task leaves nothing half-written; results arriving after the window
closed are dropped without a traceback or a message box."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from workbench.gui.application import open_session
from workbench.gui.dialogs import ScriptedDialogs
from workbench.gui.main_window import CANCEL_TASKS_AND_CLOSE, CONTINUE_TASKS, MainWindow
from workbench.services import campaigns, notices, site_import
from workbench.storage.database import open_database

MESSY = "site_list_2026Q4_messy.xlsx"


def _held_at_first_progress(real, gate: threading.Event):
    """``real`` (a service task taking cancel= and on_progress=) that, at its first progress report,
    waits on its worker until the task is cancelled: the window is closed while it surely runs."""
    def held(*args, cancel, on_progress, **kwargs):
        def progress(p):
            if not gate.is_set():
                gate.set()
                cancel.wait(30)
            on_progress(p)

        return real(*args, cancel=cancel, on_progress=progress, **kwargs)

    return held


@pytest.fixture
def window(qtbot, session):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _count(db, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_closing_during_an_import_asks_then_cancels_and_stores_nothing(qtbot, window, session, dialogs,
                                                                       samples, monkeypatch):
    session.set_campaign(campaigns.create_campaign(session.ctx, "关闭测试").id)
    gate = threading.Event()
    monkeypatch.setattr(site_import, "import_site_list", _held_at_first_progress(site_import.import_site_list, gate))
    dialogs.answers.append(samples / MESSY)
    wizard = window.import_list()
    qtbot.waitUntil(lambda: wizard.model.rowCount() > 0 and not session.workers, timeout=10000)
    wizard.start_import()
    qtbot.waitUntil(gate.is_set, timeout=10000)

    dialogs.answers.append(CONTINUE_TASKS)       # 继续: the window stays and the import goes on
    assert not window.close()
    assert window.isVisible() and not session.closed and session.user_tasks() == ["导入网站名单"]
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("choose", "正在执行的任务") and "导入网站名单" in text and "取消" in text

    dialogs.answers.append(CANCEL_TASKS_AND_CLOSE)
    shown = len(dialogs.shown)
    with qtbot.waitSignal(session.task_ended, timeout=30000):
        assert window.close()
    assert session.closed and not window.isVisible()
    assert dialogs.shown[shown:] == [("choose", "正在执行的任务", text)]   # nothing told after it closed
    db = session.db_path                          # all or nothing: the cancelled import stored nothing
    assert _count(db, "SELECT count(*) FROM site") == 0
    assert _count(db, "SELECT count(*) FROM sponsor") == 0
    assert _count(db, "SELECT count(*) FROM import_run") == 0


def test_closing_with_only_background_work_does_not_ask(qtbot, window, session, dialogs):
    release = threading.Event()
    session.run_task("启动时备份", lambda _ctx, _c, _p: release.wait(30), lambda _r: None, background=True)
    assert session.user_tasks() == []
    release.set()
    assert window.close() and dialogs.shown == []


def test_closing_during_a_notice_batch_keeps_what_was_issued_and_numbers_nothing_else(
        qtbot, demo_session, dialogs, tmp_path, monkeypatch):
    from workbench.gui.main_window import DOCUMENTS

    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    window.show()
    window.show_screen(DOCUMENTS)
    view = window.documents_view
    qtbot.waitUntil(lambda: not view.loading and view.sponsor_model.rowCount() > 1, timeout=10000)
    ctx, cid = demo_session.ctx, demo_session.campaign_id
    documents_before = notices.count_documents(ctx, cid)
    gate = threading.Event()
    real = notices.write_notices

    def held(*args, cancel, on_progress, **kwargs):   # hold after the first notice is written
        def progress(p):
            if p.done >= 1 and not gate.is_set():
                gate.set()
                cancel.wait(30)
            on_progress(p)
        return real(*args, cancel=cancel, on_progress=progress, **kwargs)

    monkeypatch.setattr(notices, "write_notices", held)
    folder = tmp_path / "批量"
    dialogs.answers.append(folder)
    view.generate_all()
    qtbot.waitUntil(gate.is_set, timeout=30000)
    dialogs.answers.append(CANCEL_TASKS_AND_CLOSE)
    with qtbot.waitSignal(demo_session.task_ended, timeout=30000):
        assert window.close()
    assert dialogs.shown[-1][:2] == ("choose", "正在执行的任务") and "批量生成整改通知书" in dialogs.shown[-1][2]
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")   # the one written stays issued
    assert sorted(p.name for p in folder.iterdir()) == [pdfs[0].name]    # no partial file left
    conn = open_database(demo_session.db_path)
    try:
        assert _issued(conn, cid) == documents_before + 1
        reserved = conn.execute("SELECT count(*) FROM doc_number WHERE status = 'reserved'").fetchone()[0]
        assert reserved == 0                     # the numbers not used were given back
    finally:
        conn.close()


def _issued(conn, campaign_id: str) -> int:
    return conn.execute("SELECT count(*) FROM notice WHERE campaign_id = ?", (campaign_id,)).fetchone()[0]


def test_a_check_result_arriving_after_close_is_dropped(qtbot, app_paths, tmp_path, monkeypatch):
    """Session.check_integrity's answer can come back after the window closed: no 'Cannot operate
    on a closed database', no message box; a failed check still leaves its marker."""
    from workbench.gui import application
    from workbench.services import integrity

    db = tmp_path / "wb.sqlite3"
    open_database(db).close()
    monkeypatch.setattr(application, "CHECK_LATER_BYTES", 0)
    for problems in ([], ["*** in database main *** Page 7: btreeInitPage() returns error code 11"]):
        started, release = threading.Event(), threading.Event()

        def check(_db, _cancel=None, p=problems, started=started, release=release):
            started.set()
            release.wait(10)
            return p

        monkeypatch.setattr(integrity, "quick_check", check)
        told = ScriptedDialogs()
        session = open_session(app_paths, db, told, inspector="甲")
        assert session is not None and session.checking
        qtbot.waitUntil(started.is_set, timeout=10000)
        release.set()     # the answer is queued for the GUI thread, which only sees it after close()
        with qtbot.waitSignal(session.task_ended, timeout=10000):
            session.close()
        assert told.shown == []
        assert (db.parent / "wb.sqlite3.check-failed").exists() == bool(problems)


def test_closing_during_an_export_leaves_no_file(qtbot, demo_session, dialogs, tmp_path, monkeypatch):
    """导出表格 cancelled by closing: neither the workbook nor its temporary file is left."""
    from workbench.gui.main_window import SITES
    from workbench.gui.widgets import table_export as table_export_widget
    from workbench.services import table_export

    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    window.show()
    window.show_screen(SITES)
    table = window.sites_view.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=10000)
    from workbench.exporters import table_export as table_writer

    gate = threading.Event()
    monkeypatch.setattr(table_writer, "_REPORT_EVERY", 10)   # held while the workbook is half-written
    monkeypatch.setattr(table_export, "export_table", _held_at_first_progress(table_export.export_table, gate))
    folder = tmp_path / "导出"
    folder.mkdir()
    dialogs.answers.append(folder / "网站.xlsx")
    assert table_export_widget.export_table_view(table, demo_session, "网站") is not None
    qtbot.waitUntil(gate.is_set, timeout=30000)
    held = list(folder.iterdir())
    assert len(held) == 1 and held[0].name != "网站.xlsx"   # only its temporary file so far
    dialogs.answers.append(CANCEL_TASKS_AND_CLOSE)
    with qtbot.waitSignal(demo_session.task_ended, timeout=30000):
        assert window.close()
    assert "导出表格" in dialogs.shown[-1][2]
    assert list(folder.iterdir()) == []
