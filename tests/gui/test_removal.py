"""删除 in the window: the confirmation says what goes, 取消 keeps everything, 回收站 undoes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.gui.main_window import INSPECTIONS, MainWindow
from workbench.services import campaigns, checklist_templates, sites
from workbench.services import inspection_service as service


@pytest.fixture
def window(qtbot, demo_session):
    w = MainWindow(demo_session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_demo_campaign_removed_and_brought_back(qtbot, window, demo_session, dialogs):
    real = campaigns.create_campaign(demo_session.ctx, "2026年真实任务")
    window.reload_campaigns()
    demo_id = demo_session.campaign_id
    window.campaign_combo.setCurrentIndex(window.campaign_combo.findData(demo_id))
    window._campaign_chosen(window.campaign_combo.currentIndex())
    dialogs.answers.append(False)                              # 取消: nothing goes
    window.remove_campaign()
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("confirm", "删除检查任务") and window.campaign_combo.count() == 2
    assert "48 个网站" in text and "文号仍然保留" in text and "回收站" in text
    dialogs.answers.append(True)
    window.remove_campaign()
    qtbot.waitUntil(lambda: window.campaign_combo.count() == 1)   # removed on a worker (a backup first)
    assert [window.campaign_combo.itemData(i) for i in range(window.campaign_combo.count())] == [real.id]
    assert demo_session.campaign_id == real.id
    bin_ = window.open_recycle_bin()
    assert bin_.model.rowCount() == 1
    line = bin_.model.record_at(0)
    assert line.label.endswith("（演示）") and line.inspector == "测试检查员" and "48 个网站" in line.summary
    with qtbot.waitSignal(bin_.restored):
        qtbot.mouseClick(bin_.restore_button, Qt.LeftButton)
    assert bin_.model.rowCount() == 0 and bin_.empty_label.isVisible()
    bin_.close()
    assert window.campaign_combo.findData(demo_id) >= 0


def test_inspection_and_evidence_removed_with_confirmation(qtbot, window, demo_session, dialogs, tmp_path):
    ctx = demo_session.ctx
    template = next(t for t in checklist_templates.list_templates(ctx) if t.code == "pipl_compliance")
    site = sites.page(ctx, demo_session.campaign_id, limit=1)[0]
    inspection = service.start_inspection(
        ctx, campaign_id=demo_session.campaign_id, sponsor_id=sites.detail(ctx, site.id).sponsor_id,
        template_id=template.id, inspected_on=ctx.today(), target=site.sponsor_name)
    photo = tmp_path / "首页截图.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    service.add_evidence(ctx, inspection.id, photo)
    demo_session.notify_all()
    window.show_screen(INSPECTIONS)
    view = window.inspections_view
    view.select_inspection(inspection.id)
    panel = view.panel
    assert panel.evidence_model.rowCount() == 1
    panel.evidence_table.selectRow(0)
    dialogs.answers.append(True)
    qtbot.mouseClick(panel.remove_evidence_button, Qt.LeftButton)
    assert dialogs.shown[-1][:2] == ("confirm", "删除证据") and "首页截图.png" in dialogs.shown[-1][2]
    qtbot.waitUntil(lambda: panel.evidence_model.rowCount() == 0)   # removed on a worker
    dialogs.answers.append(True)
    qtbot.mouseClick(view.remove_button, Qt.LeftButton)
    assert "0 个证据文件" in dialogs.shown[-1][2] and "检查结论" in dialogs.shown[-1][2]
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    bin_ = window.open_recycle_bin()
    assert {bin_.model.record_at(r).entity for r in range(bin_.model.rowCount())} == {"inspection", "evidence"}
    bin_.close()
