"""The import wizard: preview, column mapping, run with cancel, report, problem export."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from workbench.gui.models.problem_table_model import ProblemTableModel
from workbench.gui.views.import_wizard import ImportWizard
from workbench.services import campaigns, sites, thread_guard

MESSY = "site_list_2026Q4_messy.xlsx"


@pytest.fixture
def campaign_session(session):
    session.set_campaign(campaigns.create_campaign(session.ctx, "导入测试").id)
    return session


@pytest.fixture
def wizard(qtbot, campaign_session, samples):
    w = ImportWizard(campaign_session, samples / MESSY)
    qtbot.addWidget(w)
    w.open()
    qtbot.waitUntil(lambda: w.model.rowCount() > 0, timeout=10000)
    return w


def test_preview_shows_sheets_header_and_guessed_mapping(wizard):
    assert [wizard.sheet_combo.itemData(i) for i in range(wizard.sheet_combo.count())] == ["核查名单", "填表说明"]
    model = wizard.model
    assert model.headerData(7, Qt.Horizontal) == "网站备案号"
    assert model.index(0, 7).data() == "网站备案号" and model.index(0, 7).data(Qt.UserRole) == "site_filing_no"
    assert model.index(1, 7).data()  # first data row
    editor = wizard.table.indexWidget(model.index(0, 7))
    assert isinstance(editor, QComboBox) and editor.currentData() == "site_filing_no"
    assert wizard.start_button.isEnabled()


def test_mapping_combo_can_ignore_a_column(wizard):
    editor = wizard.table.indexWidget(wizard.model.index(0, 17))  # 备注
    editor.setCurrentIndex(editor.findData(""))
    assert 17 not in wizard.mapping()
    assert wizard.mapping()[7] == "site_filing_no"
    assert wizard.model.index(0, 17).data() == "（不导入）"


def test_sheet_without_recognised_header_needs_manual_mapping(wizard, qtbot):
    wizard.sheet_combo.setCurrentIndex(1)
    wizard.sheet_combo.activated.emit(1)
    qtbot.waitUntil(lambda: wizard.preview is not None and wizard.preview.sheet == "填表说明", timeout=10000)
    assert "网站备案号" in wizard.info_label.text()
    assert not wizard.start_button.isEnabled()
    editor = wizard.table.indexWidget(wizard.model.index(0, 0))
    editor.setCurrentIndex(editor.findData("site_filing_no"))
    assert wizard.mapping() == {0: "site_filing_no"}
    assert wizard.start_button.isEnabled()


def test_import_without_a_site_filing_no_column_is_not_started(wizard):
    editor = wizard.table.indexWidget(wizard.model.index(0, 7))
    editor.setCurrentIndex(editor.findData(""))
    assert not wizard.start_button.isEnabled()
    assert "网站备案号" in wizard.info_label.text()


def test_import_shows_counts_and_problems_and_exports_them(wizard, qtbot, dialogs, tmp_path):
    with qtbot.waitSignal(wizard.imported, timeout=30000) as blocker:
        wizard.start_import()
    report = blocker.args[0]
    page = wizard.report_page
    assert wizard.stack.currentIndex() == 1
    assert page.count_labels["sites"].text() == "300"
    assert page.count_labels["added"].text() == "300"
    assert page.count_labels["duplicate_rows"].text() == "5"
    assert page.count_labels["conflict_rows"].text() == "1"
    assert page.count_labels["rejected_rows"].text() == "1"
    assert page.model.rowCount() == len(report.problems) > 0
    assert sites.count(wizard.session.ctx, wizard.session.campaign_id) == 300
    out = tmp_path / "问题清单.xlsx"
    dialogs.answers.append(out)
    page.export_problems()
    qtbot.waitUntil(lambda: dialogs.shown[-1][:2] == ("info", "导出问题清单"), timeout=30000)   # a worker
    assert not [o for o in thread_guard.offences() if "export_problems" in o.where]   # no SQL on the GUI thread
    sheet = openpyxl.load_workbook(out).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("统一社会信用代码校验位错误" in str(c) for c in cells)
    assert dialogs.shown[-1][0] == "info" and str(out) in dialogs.shown[-1][2]


def test_cancelled_import_leaves_database_unchanged(wizard, qtbot):
    with qtbot.waitSignal(wizard.session.task_ended, timeout=30000):
        wizard.start_import()
        wizard.cancel_import()
    assert "已取消" in wizard.info_label.text()
    assert sites.count(wizard.session.ctx, wizard.session.campaign_id) == 0
    assert wizard.stack.currentIndex() == 0 and wizard.start_button.isEnabled()


def test_problem_model(qtmodeltester, samples):
    from workbench.importers.site_list import read_site_list

    problems = read_site_list(samples / MESSY).problems
    model = ProblemTableModel(problems)
    qtmodeltester.check(model)
    first = problems[0]
    assert model.index(0, 0).data() == str(first.row) and model.index(0, 0).data(Qt.UserRole) == first.row
    assert model.index(0, 2).data() in ("错误", "警告")
    assert model.index(0, 4).data() == first.value
    error_row = next(i for i, p in enumerate(problems) if p.severity == "error")
    assert model.index(error_row, 3).data(Qt.ForegroundRole) is not None


def test_an_import_read_in_a_child_process_shows_its_progress_and_report(wizard, qtbot, monkeypatch):
    """A big list is read in a child process (importers/reader_process.py; here every list): its
    progress reaches the dialog through the worker's signal as from an in-process read."""
    from workbench.importers import reader_process

    used, shown = [], []
    in_child = reader_process.read_site_list_in_child
    monkeypatch.setattr(reader_process, "CHILD_MIN_BYTES", 0)
    monkeypatch.setattr(reader_process, "read_site_list_in_child", lambda *a, **k: used.append(1) or in_child(*a, **k))
    monkeypatch.setattr(wizard, "_on_progress", lambda p, show=wizard._on_progress: shown.append(p) or show(p))
    with qtbot.waitSignal(wizard.imported, timeout=30000):
        wizard.start_import()
    assert used
    assert any(p.message.startswith("正在读取第") for p in shown) and shown[-1].message == "导入完成"
    assert wizard.report_page.count_labels["sites"].text() == "300"
    assert sites.count(wizard.session.ctx, wizard.session.campaign_id) == 300
