"""撤销导入 in the window: 文件 › 导入批次 and the import report's button, confirmation first."""

from __future__ import annotations

import csv

import pytest
from hostile_files import HEADER, site_rows
from PySide6.QtCore import Qt

from workbench.gui.main_window import SITES, MainWindow
from workbench.gui.views.import_report import ImportReportPage
from workbench.services import campaigns, site_import, sites


def write_list(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


@pytest.fixture
def imported(session, tmp_path):
    """The session's campaign with a good list (3 sites), then a wrong one (+2 sites, 1 phone)."""
    campaign = campaigns.create_campaign(session.ctx, "第四季度核查")
    session.set_campaign(campaign.id)
    site_import.import_site_list(session.ctx, campaign.id, write_list(tmp_path / "好名单.csv", site_rows(3)))
    rows = site_rows(3)
    rows[0][6] = "13999999999"
    wrong = site_import.import_site_list(session.ctx, campaign.id,
                                         write_list(tmp_path / "错名单.csv", rows + site_rows(2, start=5)))
    return campaign, wrong


@pytest.fixture
def window(qtbot, session, imported):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_import_runs_dialog_undoes_the_newest_and_explains_the_older(qtbot, window, session, dialogs, imported):
    campaign, _wrong = imported
    window.show_screen(SITES)
    assert window.sites_view.model.rowCount() == 5
    runs = window.open_import_runs()
    assert [runs.model.record_at(r).file_name for r in range(runs.model.rowCount())] == ["错名单.csv", "好名单.csv"]
    assert runs.undo_button.isEnabled() and "新增 2、变更 1" in runs.detail_label.text()
    runs.table.selectRow(1)                                  # the older one: refused before asking
    runs.undo_selected()
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("warn", "撤销导入") and "之后的导入批次“错名单.csv" in text
    assert sites.count(session.ctx, campaign.id) == 5
    runs.table.selectRow(0)
    dialogs.answers.append(False)                            # 取消: nothing changes
    runs.undo_selected()
    assert dialogs.shown[-1][:2] == ("confirm", "撤销导入") and sites.count(session.ctx, campaign.id) == 5
    text = dialogs.shown[-1][2]
    assert "移除它新增的 2 个网站和 1 个主办单位" in text and "把它改动的 1 个网站恢复为导入前的备案信息" in text
    assert "回收站" in text
    dialogs.answers.append(True)
    qtbot.mouseClick(runs.undo_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: runs.undone and runs.model.record_at(0).state == "已撤销")   # undone on a worker
    assert sites.count(session.ctx, campaign.id) == 3
    assert runs.model.record_at(0).state == "已撤销" and not runs.undo_button.isEnabled()
    assert "已撤销" in runs.detail_label.text()
    assert window.sites_view.model.rowCount() == 3           # the screens were told
    runs.close()
    bin_ = window.open_recycle_bin()
    assert bin_.model.record_at(0).entity_label == "导入批次"
    with qtbot.waitSignal(bin_.restored):
        qtbot.mouseClick(bin_.restore_button, Qt.LeftButton)     # 撤销删除 = the import's rows back
    assert bin_.model.rowCount() == 0 and sites.count(session.ctx, campaign.id) == 5
    bin_.close()


def test_the_import_report_undoes_its_own_import(qtbot, session, dialogs, tmp_path):
    campaign = campaigns.create_campaign(session.ctx, "第四季度核查")
    session.set_campaign(campaign.id)
    report = site_import.import_site_list(session.ctx, campaign.id, write_list(tmp_path / "名单.csv", site_rows(4)))
    page = ImportReportPage(session)
    qtbot.addWidget(page)
    page.show_report(report)
    assert page.undo_button.isEnabled()
    dialogs.answers.append(True)
    qtbot.mouseClick(page.undo_button, Qt.LeftButton)
    assert "移除它新增的 4 个网站和 2 个主办单位" in dialogs.shown[-1][2]
    qtbot.waitUntil(lambda: not page.undo_button.isEnabled())   # undone on a worker
    assert sites.count(session.ctx, campaign.id) == 0
    assert page.heading.text().startswith("已撤销本次导入：名单.csv") and not page.undo_button.isEnabled()
