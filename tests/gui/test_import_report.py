"""The import report after a re-import: field-by-field changes and sites no longer listed."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt

from workbench.gui.models.change_lines import CHANGE_COLUMNS, ChangeLine, change_lines, value_text
from workbench.gui.models.record_table_model import RecordTableModel
from workbench.gui.views.import_report import (
    CHANGES_TAB,
    MISSING_TAB,
    PROBLEMS_TAB,
    ImportReportPage,
)
from workbench.services import campaigns, site_import

CLEAN = "site_list_clean.xlsx"
CHANGED_SITE = "鲁ICP备17279291号-1"   # sheet row 3
DROPPED_ROW = 4


@pytest.fixture
def reimport(session, samples, tmp_path):
    """The clean list imported, then again with two fields of one site changed and one row gone."""
    cid = campaigns.create_campaign(session.ctx, "复核导入").id
    session.set_campaign(cid)
    site_import.import_site_list(session.ctx, cid, samples / CLEAN)
    book = openpyxl.load_workbook(samples / CLEAN)
    sheet = book.active
    dropped = sheet.cell(DROPPED_ROW, 8).value
    sheet.cell(3, 7).value = "济南市教育局门户网站"
    sheet.cell(3, 14).value = "13900001111"
    sheet.delete_rows(DROPPED_ROW)
    second = tmp_path / "第二次名单.xlsx"
    book.save(second)
    return site_import.import_site_list(session.ctx, cid, second), dropped


@pytest.fixture
def page(qtbot, session):
    widget = ImportReportPage(session)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    return widget


def test_reimport_shows_changed_fields_and_missing_sites(page, reimport, qtmodeltester):
    report, dropped = reimport
    page.show_report(report)
    assert page.count_labels["changed"].text() == "1" and page.count_labels["missing"].text() == "1"
    assert page.tabs.count() == 3
    assert page.tabs.tabText(PROBLEMS_TAB).startswith("问题（")
    assert page.tabs.tabText(CHANGES_TAB) == "变更明细（1 个网站，2 处）"
    assert page.tabs.tabText(MISSING_TAB) == "本次名单中缺少的网站（1）"
    model = page.change_model
    qtmodeltester.check(model)
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert rows == [
        [CHANGED_SITE, "济南市教育局门户网站", "网站名称", "济南市教育局企业官网", "济南市教育局门户网站"],
        [CHANGED_SITE, "济南市教育局门户网站", "联系电话", "13000004462", "13900001111"],
    ]
    assert [h for h in (model.headerData(c, Qt.Horizontal) for c in range(5))] == \
        ["网站备案号", "网站名称", "变更字段", "原值", "现值"]
    qtmodeltester.check(page.missing_model)
    assert page.missing_model.index(0, 0).data() == dropped


def test_first_import_has_no_changes(page, session, samples):
    cid = campaigns.create_campaign(session.ctx, "首次导入").id
    page.show_report(site_import.import_site_list(session.ctx, cid, samples / CLEAN))
    assert page.change_model.rowCount() == 0 and page.missing_model.rowCount() == 0
    assert page.tabs.tabText(CHANGES_TAB) == "变更明细（0 个网站，0 处）"


def test_change_lines_order_labels_and_values():
    changed = {"鲁ICP备2号-1": {"remark": [None, "新备注"], "domains": [["a.cn"], ["a.cn", "b.cn"]]},
               "鲁ICP备1号-1": {"approved_on": ["2020-01-02", None], "unknown_field": [1, 2]}}
    lines = change_lines(changed, {"鲁ICP备2号-1": "乙网站"})
    assert lines == [
        ChangeLine("鲁ICP备1号-1", "", "approved_on", "审核通过日期", "2020-01-02", "（空）"),
        ChangeLine("鲁ICP备1号-1", "", "unknown_field", "unknown_field", "1", "2"),
        ChangeLine("鲁ICP备2号-1", "乙网站", "domains", "网站域名", "a.cn", "a.cn；b.cn"),
        ChangeLine("鲁ICP备2号-1", "乙网站", "remark", "备注", "（空）", "新备注"),
    ]
    assert value_text("") == "（空）" and value_text(0) == "0"
    model = RecordTableModel(CHANGE_COLUMNS)
    model.set_rows(lines)
    keys = [model.index(r, 2).data(Qt.UserRole) for r in range(4)]
    assert keys[2] < keys[3] and keys[1][0] > keys[3][0]  # field order of the list, unknown last


def test_an_unchanged_reimport_says_the_list_was_not_read_again(page, reimport, session, tmp_path):
    report, dropped = reimport
    again = site_import.import_site_list(session.ctx, session.campaign_id, tmp_path / "第二次名单.xlsx")
    assert again.reread is False
    page.show_report(again)
    assert page.count_labels["unchanged"].text() == str(again.summary["sites"])
    assert page.count_labels["changed"].text() == "0" and page.count_labels["missing"].text() == "1"
    assert page.missing_model.index(0, 0).data() == dropped
    assert page.hint.text().startswith("名单与此检查任务上次导入的文件完全相同")
    assert page.tabs.tabText(PROBLEMS_TAB) == f"问题（{len(report.problems)}）"
    page.grab().save(str(tmp_path / "unchanged.png"))
    page.show_report(report)
    assert page.hint.text().startswith("缺少：")
