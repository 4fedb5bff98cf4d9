"""The 检查 screen's template import/export and 开始复查 (re-inspection round with carried answers)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt

from workbench.gui.views.inspections_view import InspectionsView
from workbench.services import checklist_templates, sites, thread_guard
from workbench.services import inspection_service as service

TEMPLATE = "pipl_compliance"


@pytest.fixture
def view(qtbot, demo_session):
    widget = InspectionsView(demo_session)
    qtbot.addWidget(widget)
    widget.resize(1300, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _templates(session):
    return checklist_templates.list_templates(session.ctx, latest_only=False)


def _export(view, dialogs, out):
    """Choose the pipl template in the export button's menu."""
    view.export_menu.aboutToShow.emit()
    titles = {t.id: t for t in _templates(view.session)}
    action = next(a for a in view.export_menu.actions()
                  if any(t.code == TEMPLATE and a.text().startswith(t.title) for t in titles.values()))
    dialogs.answers.append(out)
    action.trigger()


def test_export_then_import_same_and_edited_template(qtbot, view, dialogs, tmp_path, demo_session):
    _export(view, dialogs, tmp_path / "模板")
    written = tmp_path / "模板.xlsx"
    qtbot.waitUntil(lambda: dialogs.shown[-1][:2] == ("info", "导出检查表模板"), timeout=30000)   # a worker
    assert not [o for o in thread_guard.offences() if "export_template" in o.where]   # no SQL on the GUI thread
    assert written.exists() and dialogs.shown[-1][0] == "info" and str(written) in dialogs.shown[-1][2]
    before = len(_templates(demo_session))
    dialogs.answers.append(written)
    with qtbot.waitSignal(view.template_imported, timeout=30000):   # read on a worker
        qtbot.mouseClick(view.import_button, Qt.LeftButton)
    assert "已导入过，内容相同" in dialogs.shown[-1][2] and len(_templates(demo_session)) == before

    book = openpyxl.load_workbook(written)
    sheet = book["检查项"]
    sheet.cell(2, 4).value = "修改后的检查要求：公开个人信息处理规则。"
    book.save(written)
    dialogs.answers.extend([written, False])  # same version, other content: refuse the new version
    assert view.import_template()
    qtbot.waitUntil(lambda: dialogs.shown[-1][0] == "confirm", timeout=30000)
    assert dialogs.shown[-1][:2] == ("confirm", "导入检查表模板") and "内容与之不同" in dialogs.shown[-1][2]
    assert len(_templates(demo_session)) == before
    thread_guard.reset()
    dialogs.answers.extend([written, True])
    with qtbot.waitSignal(view.template_imported, timeout=30000) as imported:
        assert view.import_template()
    record = imported.args[0]
    assert record is not None and record.code == TEMPLATE and len(_templates(demo_session)) == before + 1
    original = next(t for t in _templates(demo_session) if t.code == TEMPLATE and t.id != record.id)
    assert record.version != original.version
    assert "已导入检查表模板" in dialogs.shown[-1][2] and record.version in dialogs.shown[-1][2]
    assert not thread_guard.offences()    # read and checked on a worker, stored on the writer thread
    dialogs.answers.extend([written, True])   # the edited file again: that version is stored already
    with qtbot.waitSignal(view.template_imported, timeout=30000) as again:
        view.import_template()
    assert again.args[0].id == record.id and "已导入过" in dialogs.shown[-1][2]
    assert len(_templates(demo_session)) == before + 1


def test_import_bad_template_lists_its_problems(qtbot, view, dialogs, tmp_path, demo_session):
    bad = tmp_path / "坏模板.yaml"
    bad.write_text("id: broken\ntitle: 坏模板\nversion: '1'\nsections: []\nitems:\n  - code: X\n", encoding="utf-8")
    before = len(_templates(demo_session))
    dialogs.answers.append(bad)
    assert view.import_template()
    qtbot.waitUntil(lambda: dialogs.shown[-1][0] == "warn", timeout=30000)
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("warn", "导入检查表模板") and "坏模板.yaml" in text and "全部问题" in text
    assert len(_templates(demo_session)) == before


def test_import_broken_yaml_names_the_file_and_line(qtbot, view, dialogs, tmp_path, demo_session):
    bad = tmp_path / "语法错误.yaml"
    bad.write_text("id: broken\ntitle: 坏模板\nitems:\n  - code: X\n    title: [未闭合\n", encoding="utf-8")
    dialogs.answers.append(bad)
    view.import_template()
    qtbot.waitUntil(lambda: dialogs.shown[-1][0] == "warn", timeout=30000)
    kind, title, text = dialogs.shown[-1]
    assert title == "导入检查表模板" and "语法错误.yaml" in text
    assert "第 5 行" in text and "YAML 格式错误" in text and "括号" in text   # where the list was opened


def _completed_inspection(session, responses):
    """An inspection of the pipl template answered with ``responses`` (by position) and completed."""
    ctx = session.ctx
    site = sites.page(ctx, session.campaign_id, limit=1)[0]
    template = next(t for t in checklist_templates.list_templates(ctx) if t.code == TEMPLATE)
    ins = service.start_inspection(
        ctx, campaign_id=session.campaign_id, sponsor_id=sites.detail(ctx, site.id).sponsor_id,
        template_id=template.id, inspected_on=date(2026, 11, 2),
        inspectors="张三", target="复查对象单位")
    codes = [it.code for it in service.load_inspection(ctx, ins.id).items]
    for code, response in zip(codes, responses(len(codes)), strict=True):
        service.answer_item(ctx, ins.id, code, response, notes=f"{code} 初查")
    service.complete_inspection(ctx, ins.id)
    return ins.id, codes


def test_reinspection_round_asks_only_failed_items_and_carries_the_rest(qtbot, qtmodeltester, view, dialogs,
                                                                        demo_session):
    ins_id, codes = _completed_inspection(
        demo_session, lambda n: ["non_compliant", "partial"] + ["compliant"] * (n - 2))
    view.refresh()
    view.select_inspection(ins_id)
    panel = view.panel
    assert view.reinspect_button.isEnabled()
    dialogs.answers.append(None)  # cancelled: nothing happens
    view.start_reinspection()
    assert service.load_inspection(demo_session.ctx, ins_id).round.round == 0

    dialogs.answers.append("李复查")
    with qtbot.waitSignal(view.reinspection_started):
        qtbot.mouseClick(view.reinspect_button, Qt.LeftButton)
    state = service.load_inspection(demo_session.ctx, ins_id)
    assert state.round.round == 1 and state.round.inspectors == "李复查"
    assert state.round.inspected_on == date(2026, 11, 30)
    assert not view.reinspect_button.isEnabled()
    assert "第 1 次复查" in panel.title_label.text()
    assert [c for c in panel.model.item_codes() if panel.model.is_to_check(c)] == codes[:2]
    assert panel.current_item_code() == codes[0]
    assert "上次检查：</b>不符合" in panel.item_label.text()     # what was found last time is shown
    assert set(state.previous) == set(codes[:2])
    carried = panel.model.index_of(codes[5]).siblingAtColumn(1)
    assert panel.model.data(carried) == "符合（沿用）"
    sections = [panel.model.index(r, 1).data() for r in range(panel.model.rowCount())]
    assert sections[0] == "0/2" and set(sections[1:]) == {"沿用"}  # only section A is re-checked
    qtmodeltester.check(panel.model)
    assert panel.response_buttons["compliant"].isEnabled()  # the first item to re-check is open
    panel.select_item(codes[5])
    assert not panel.response_buttons["compliant"].isEnabled()  # a carried answer is not asked again
    assert panel.notes_edit.toPlainText() == f"{codes[5]} 初查"
    panel.select_item(codes[0])
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key_1)
    qtbot.keyClick(panel.tree, Qt.Key_N)
    assert panel.current_item_code() == codes[1]
    qtbot.keyClick(panel.tree, Qt.Key_1)
    answers = service.load_inspection(demo_session.ctx, ins_id).answers
    assert answers[codes[0]].response == answers[codes[1]].response == "compliant"
    assert "总分 100.0" in panel.score_label.text()


def test_reinspection_refused_when_nothing_failed(view, dialogs, demo_session):
    ins_id, _codes = _completed_inspection(demo_session, lambda n: ["compliant"] * n)
    view.refresh()
    view.select_inspection(ins_id)
    dialogs.answers.append("李复查")
    view.start_reinspection()
    assert service.load_inspection(demo_session.ctx, ins_id).round.round == 0
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("warn", "开始复查") and "无需复查" in text


def test_reinspect_button_disabled_while_in_progress(qtbot, view, demo_session):
    ctx = demo_session.ctx
    site = sites.page(ctx, demo_session.campaign_id, limit=1)[0]
    template = next(t for t in checklist_templates.list_templates(ctx) if t.code == TEMPLATE)
    ins = service.start_inspection(ctx, campaign_id=demo_session.campaign_id,
                                   sponsor_id=sites.detail(ctx, site.id).sponsor_id, template_id=template.id,
                                   inspected_on=date(2026, 11, 30))
    view.refresh()
    view.select_inspection(ins.id)
    assert view.selected_inspection().id == ins.id and not view.reinspect_button.isEnabled()
