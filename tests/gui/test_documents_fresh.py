"""The 文书 lists follow every change at once: 登记送达, 复查意见书, actions on the findings screen."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.gui.main_window import DOCUMENTS, FINDINGS, MainWindow
from workbench.services import findings


@pytest.fixture
def window(qtbot, demo_session):
    w = MainWindow(demo_session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.show_screen(DOCUMENTS)
    return w


def _lines(view):
    return [view.notice_model.record_at(r) for r in range(view.notice_model.rowCount())]


def test_service_and_opinion_show_at_once(qtbot, window, dialogs, tmp_path):
    view = window.documents_view
    view.notice_table.selectRow(0)
    number = view.selected_notice().record.doc_number
    dialogs.answers.append(date(2026, 11, 30))
    assert view.record_service()
    line = next(x for x in _lines(view) if x.record.doc_number == number)
    assert line.record.served_on == date(2026, 11, 30)
    assert view.notice_model.data(view.notice_model.index(_lines(view).index(line), 3)) == "2026-11-30"
    for fid in line.record.finding_ids:
        findings.apply_action(window.session.ctx, fid, "pass_reinspection", reason="已整改")
    view.select_notice(number)
    dialogs.answers.append(tmp_path / "意见书.pdf")
    before = len(_lines(view))
    with qtbot.waitSignal(view.done, timeout=30000):
        assert view.write_opinion()
    assert len(_lines(view)) == before + 1      # the opinion is listed without F5 or a restart
    assert any(x.record.kind == "reinspection" for x in _lines(view))
    window.show_screen(FINDINGS)
    statuses = {window.findings_view.model.view_at(r).finding.status
                for r in range(window.findings_view.model.rowCount())}
    assert "closed" in statuses


def test_missing_prefix_is_asked_for_where_a_number_is_issued(qtbot, window, demo_session, dialogs, tmp_path):
    from workbench.services import campaigns

    campaigns.update_campaign(demo_session.ctx, demo_session.campaign_id, doc_prefix="")
    view = window.documents_view
    view.refresh()
    row = next(r for r in range(view.sponsor_model.rowCount()) if view.sponsor_model.record_at(r).needs_new_notice)
    view.sponsor_table.selectRow(row)
    dialogs.answers.extend([None])                                # cancelled: nothing numbered
    assert not view.generate_notice()
    assert dialogs.shown[-1][:2] == ("ask_text", "生成整改通知书：设置文号前缀")
    dialogs.answers.extend(["  ", "鲁网信整改〔2026〕", "鲁网信整改", tmp_path / "通知书.pdf"])
    with qtbot.waitSignal(view.done, timeout=30000):
        view.generate_notice()
    out = view.last_written[-1]
    warnings = [text for kind, _title, text in dialogs.shown if kind == "warn"]
    assert "不能为空" in warnings[0] and "自动加上" in warnings[1]
    assert out is not None and out.read_bytes().startswith(b"%PDF")
    assert campaigns.get_campaign(demo_session.ctx, demo_session.campaign_id).doc_prefix == "鲁网信整改"
    assert "鲁网信整改〔2026〕1号" in dialogs.shown[-1][2]
    assert not any("workbench campaign" in text for _k, _t, text in dialogs.shown)   # no command line
