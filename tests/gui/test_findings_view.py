"""The findings ledger screen: a finding walked from creation to closure through its buttons and dialogs."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from workbench.domain import finding_status as fs
from workbench.gui.models.finding_table_model import FindingColumn
from workbench.gui.models.history_model import HistoryColumn
from workbench.gui.views.finding_dialogs import to_qdate
from workbench.gui.views.findings_view import FindingsView
from workbench.services import findings, notices


@pytest.fixture
def view(qtbot, demo_session):
    widget = FindingsView(demo_session)
    qtbot.addWidget(widget)
    widget.show()  # a screen reads its data when shown
    return widget


@pytest.fixture
def finding_id(demo_session, view):
    """A fresh finding (high severity: 5 working days) selected in the view."""
    sponsor = notices.sponsors_needing_notice(demo_session.ctx, demo_session.campaign_id)[0]
    finding, _ = findings.raise_finding(
        demo_session.ctx, campaign_id=demo_session.campaign_id, sponsor_id=sponsor.id,
        category="测试问题", description="首页未悬挂备案编号", severity="high",
        legal_basis="《非经营性互联网信息服务备案管理办法》第十二条", requirement="悬挂备案编号",
    )
    demo_session.notify("findings")
    view.select_finding(finding.id)
    assert view.current_finding().id == finding.id
    return finding.id


def _act(qtbot, view, action, *, setup=None):
    """Click an action's button, fill its dialog with ``setup(dialog)``, press OK."""
    button = view.action_buttons[action]
    assert button.isEnabled(), f"{action} should be enabled"
    qtbot.mouseClick(button, Qt.LeftButton)
    dialog = view.action_dialog
    assert dialog is not None and dialog.isVisible()
    if setup:
        setup(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.LeftButton)
    return dialog


def _status(session, finding_id):
    return findings.get_finding(session.ctx, finding_id).status


def _enabled(view):
    return {a for a, b in view.action_buttons.items() if b.isEnabled()}


def test_finding_walks_to_closure_through_failed_reinspection_and_extension(qtbot, view, finding_id, demo_session):
    s = demo_session
    assert _enabled(view) == set(fs.allowed_actions(fs.PENDING))

    def notify(d):
        d.day_edit.setDate(to_qdate(date(2026, 11, 30)))
        d.term_spin.setValue(10)
        assert "2026-12-14" in d.preview.text()  # 10 working days after Monday 30 Nov
    _act(qtbot, view, fs.NOTIFY, setup=notify)
    assert _status(s, finding_id) == fs.RECTIFYING
    assert findings.get_finding(s.ctx, finding_id).deadline == date(2026, 12, 14)
    assert _enabled(view) == set(fs.allowed_actions(fs.RECTIFYING))

    _act(qtbot, view, fs.REPORT)
    assert _status(s, finding_id) == fs.AWAITING

    _act(qtbot, view, fs.FAIL_REINSPECTION, setup=lambda d: d.reason_edit.setPlainText("首页仍未悬挂备案编号"))
    assert _status(s, finding_id) == fs.FAILED
    assert _enabled(view) == {fs.RESUME, fs.WITHDRAW}

    def resume(d):
        d.term_spin.setValue(5)
        d.unit_combo.setCurrentIndex(d.unit_combo.findData("working"))
    _act(qtbot, view, fs.RESUME, setup=resume)
    assert _status(s, finding_id) == fs.RECTIFYING
    assert findings.get_finding(s.ctx, finding_id).deadline == date(2026, 12, 7)

    def extend(d):
        ok = d.buttons.button(QDialogButtonBox.Ok)
        assert not ok.isEnabled()  # a reason is required first
        d.date_radio.setChecked(True)
        d.deadline_edit.setDate(to_qdate(date(2026, 12, 21)))
        d.reason_edit.setPlainText("单位申请延期：服务器迁移")
        assert "原整改期限：2026-12-07" in d.preview.text()
    _act(qtbot, view, fs.EXTEND, setup=extend)
    assert findings.get_finding(s.ctx, finding_id).deadline == date(2026, 12, 21)

    _act(qtbot, view, fs.REPORT)
    _act(qtbot, view, fs.PASS_REINSPECTION, setup=lambda d: d.reason_edit.setPlainText("已悬挂"))
    assert _status(s, finding_id) == fs.CLOSED
    assert _enabled(view) == set()

    history = view.history_model
    actions = [history.data(history.index(r, HistoryColumn.ACTION)) for r in range(history.rowCount())]
    assert actions == ["登记问题", "送达整改通知", "单位报告整改完成", "复查未通过", "重新整改", "延期",
                       "单位报告整改完成", "复查通过"]
    changes = [history.data(history.index(r, HistoryColumn.STATUS)) for r in range(history.rowCount())]
    assert changes[3] == "待复查→复查未通过" and changes[-1] == "待复查→已整改"
    assert history.data(history.index(5, HistoryColumn.REASON)) == "单位申请延期：服务器迁移"
    assert history.data(history.index(5, HistoryColumn.DEADLINE)) == "2026-12-21"
    row = view.model.row_of(finding_id)
    assert view.model.data(view.model.index(row, FindingColumn.STATUS)) == "已整改"


def test_withdraw_asks_first(qtbot, view, finding_id, demo_session, dialogs):
    dialogs.answers.append(False)
    _act(qtbot, view, fs.WITHDRAW, setup=lambda d: d.reason_edit.setPlainText("重复登记"))
    assert _status(demo_session, finding_id) == fs.PENDING
    assert dialogs.shown[-1][:2] == ("confirm", "撤销问题")
    dialogs.answers.append(True)
    _act(qtbot, view, fs.WITHDRAW, setup=lambda d: d.reason_edit.setPlainText("重复登记"))
    assert _status(demo_session, finding_id) == fs.WITHDRAWN


def test_service_error_is_shown(qtbot, view, finding_id, demo_session, dialogs):
    def earlier(d):  # an "extension" to a day before the current deadline is refused by the rules
        d.date_radio.setChecked(True)
        d.deadline_edit.setDate(to_qdate(date(2026, 12, 1)))
        d.reason_edit.setPlainText("试图缩短")
    _act(qtbot, view, fs.EXTEND, setup=earlier)
    assert _status(demo_session, finding_id) == fs.PENDING
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("warn", "延期") and "应晚于原期限" in text


def test_filters(qtbot, view, finding_id, demo_session):
    total = view.model.rowCount()
    findings.apply_action(demo_session.ctx, finding_id, fs.WITHDRAW, reason="测试")
    demo_session.notify("findings")
    view.status_filter.setCurrentText("未结")
    assert view.model.rowCount() == total - 1
    assert view.model.row_of(finding_id) == -1
    view.status_filter.setCurrentText("逾期")
    assert view.model.rowCount() == 0  # the demo's deadlines are all after 2026-11-30
    view.status_filter.setCurrentText("全部")
    view.filter_edit.setText("测试问题")
    assert view.model.rowCount() == 1 and "显示 1 / 共" in view.count_label.text()


def test_findings_never_served_are_not_overdue_anywhere(qtbot, demo_session):
    """Months after the demo's notices were issued but never served: ledger, overview and summary
    count nothing as overdue, and the ledger says 未送达 instead of 逾期."""
    from workbench.gui.main_window import MainWindow
    from workbench.services import summary

    demo_session.ctx.today_override = date(2027, 3, 1)
    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.overview.busy)  # figures are computed in the background
    assert window.overview.values["overdue"].text() == "0"
    assert int(window.overview.values["open"].text()) > 0
    view = window.findings_view
    window.show_screen(window.stack.indexOf(view))   # screens read their data when shown
    texts = {view.model.index(r, FindingColumn.DAYS_LEFT).data() for r in range(view.model.rowCount())}
    assert texts == {"未送达"}
    view.status_filter.setCurrentText("逾期")
    assert view.model.rowCount() == 0
    totals = summary.build_summary(demo_session.ctx, demo_session.campaign_id).totals
    assert totals["逾期问题"] == 0 and totals["未整改问题"] > 0
    number = notices.list_notices(demo_session.ctx, demo_session.campaign_id)[0].doc_number
    notices.record_service(demo_session.ctx, number, date(2027, 1, 4))   # served: the term runs out
    window.show_screen(0)
    demo_session.notify("findings")
    assert view.refresher.stale   # hidden: re-read only when shown again
    window.show_screen(window.stack.indexOf(view))
    assert view.model.rowCount() > 0
    assert all("逾期" in view.model.index(r, FindingColumn.DAYS_LEFT).data() for r in range(view.model.rowCount()))
    qtbot.waitUntil(lambda: not window.overview.busy)
    assert int(window.overview.values["overdue"].text()) == view.model.rowCount()
