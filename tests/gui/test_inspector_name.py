"""No record is ever stamped with the computer's login name: the inspector's name (and unit) first."""

from __future__ import annotations

import getpass
import sqlite3

import pytest

from tests.gui.conftest import TODAY
from workbench.app import open_context, settings_path
from workbench.gui.application import start_window
from workbench.gui.main_window import REVIEW
from workbench.settings import Settings


@pytest.fixture
def unnamed_session(qtbot, app_paths, dialogs, tmp_path):
    """Settings saved (welcomed) but without a name, and a demo campaign in the database."""
    from workbench.gui.session import Session
    from workbench.services.demo import build_demo

    Settings(welcomed=True).save(settings_path(app_paths))
    db = tmp_path / "wb.sqlite3"
    ctx = open_context(db, app_paths, today=TODAY)
    assert not ctx.author.named
    session = Session(app_paths, db, dialogs, ctx=ctx)
    session.set_campaign(build_demo(ctx, lifecycle=False).campaign_id)
    yield session
    session.close()


def test_unnamed_settings_ask_again_and_nothing_is_stamped_with_the_login(qtbot, unnamed_session, dialogs):
    window = start_window(unnamed_session)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.campaigns_known)         # read on the reader thread
    assert window.welcome.isVisible()                      # settings exist without a name: asked again
    window.welcome.reject()                                # 稍后: the user looks around first
    window.show_screen(REVIEW)
    panel = window.review_panel
    qtbot.waitUntil(lambda: panel.site_id is not None and not panel.loading)   # read off the GUI thread
    site_id = panel.site_id
    panel.mark_all_match()
    assert panel.save_and_next()                           # runs on the writer thread…
    qtbot.waitUntil(lambda: not panel.saving)
    assert panel.site_id == site_id                        # …and is refused, with what to do
    kind, _title, text = dialogs.shown[-1]
    assert kind == "warn" and "检查人员姓名" in text and "设置" in text
    settings = window.tools.dialog
    assert settings is not None and settings.isVisible()   # 设置 opened for the name
    settings.accept()                                      # still empty: refused inside the dialog
    assert settings.isVisible() and "姓名" in settings.error_label.text()
    settings.inspector_edit.setText("张三")
    settings.fields["unit"].setText("某市互联网信息办公室")
    settings.accept()
    assert not settings.isVisible()
    panel.load_site(site_id)
    qtbot.waitUntil(lambda: not panel.loading)
    panel.mark_all_match()
    with qtbot.waitSignal(panel.saved):
        assert panel.save_and_next()
    conn = unnamed_session.ctx.conn
    assert tuple(conn.execute("SELECT inspector FROM review WHERE site_id = ?", (site_id,)).fetchone()) == ("张三",)
    names = {r[0] for r in conn.execute(
        "SELECT inspector FROM site UNION SELECT inspector FROM review UNION SELECT inspector FROM finding")}
    assert getpass.getuser() not in names and "" not in names


def test_first_start_without_a_name_cannot_start_real_work(qtbot, app_paths, dialogs, tmp_path):
    from workbench.gui.session import Session

    db = tmp_path / "new.sqlite3"
    session = Session(app_paths, db, dialogs, ctx=open_context(db, app_paths, today=TODAY))
    window = start_window(session)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.campaigns_known)
    welcome = window.welcome
    welcome.buttons["campaign"].click()
    assert welcome.isVisible() and "姓名和所在单位" in welcome.error_label.text()
    welcome.fields["inspector"].setText("李四")
    welcome.buttons["campaign"].click()
    assert welcome.isVisible() and "所在单位" in welcome.error_label.text()
    welcome.fields["unit"].setText("某市互联网信息办公室")
    welcome.buttons["campaign"].click()
    assert not welcome.isVisible() and session.ctx.author.inspector == "李四"
    window.dialog.name_edit.setText("第一个任务")
    with qtbot.waitSignal(window.dialog.created):   # saved on the writer thread
        window.dialog.accept()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT inspector FROM campaign").fetchall() == [("李四",)]
    session.close()
