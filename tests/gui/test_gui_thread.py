"""The window's main flows run no SQL on the GUI thread (issue 12): services/thread_guard.py records
every statement gui/ code runs there, and any one fails this test, naming the place.

The session here reads and saves on its real threads (no inline reads), as in the window: open,
keyboard review with Ctrl+Enter, a finding raised by a review, the finding served and closed,
a list imported and the import undone.
"""

from __future__ import annotations

import csv

import pytest
from hostile_files import HEADER, site_rows
from PySide6.QtCore import Qt

from tests.gui.conftest import INSPECTOR, TODAY
from wbtest import filled_settings
from workbench.app import open_context
from workbench.domain import finding_status as fs
from workbench.gui.main_window import FINDINGS, REVIEW, MainWindow
from workbench.services import findings, reviews, sites, thread_guard
from workbench.services.demo import build_demo


def assert_no_gui_thread_sql(step: str) -> None:
    found = thread_guard.offences()
    assert not found, f"SQL on the GUI thread during {step}:\n{thread_guard.summary(found)}"


@pytest.fixture
def threaded_session(qtbot, app_paths, dialogs, tmp_path):
    """A Session as the window has it: reads on the reader thread, saves on the writer thread."""
    from workbench.gui.session import Session

    db = tmp_path / "wb.sqlite3"
    ctx = open_context(db, app_paths, today=TODAY, inspector=INSPECTOR)
    for name, value in vars(filled_settings()).items():
        if name in ("contact", "contact_phone", "review_body", "court"):
            setattr(ctx.settings, name, value)
    made = build_demo(ctx, lifecycle=False)
    s = Session(app_paths, db, dialogs, ctx=ctx)
    s.demo_campaign_id = made.campaign_id
    yield s
    s.close()


@pytest.fixture
def window(qtbot, threaded_session):
    thread_guard.reset()   # the demo above was built by test code, not by the window
    w = MainWindow(threaded_session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.campaign_combo.count() > 0 and threaded_session.campaign_id is not None)
    return w


def _review_shown(panel) -> bool:
    return panel.site_id is not None and not panel.loading and not panel.saving


def test_main_flows_run_no_sql_on_the_gui_thread(qtbot, window, threaded_session, dialogs, tmp_path):
    session = window.session
    assert_no_gui_thread_sql("opening the window")

    # keyboard review: Alt+A then Ctrl+Enter saves and shows the next unreviewed site
    window.show_screen(REVIEW)
    panel = window.review_panel
    qtbot.waitUntil(lambda: _review_shown(panel))
    first = panel.site_id
    panel.mark_all_match()
    with qtbot.waitSignal(panel.saved) as saved:
        qtbot.keyClick(panel, Qt.Key_Return, Qt.ControlModifier)
    assert saved.args[0].finding is None
    qtbot.waitUntil(lambda: _review_shown(panel) and panel.site_id != first)
    assert reviews.get_review(session.ctx, first).conclusion == "accurate"
    assert_no_gui_thread_sql("Ctrl+Enter")

    # a difference typed in: the save raises a finding
    second = panel.site_id
    phone = next(r for r in panel.rows if r.code == "contact_phone")
    qtbot.keyClicks(phone.observed, "0531-00000000")
    with qtbot.waitSignal(panel.saved) as saved:
        qtbot.keyClick(panel, Qt.Key_Return, Qt.ControlModifier)
    finding = saved.args[0].finding
    assert finding is not None and finding.status == fs.PENDING
    qtbot.waitUntil(lambda: _review_shown(panel) and panel.site_id != second)
    assert_no_gui_thread_sql("raising a finding")

    # the finding served (送达整改通知) and closed (复查通过) from the 问题 screen
    window.show_screen(FINDINGS)
    view = window.findings_view
    for action in (fs.NOTIFY, fs.PASS_REINSPECTION):
        view.select_finding(finding.id)
        qtbot.waitUntil(lambda a=action: not view.loading and view.current_finding() is not None
                        and view.current_finding().id == finding.id and view.action_buttons[a].isEnabled())
        dialog = view.start_action(action)
        with qtbot.waitSignal(view.applied):
            dialog.accept()
        qtbot.waitUntil(lambda: not view.saving)
    assert findings.get_finding(session.ctx, finding.id).status == fs.CLOSED
    assert_no_gui_thread_sql("closing a finding")

    # a list imported (on a worker) and the import undone from its report
    from workbench.gui.views.import_wizard import ImportWizard

    path = tmp_path / "补充名单.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *site_rows(3, start=900)])
    before = sites.count(session.ctx, session.campaign_id)
    wizard = ImportWizard(session, path, window)
    qtbot.addWidget(wizard)
    wizard.open()
    qtbot.waitUntil(lambda: wizard.start_button.isEnabled(), timeout=10000)
    with qtbot.waitSignal(wizard.imported, timeout=30000):
        wizard.start_import()
    assert sites.count(session.ctx, session.campaign_id) == before + 3
    page = wizard.report_page
    dialogs.answers.append(True)
    qtbot.mouseClick(page.undo_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not page.undo_button.isEnabled() and page.heading.text().startswith("已撤销"),
                    timeout=30000)
    assert sites.count(session.ctx, session.campaign_id) == before
    wizard.close()
    assert_no_gui_thread_sql("import and undo")
    assert [kind for kind, _title, _text in dialogs.shown] == ["confirm"], dialogs.shown


def test_the_overview_stops_figures_nobody_will_see(qtbot, demo_session):
    """A newer computation (a save, another campaign) cancels the running one; closing the window too."""
    w = MainWindow(demo_session)
    qtbot.addWidget(w)
    w.overview.hold_full_figures = False        # at once, not after the first rows' paint (main_window)
    w.show()                                    # the overview computes its figures on a worker
    first = w.overview.worker
    assert first is not None and not first.cancel.is_set()
    demo_session.notify("reviews")              # its figures would be stale: stopped, a new one started
    assert first.cancel.is_set() and w.overview.worker is not first
    qtbot.waitUntil(lambda: not w.overview.busy and w.overview.figures is not None)
    assert w.overview.heading.text() != "统计失败"
    demo_session.notify("reviews")
    running = w.overview.worker
    w.close()                                   # the window closing cancels it (and waits for it)
    assert running.cancel.is_set() and running.done.is_set()


def test_reads_that_store_work_once_the_integrity_check_passed(qtbot, app_paths, dialogs, tmp_path):
    """The reader opened while the check ran is read-only; once it passed it opens afresh, so a
    read that stores what it computes once (checklist templates) works instead of failing."""
    from workbench.gui.session import Session
    from workbench.services import checklist_templates

    db = tmp_path / "wb.sqlite3"
    s = Session(app_paths, db, dialogs, ctx=open_context(db, app_paths, today=TODAY, inspector=INSPECTOR))
    try:
        s.checking = True                           # as while check_integrity runs
        opened = []
        s.read(lambda ctx: None, opened.append)     # the reader's connection opens now, read-only
        qtbot.waitUntil(lambda: bool(opened))
        s.checking = False
        s.reader.reopen()                           # what a passed check does (Session.check_integrity)
        templates = []
        s.read(checklist_templates.list_templates, templates.append)
        qtbot.waitUntil(lambda: bool(templates or dialogs.shown))
        assert dialogs.shown == [] and templates[0]
    finally:
        s.close()


def test_holiday_files_are_read_off_the_gui_thread(qtbot, window, threaded_session, monkeypatch):
    """ctx.calendar read the holiday files on the GUI thread when a finding-action dialog opened;
    the 问题 screen now loads the calendar on the reader thread, once, before it is needed."""
    import threading

    from workbench.domain.calendar import WorkCalendar

    real, threads = WorkCalendar.load, []

    def load(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(WorkCalendar, "load", staticmethod(load))
    session = threaded_session
    assert not session.ctx.calendar_loaded
    window.show_screen(FINDINGS)
    view = window.findings_view
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() > 0)
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.current_finding() is not None)
    action = next(a for a, button in view.action_buttons.items() if button.isEnabled())
    view.start_action(action)
    qtbot.waitUntil(lambda: view.action_dialog is not None)
    view.action_dialog.reject()
    assert threads == [False] and session.ctx.calendar_loaded   # loaded once, on the reader thread
    view.start_action(action)                                    # the next dialog opens at once
    assert view.action_dialog is not None and threads == [False]
    view.action_dialog.reject()
