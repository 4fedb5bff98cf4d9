"""Unsaved review and inspection notes are never lost without a word: 保存 / 放弃 / 取消, or drafts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.gui.main_window import INSPECTIONS, REVIEW, SITES, MainWindow
from workbench.services import checklist_templates, reviews, sites
from workbench.services import inspection_service as service


@pytest.fixture
def window(qtbot, demo_session):
    w = MainWindow(demo_session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def _type_a_difference(qtbot, panel):
    phone = next(r for r in panel.rows if r.code == "contact_phone")
    qtbot.keyClicks(phone.observed, "0531-00000000")
    panel.notes.insertPlainText("拨打无人接听")   # as typed (keyClicks takes ASCII only)


def test_switching_site_asks_and_cancel_keeps_the_form(qtbot, window, demo_session, dialogs):
    panel = window.review_panel
    window.show_screen(REVIEW)
    first = panel.site_id
    _type_a_difference(qtbot, panel)
    other = sites.next_unreviewed(demo_session.ctx, demo_session.campaign_id, first)
    dialogs.answers.append("cancel")
    window.show_screen(SITES)
    window.open_review(other)                            # double-click on another site
    assert dialogs.shown[-1][:2] == ("ask_save", "切换网站")
    assert panel.site_id == first and "拨打无人接听" in panel.notes.toPlainText()
    dialogs.answers.append("save")
    window.open_review(other)
    stored = reviews.get_review(demo_session.ctx, first)
    assert stored is not None and stored.notes == "拨打无人接听" and stored.conclusion == "contact_inaccurate"
    assert panel.site_id == other
    panel.notes.insertPlainText("不要了")
    dialogs.answers.append("discard")
    qtbot.keyClick(panel, Qt.Key_R, Qt.ControlModifier)  # reviewed or not, moving on asks first
    panel.open_next()
    assert reviews.get_review(demo_session.ctx, other) is None


def test_closing_asks_and_cancel_keeps_the_window_open(qtbot, window, demo_session, dialogs):
    panel = window.review_panel
    window.show_screen(REVIEW)
    site = panel.site_id
    _type_a_difference(qtbot, panel)
    dialogs.answers.append("cancel")
    window.close()
    assert window.isVisible() and dialogs.shown[-1][:2] == ("ask_save", "退出")
    dialogs.answers.append("save")
    window.close()
    assert not window.isVisible()
    from workbench.app import open_context

    ctx = open_context(demo_session.db_path, demo_session.paths)
    assert reviews.get_review(ctx, site).notes == "拨打无人接听"
    ctx.conn.close()


def test_inspection_notes_survive_item_and_screen_switches_and_are_saved_on_close(qtbot, window, demo_session,
                                                                                   dialogs):
    ctx = demo_session.ctx
    template = next(t for t in checklist_templates.list_templates(ctx) if t.code == "pipl_compliance")
    site = sites.page(ctx, demo_session.campaign_id, limit=1)[0]
    inspection = service.start_inspection(
        ctx, campaign_id=demo_session.campaign_id, sponsor_id=sites.detail(ctx, site.id).sponsor_id,
        template_id=template.id, inspected_on=ctx.today(), target=site.sponsor_name)
    demo_session.notify_all()
    window.show_screen(INSPECTIONS)
    view = window.inspections_view
    view.select_inspection(inspection.id)
    panel = view.panel
    first, second = panel.model.item_codes()[:2]
    panel.select_item(first)
    panel.notes_edit.insertPlainText("隐私政策未列明保存期限")
    panel.select_item(second)                            # another item: the draft is kept
    assert panel.notes_edit.toPlainText() == ""
    window.show_screen(REVIEW)
    demo_session.notify_all()                     # screens reload from the database
    window.show_screen(INSPECTIONS)
    panel.select_item(first)
    assert panel.notes_edit.toPlainText() == "隐私政策未列明保存期限"
    dialogs.answers.extend(["save"])
    window.close()
    assert not window.isVisible()
    assert dialogs.shown[-1][:2] == ("ask_save", "退出") and "1 个检查项" in dialogs.shown[-1][2]
    from workbench.app import open_context

    fresh = open_context(demo_session.db_path, demo_session.paths)
    answer = service.load_inspection(fresh, inspection.id).answers[first]
    assert (answer.response, answer.notes) == ("not_checked", "隐私政策未列明保存期限")
    fresh.conn.close()
