"""The review screen: loading never saves, verdicts suggest a conclusion, Ctrl+Enter saves and moves on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.gui.views.review_panel import ReviewPanel
from workbench.services import findings, reviews, sites


@pytest.fixture
def panel(qtbot, demo_session):
    p = ReviewPanel(demo_session)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    p.activateWindow()
    return p


def _row(panel, code):
    return next(r for r in panel.rows if r.code == code)


def _review_count(session):
    return sites.reviewed_count(session.ctx, session.campaign_id)


def test_opens_first_unreviewed_site_with_filed_values(panel, demo_session):
    first = sites.next_unreviewed(demo_session.ctx, demo_session.campaign_id)
    detail = sites.detail(demo_session.ctx, first)
    assert panel.site_id == first
    assert _row(panel, "sponsor_name").filed.text() == detail.filed["sponsor_name"]
    assert _row(panel, "sponsor_name").filed.isReadOnly()
    assert detail.filed["site_filing_no"] in panel.title.text()
    assert set(panel.verdicts().values()) == {"unchecked"}


def test_loading_a_reviewed_site_shows_its_review_and_saves_nothing(panel, demo_session):
    reviewed = sites.page(demo_session.ctx, demo_session.campaign_id, limit=2)[1]
    before = _review_count(demo_session)
    stored = reviews.get_review(demo_session.ctx, reviewed.id)
    panel.load_site(reviewed.id)
    assert _review_count(demo_session) == before
    assert panel.conclusion_code() == stored.conclusion
    assert panel.notes.toPlainText() == stored.notes
    assert _row(panel, "contact_phone").verdict.currentData() == "mismatch"
    assert reviews.get_review(demo_session.ctx, reviewed.id).id == stored.id


def test_typing_an_observed_value_marks_mismatch_and_suggests_conclusion(panel, qtbot):
    phone = _row(panel, "contact_phone")
    qtbot.keyClicks(phone.observed, "0531-00000000")
    assert phone.verdict.currentData() == "mismatch"
    assert panel.conclusion_code() == "contact_inaccurate"
    qtbot.keyClicks(_row(panel, "uscc").observed, "X")
    assert panel.conclusion_code() == "sponsor_inaccurate"  # the more serious group wins


def test_alt_keys_set_the_focused_fields_verdict(panel, qtbot):
    row = _row(panel, "access_provider")
    row.observed.setFocus()
    qtbot.waitUntil(row.observed.hasFocus)
    qtbot.keyClick(row.observed, Qt.Key_2, Qt.AltModifier)
    assert row.verdict.currentData() == "mismatch"
    assert panel.conclusion_code() == "access_mismatch"
    qtbot.keyClick(row.observed, Qt.Key_1, Qt.AltModifier)
    assert row.verdict.currentData() == "match"
    assert panel.conclusion_code() == "accurate"


def test_user_chosen_conclusion_is_not_overwritten(panel, qtbot):
    index = panel.conclusion.findData("shell_site")
    panel.conclusion.setCurrentIndex(index)
    panel.conclusion.activated.emit(index)
    qtbot.keyClicks(_row(panel, "contact_name").observed, "Li Si")
    assert panel.conclusion_code() == "shell_site"


def test_ctrl_enter_saves_raises_finding_and_opens_next(panel, demo_session, qtbot):
    site_id = panel.site_id
    qtbot.keyClicks(_row(panel, "contact_phone").observed, "10086")
    panel.notes.setPlainText("电话为空号")
    messages = []
    panel.status_message.connect(messages.append)
    with qtbot.waitSignal(panel.saved) as blocker:
        qtbot.keyClick(panel.notes, Qt.Key_Return, Qt.ControlModifier)
    outcome = blocker.args[0]
    stored = reviews.get_review(demo_session.ctx, site_id)
    assert stored.conclusion == "contact_inaccurate" and stored.notes == "电话为空号"
    assert {c.field: c.observed_value for c in stored.fields}["contact_phone"] == "10086"
    ledger = findings.ledger(demo_session.ctx, demo_session.campaign_id)
    assert any(v.finding.site_id == site_id for v in ledger)
    assert "整改期限" in messages[0] and f"{outcome.finding.deadline:%Y年%m月%d日}" in messages[0]
    assert panel.site_id not in (None, site_id)
    assert panel.site_id == sites.next_unreviewed(demo_session.ctx, demo_session.campaign_id, site_id) or \
        reviews.get_review(demo_session.ctx, panel.site_id) is None


def test_all_match_then_save_records_accurate_without_finding(panel, demo_session, qtbot):
    site_id = panel.site_id
    panel.mark_all_match()
    assert panel.conclusion_code() == "accurate"
    with qtbot.waitSignal(panel.saved) as saved:
        assert panel.save_and_next()
    assert saved.args[0].finding is None
    checks = reviews.get_review(demo_session.ctx, site_id).fields
    assert all(c.verdict == "match" and c.observed_value == c.filed_value for c in checks)


def test_an_untouched_site_cannot_be_saved_as_accurate(qtbot, panel, demo_session, dialogs):
    before = _review_count(demo_session)
    assert panel.conclusion_code() is None            # no conclusion preset before any comparison
    qtbot.keyClick(panel, Qt.Key_Return, Qt.ControlModifier)
    assert _review_count(demo_session) == before
    assert dialogs.shown[-1][0] == "warn" and "逐项核对" in dialogs.shown[-1][2]
    _row(panel, "uscc").set_verdict("match")
    panel._verdicts_changed()
    assert panel.conclusion_code() == "accurate"    # suggested once a field has been compared


def test_all_match_keeps_a_difference_just_typed(panel, demo_session, qtbot):
    """Alt+A after typing a difference: the difference is saved and raises a finding."""
    site_id = panel.site_id
    phone = _row(panel, "contact_phone")
    phone.observed.setFocus()
    qtbot.keyClicks(phone.observed, "0531-00000000")
    _row(panel, "uscc").set_verdict("mismatch")       # chosen with Alt+2, nothing typed
    qtbot.keyClick(phone.observed, Qt.Key_A, Qt.AltModifier)   # a mnemonic: an animated click
    qtbot.waitUntil(lambda: panel.verdicts()["sponsor_name"] == "match")
    verdicts = panel.verdicts()
    assert verdicts["contact_phone"] == "mismatch" and verdicts["uscc"] == "mismatch"
    assert verdicts["sponsor_name"] == "match" and verdicts["domain"] == "match"
    assert panel.conclusion_code() != "accurate"
    qtbot.keyClick(phone.observed, Qt.Key_Return, Qt.ControlModifier)
    stored = reviews.get_review(demo_session.ctx, site_id)
    assert stored.conclusion == "sponsor_inaccurate"
    assert {c.field: c.verdict for c in stored.fields}["contact_phone"] == "mismatch"
    assert findings.ledger(demo_session.ctx, demo_session.campaign_id) and any(
        v.finding.site_id == site_id for v in findings.ledger(demo_session.ctx, demo_session.campaign_id))
