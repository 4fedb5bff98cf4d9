"""One inspector's day through the real main window: campaign, import, review, summary, notice."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt

from workbench.gui.main_window import DOCUMENTS, REVIEW, SITES, MainWindow
from workbench.gui.views.import_wizard import ImportWizard
from workbench.services import findings, reviews


def _create_campaign(window):
    dialog = window.new_campaign()
    dialog.name_edit.setText("2026年第四季度备案核查")
    dialog.authority_edit.setText("某市互联网信息办公室")
    dialog.prefix_edit.setText("鲁网信整改")
    dialog.accept()
    assert not dialog.isVisible()


def _import_sample(window, dialogs, qtbot, path):
    dialogs.answers.append(path)
    wizard = window.import_list()
    assert isinstance(wizard, ImportWizard)
    qtbot.waitUntil(wizard.start_button.isEnabled, timeout=10000)
    with qtbot.waitSignal(wizard.imported, timeout=30000):
        qtbot.mouseClick(wizard.start_button, Qt.LeftButton)
    assert wizard.report_page.count_labels["sites"].text() == "300"
    assert wizard.report_page.model.rowCount() > 0
    wizard.report_page.close_button.click()
    assert not wizard.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _review_third_site_as_inaccurate(window, qtbot):
    view = window.sites_view
    view.table.setFocus()
    view.table.selectRow(2)
    site_id = view.model.site_id(2)
    view.open_current()
    panel = window.review_panel
    assert window.stack.currentIndex() == REVIEW and panel.site_id == site_id
    sponsor = next(r for r in panel.rows if r.code == "sponsor_name")
    qtbot.keyClicks(sponsor.observed, "Other Co Ltd")
    assert panel.conclusion_code() == "sponsor_inaccurate"
    with qtbot.waitSignal(panel.saved):
        qtbot.keyClick(sponsor.observed, Qt.Key_Enter, Qt.ControlModifier)
    assert panel.site_id != site_id
    return site_id


def test_inspector_day(qtbot, session, dialogs, samples, tmp_path):
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()

    _create_campaign(window)
    assert window.campaign_combo.currentText().startswith("2026年第四季度备案核查")
    _import_sample(window, dialogs, qtbot, samples / "site_list_2026Q4_messy.xlsx")
    assert window.stack.currentIndex() == SITES
    assert window.sites_view.model.rowCount() == 300
    assert window.count_label.text() == "共 300 条，已核查 0"
    assert window.review_panel.refresher.stale  # the hidden review screen reads the import when shown

    site_id = _review_third_site_as_inaccurate(window, qtbot)
    assert reviews.get_review(session.ctx, site_id).conclusion == "sponsor_inaccurate"
    ledger = findings.ledger(session.ctx, session.campaign_id)
    assert [v.finding.site_id for v in ledger] == [site_id]
    assert "整改期限" in window.statusBar().currentMessage()
    assert window.count_label.text() == "共 300 条，已核查 1"

    summary_path = tmp_path / "汇总表.xlsx"
    dialogs.answers.append(summary_path)
    with qtbot.waitSignal(session.task_ended, timeout=30000):
        qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier)
    book = openpyxl.load_workbook(summary_path)
    assert any(ledger[0].sponsor_name in str(c) for ws in book for row in ws.iter_rows(values_only=True)
               for c in row)

    window.nav.setCurrentIndex(window.nav.model().index(DOCUMENTS))
    docs = window.documents_view
    assert docs.sponsor_model.rowCount() == 1
    docs.sponsor_table.selectRow(0)
    notice_path = tmp_path / "整改通知书.pdf"
    dialogs.answers.append(notice_path)
    with qtbot.waitSignal(docs.done, timeout=30000):   # drawn and numbered on a worker
        docs.generate_notice()
    assert notice_path.read_bytes().startswith(b"%PDF")
    assert findings.ledger(session.ctx, session.campaign_id)[0].notice_number.startswith("鲁网信整改")
