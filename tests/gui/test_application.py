"""Starting the application: names, font, excepthook, bad databases, first run."""

from __future__ import annotations

import sqlite3
import sys

from workbench.gui.application import (
    EXIT_BAD_DATABASE,
    apply_ui_font,
    create_application,
    install_excepthook,
    open_session,
    run_gui,
    start_window,
)
from workbench.gui.views.campaign_dialog import CampaignDialog


def test_application_names_and_chinese_font(qapp):
    app = create_application()
    assert app is qapp
    assert app.applicationName() == "InspectionWorkbench"
    assert app.organizationName() and app.desktopFileName() == "inspection-workbench"
    chosen = apply_ui_font(app)
    assert "WenQuanYi Micro Hei" in chosen  # fonts-wqy-microhei is installed here
    assert app.font().families()[0] == chosen[0]


def test_excepthook_logs_and_shows_a_message(dialogs, tmp_path, caplog):
    previous = install_excepthook(dialogs, tmp_path)
    try:
        try:
            raise KeyError("某个键")
        except KeyError as err:
            sys.excepthook(type(err), err, err.__traceback__)
    finally:
        sys.excepthook = previous
    kind, title, text = dialogs.shown[-1]
    assert kind == "warn" and "意外错误" in text and str(tmp_path) in text
    assert "Traceback" not in text
    assert any(r.exc_info for r in caplog.records)


def test_not_a_database_is_a_message_and_exit_code_2(app_paths, dialogs, tmp_path):
    bad = tmp_path / "not.sqlite3"
    bad.write_bytes(b"this is a text file, not SQLite" * 100)
    assert run_gui(app_paths, bad, dialogs) == EXIT_BAD_DATABASE
    kind, title, text = dialogs.shown[-1]
    assert kind == "warn" and "不是有效的工作台数据库" in text and str(bad) in text


def test_newer_database_is_refused_with_a_message(app_paths, dialogs, tmp_path):
    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 9999")
    conn.close()
    assert open_session(app_paths, newer, dialogs) is None
    assert "更新版本" in dialogs.shown[-1][2]


def test_first_run_welcome_asks_who_and_creates_a_campaign(qtbot, session):
    from workbench.app import settings_path
    from workbench.settings import Settings

    window = start_window(session)
    qtbot.addWidget(window)
    welcome = window.welcome
    assert welcome.isVisible() and set(welcome.buttons) == {"demo", "import", "campaign"}
    welcome.fields["inspector"].setText(" 张三 ")
    welcome.fields["unit"].setText("某市互联网信息办公室")
    welcome.fields["contact_phone"].setText("0531-12345678")
    welcome.buttons["campaign"].click()
    assert not welcome.isVisible()
    saved = Settings.load(settings_path(session.paths))
    assert (saved.inspector, saved.unit, saved.welcomed) == ("张三", "某市互联网信息办公室", True)
    assert session.ctx.author.inspector == "张三"
    assert isinstance(window.dialog, CampaignDialog) and window.dialog.isVisible()
    assert window.dialog.authority_edit.text() == "某市互联网信息办公室"   # the unit, offered


def test_welcome_shows_every_profile_field(qtbot, session):
    """All four fields are on the page (a mis-indented loop once showed only 联系电话, so a
    newcomer could not type a name and 导入网站名单 / 新建检查任务 refused)."""
    from PySide6.QtWidgets import QFormLayout

    window = start_window(session)
    qtbot.addWidget(window)
    welcome = window.welcome
    form = welcome.fields["inspector"].parentWidget().layout()
    assert isinstance(form, QFormLayout) and form.rowCount() == 4
    for edit in welcome.fields.values():
        assert edit.isVisibleTo(welcome)


def test_first_run_builds_demo_on_request(qtbot, session):
    window = start_window(session)
    qtbot.addWidget(window)
    window.welcome.buttons["demo"].click()
    qtbot.waitUntil(lambda: window.campaign_combo.count() == 1, timeout=30000)
    assert session.campaign_id == window.campaign_combo.currentData()
    assert window.count_label.text().startswith("共 48 条")


def test_import_on_an_empty_database_makes_a_campaign_first(qtbot, session, dialogs):
    window = start_window(session)
    qtbot.addWidget(window)
    window.welcome.fields["unit"].setText("某市互联网信息办公室")   # name and unit before real work
    window.welcome.buttons["import"].click()
    dialog = window.dialog
    assert isinstance(dialog, CampaignDialog)
    dialog.name_edit.setText("2026年第四季度核查")
    dialog.prefix_edit.setText("鲁网信整改")
    dialogs.answers.append(None)   # the file dialog: cancelled
    dialog.accept()
    assert ("open_file", "选择网站名单", "") in dialogs.shown


def test_welcome_is_asked_once(qtbot, demo_session):
    window = start_window(demo_session)
    qtbot.addWidget(window)
    assert window.welcome.isVisible() and not window.welcome.buttons  # campaigns exist: no start choices
    window.welcome.reject()   # Esc: not asked again
    assert demo_session.ctx.settings.welcomed
    again = start_window(demo_session)
    qtbot.addWidget(again)
    assert getattr(again, "welcome", None) is None


def test_qt_standard_buttons_are_chinese(qapp):
    from PySide6.QtCore import QCoreApplication

    from workbench.gui.application import install_qt_translation

    assert install_qt_translation(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") != "&Yes"


def test_real_date_dialog_returns_the_chosen_day(qtbot):
    from datetime import date

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDateEdit, QDialog

    from workbench.gui.dialogs import Dialogs

    def answer():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        dialog.findChild(QDateEdit).setDate(date(2026, 11, 20))
        dialog.accept()

    QTimer.singleShot(50, answer)
    got = Dialogs().ask_date("登记送达", "送达日期：", date(2026, 11, 30), latest=date(2026, 11, 30))
    assert got == date(2026, 11, 20)


def test_excepthook_explains_a_locked_database(dialogs, tmp_path):
    import sqlite3

    previous = install_excepthook(dialogs, tmp_path)
    try:
        err = sqlite3.OperationalError("database is locked")
        sys.excepthook(type(err), err, None)
    finally:
        sys.excepthook = previous
    assert "数据库正被其他程序或窗口使用" in dialogs.shown[-1][2]


def test_crash_dialog_names_the_log_file(dialogs, tmp_path):
    previous = install_excepthook(dialogs, tmp_path / "logs")
    try:
        err = ZeroDivisionError("division by zero")
        sys.excepthook(type(err), err, None)
    finally:
        sys.excepthook = previous
    kind, title, text = dialogs.shown[-1]
    assert kind == "warn" and str(tmp_path / "logs" / "workbench.log") in text


def test_smoke_run_opens_and_closes_the_window(app_paths, dialogs, tmp_path, monkeypatch):
    from workbench.app import open_context
    from workbench.services.demo import build_demo

    db = tmp_path / "demo.sqlite3"
    ctx = open_context(db, app_paths)
    build_demo(ctx)
    ctx.conn.close()
    monkeypatch.setenv("WORKBENCH_SMOKE", "1")
    assert run_gui(app_paths, db, dialogs) == 0


def test_window_icon_is_set(qapp):
    app = create_application()
    assert not app.windowIcon().isNull()


def test_a_file_error_in_a_task_is_a_chinese_sentence(session, dialogs):
    import errno

    session.show_error("导出汇总表", PermissionError(errno.EACCES, "Permission denied", "/tmp/汇总.xlsx"))
    kind, title, text = dialogs.shown[-1]
    assert kind == "warn" and "/tmp/汇总.xlsx" in text and "Excel" in text and "Permission" not in text


def test_a_locked_or_unopenable_database_is_explained(app_paths, dialogs, tmp_path, monkeypatch):
    import sqlite3

    import workbench.app

    def locked(*_a, **_k):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(workbench.app, "open_database", locked)
    assert open_session(app_paths, tmp_path / "x.sqlite3", dialogs) is None
    assert "路径" in dialogs.shown[-1][2] and str(tmp_path / "x.sqlite3") in dialogs.shown[-1][2]
