"""The inspection screen: an inspection started, answered by number keys, evidenced, completed, findings raised."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from workbench.gui.models.checklist_model import ChecklistColumn, EvidenceTableModel
from workbench.gui.views.inspection_panel import SCORE_RULE
from workbench.gui.views.inspections_view import InspectionsView
from workbench.services import checklist_templates, findings
from workbench.services import inspection_service as service

TEMPLATE = "pipl_compliance"  # 21 items, no MLPS levels


@pytest.fixture
def view(qtbot, demo_session):
    widget = InspectionsView(demo_session)
    qtbot.addWidget(widget)
    widget.resize(1300, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _start(qtbot, view):
    """Start an inspection through the new-inspection dialog; returns its id."""
    qtbot.mouseClick(view.new_button, Qt.LeftButton)
    dialog = view.new_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.search_edit.setText("门户网站")
    dialog.site_table.selectRow(0)
    site = dialog.chosen_site()
    combo = dialog.template_combo
    combo.setCurrentIndex(next(i for i in range(combo.count())
                               if _template_code(view, combo.itemData(i)) == TEMPLATE))
    dialog.inspectors_edit.setText("张三、李四")
    dialog.place_edit.setText("济南市历下区某路1号机房")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert view.model.rowCount() == 1
    inspection = view.model.record_at(0).inspection
    assert inspection.site_id == site.id and inspection.inspectors == "张三、李四"
    assert inspection.place == "济南市历下区某路1号机房"  # 检查地点, printed on the notice
    assert site.sponsor_name in inspection.target
    assert view.panel.inspection_id == inspection.id
    return inspection.id


def _template_code(view, template_id):
    return next(t.code for t in checklist_templates.list_templates(view.session.ctx)
                if t.id == template_id)


def _key(qtbot, view, key):
    qtbot.keyClick(view.panel.tree, key)


def test_inspection_start_to_finish(qtbot, view, dialogs, demo_session):
    inspection_id = _start(qtbot, view)
    panel, ctx = view.panel, demo_session.ctx
    codes = panel.model.item_codes()
    assert len(codes) == 21 and panel.current_item_code() == codes[0]
    for _ in codes[:-2]:
        _key(qtbot, view, Qt.Key_1)  # 符合
        _key(qtbot, view, Qt.Key_N)  # next unanswered
    panel.notes_edit.setPlainText("隐私政策未告知保存期限")
    _key(qtbot, view, Qt.Key_3)  # 不符合
    _key(qtbot, view, Qt.Key_N)
    _key(qtbot, view, Qt.Key_2)  # 部分符合
    answers = service.load_inspection(ctx, inspection_id).answers
    assert {c: a.response for c, a in answers.items()} == {
        **{c: "compliant" for c in codes[:-2]}, codes[-2]: "non_compliant", codes[-1]: "partial"}
    assert answers[codes[-2]].notes == "隐私政策未告知保存期限"
    assert "总分 92.9" in panel.score_label.text()  # (19 + 0.5) / 21 × 100
    assert SCORE_RULE in [label.text() for label in panel.findChildren(QLabel)]  # the rule is stated
    section = panel.model.index(panel.model.rowCount() - 1, ChecklistColumn.RESPONSE)
    assert panel.model.data(section).endswith("/" + str(panel.model.rowCount(panel.model.index(section.row(), 0))))
    assert view.model.data(view.model.index(0, 5)) == "21/21"

    qtbot.mouseClick(panel.complete_button, Qt.LeftButton)
    assert service.load_inspection(ctx, inspection_id).inspection.status == "completed"
    assert not panel.response_buttons["compliant"].isEnabled()

    dialogs.answers.append(True)
    qtbot.mouseClick(panel.findings_button, Qt.LeftButton)
    raised = [v.finding for v in findings.ledger(demo_session.ctx, demo_session.campaign_id)
              if v.finding.inspection_id == inspection_id]
    assert sorted(f.checklist_item_code for f in raised) == sorted(codes[-2:])
    assert any("隐私政策未告知保存期限" in f.description for f in raised)
    panel.raise_findings()              # a second time raises nothing new
    assert "均已登记" in dialogs.shown[-1][2]


def test_completing_with_unanswered_items_asks_first(qtbot, view, dialogs, demo_session):
    inspection_id = _start(qtbot, view)
    qtbot.keyClicks(view.panel.notes_edit, "1 2")  # digits typed in the notes are text, not responses
    assert view.panel.notes_edit.toPlainText() == "1 2"
    assert service.load_inspection(demo_session.ctx, inspection_id).answers == {}
    _key(qtbot, view, Qt.Key_1)
    dialogs.answers.append(False)
    qtbot.mouseClick(view.panel.complete_button, Qt.LeftButton)
    assert dialogs.shown[-1][:2] == ("confirm", "完成检查")
    assert service.load_inspection(demo_session.ctx, inspection_id).inspection.status == "in_progress"
    dialogs.answers.append(True)
    qtbot.mouseClick(view.panel.complete_button, Qt.LeftButton)
    assert service.load_inspection(demo_session.ctx, inspection_id).inspection.status == "completed"


def test_evidence_by_dialog_and_drop(qtbot, view, dialogs, tmp_path, demo_session):
    _start(qtbot, view)
    panel = view.panel
    image = tmp_path / "截图.png"
    picture = QImage(120, 80, QImage.Format_RGB32)
    picture.fill(QColor("orange"))
    picture.save(str(image))
    dialogs.answers.append([image])
    with qtbot.waitSignal(panel.evidence_added):   # hashed and copied on a worker
        qtbot.mouseClick(panel.add_evidence_button, Qt.LeftButton)
    assert panel.evidence_model.rowCount() == 1
    panel.evidence_table.selectRow(0)
    assert not panel.preview_label.pixmap().isNull()

    note = tmp_path / "记录.txt"
    note.write_text("现场访谈记录", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(note))])
    drop = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    with qtbot.waitSignal(panel.evidence_added):
        panel.dropEvent(drop)
    assert panel.evidence_model.rowCount() == 2
    names = {panel.evidence_model.evidence_at(r).original_name for r in range(2)}
    assert names == {"截图.png", "记录.txt"}
    code = panel.current_item_code()
    assert all(panel.evidence_model.evidence_at(r).item_code == code for r in range(2))


def test_checklist_and_evidence_models(qtbot, qtmodeltester, view, dialogs, tmp_path):
    _start(qtbot, view)
    panel = view.panel
    _key(qtbot, view, Qt.Key_3)
    qtmodeltester.check(panel.model)
    first = panel.model.index_of(panel.model.item_codes()[0])
    response = first.siblingAtColumn(ChecklistColumn.RESPONSE)
    assert panel.model.data(response) == "不符合"
    assert panel.model.data(response, Qt.ForegroundRole).color() == QColor("#c62828")
    assert panel.model.data(first, Qt.UserRole) == panel.model.item_codes()[0]
    assert panel.model.data(panel.model.index(0, ChecklistColumn.RESPONSE)).startswith("1/")
    (tmp_path / "a.txt").write_text("x")
    with qtbot.waitSignal(panel.evidence_added):
        panel.add_evidence([tmp_path / "a.txt"])
    model = EvidenceTableModel()
    model.set_rows([panel.evidence_model.evidence_at(0)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 2)) == "1 B" and model.data(model.index(0, 2), Qt.UserRole) == 1


def test_new_inspection_with_default_choices_stays_open_and_says_why(qtbot, view, dialogs):
    """等保 template (first) with 不区分等级: refused inside the dialog, form kept; a level then starts it."""
    qtbot.mouseClick(view.new_button, Qt.LeftButton)
    dialog = view.new_dialog
    dialog.search_edit.setText("门户网站")
    dialog.site_table.selectRow(0)
    combo = dialog.template_combo
    mlps = next(i for i in range(combo.count()) if "等级保护" in combo.itemText(i) or "等保" in combo.itemText(i))
    combo.setCurrentIndex(mlps)
    dialog.inspectors_edit.setText("张三")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.isVisible() and view.new_dialog is dialog
    assert dialog.error_label.isVisible() and "保护等级" in dialog.error_label.text()
    assert dialog.inspectors_edit.text() == "张三" and dialog.chosen_site() is not None
    assert view.model.rowCount() == 0 and dialogs.shown == []
    dialog.level_combo.setCurrentText("第三级")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dialog.isVisible()
    assert view.model.rowCount() == 1 and view.model.record_at(0).inspection.mlps_level == 3


def test_reinspection_keeps_the_last_score_until_items_are_rechecked(qtbot, view, dialogs, demo_session):
    inspection_id = _start(qtbot, view)
    panel = view.panel
    codes = panel.model.item_codes()
    for _ in codes[:-1]:
        _key(qtbot, view, Qt.Key_1)
        _key(qtbot, view, Qt.Key_N)
    _key(qtbot, view, Qt.Key_3)                      # one 不符合: (20 + 0) / 21
    qtbot.mouseClick(panel.complete_button, Qt.LeftButton)
    assert "总分 95.2" in panel.score_label.text()
    dialogs.answers.append("王五")                  # 复查人员
    with qtbot.waitSignal(view.reinspection_started):
        view.start_reinspection()
    assert service.load_inspection(demo_session.ctx, inspection_id).round.round == 1
    panel.select_item(codes[-1])
    text = panel.score_label.text()
    assert "总分 95.2" in text and "总分 100.0" not in text and "已复查 0/1 项" in text
    _key(qtbot, view, Qt.Key_1)                      # re-checked: now compliant
    assert "总分 100.0" in panel.score_label.text() and "已复查 1/1 项" in panel.score_label.text()


def test_a_missing_evidence_file_is_named_and_the_others_are_added(qtbot, view, dialogs, tmp_path):
    """Evidence is hashed and copied on a worker: one bad file is reported by name, the rest stored."""
    _start(qtbot, view)
    panel = view.panel
    good = tmp_path / "现场照片.txt"
    good.write_text("照片说明", encoding="utf-8")
    with qtbot.waitSignal(panel.evidence_added) as added:
        assert panel.add_evidence([tmp_path / "已删除的文件.png", good]) == 2
    assert added.args == [1] and panel.evidence_model.rowCount() == 1
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("warn", "添加证据") and "已删除的文件.png" in text
