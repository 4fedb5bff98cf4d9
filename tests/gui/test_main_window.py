"""The main window: campaign selector, navigation, menus, status bar, export, geometry."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt

from workbench.gui.main_window import FINDINGS, OVERVIEW, REVIEW, SCREENS, SITES, MainWindow
from workbench.gui.views.campaign_dialog import CampaignDialog
from workbench.services import campaigns


@pytest.fixture
def window(qtbot, demo_session):
    w = MainWindow(demo_session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_selector_navigation_and_counts(window, demo_session, qtbot):
    assert window.campaign_combo.count() == 1
    assert window.campaign_combo.currentData() == demo_session.campaign_id
    assert window.stack.currentIndex() == OVERVIEW
    assert window.count_label.text() == "共 48 条，已核查 12"
    assert [window.nav.model().index(i).data() for i in range(6)] == list(SCREENS)
    window.nav.setCurrentIndex(window.nav.model().index(FINDINGS))
    assert window.stack.currentWidget() is window.findings_view
    qtbot.waitUntil(lambda: not window.overview.busy)  # figures are computed in the background
    assert window.overview.values["sites"].text() == "48"


def test_menus_and_shortcuts(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "视图(&V)", "工具(&T)", "协作与备份(&S)", "帮助(&H)"]
    assert window.import_action.shortcut().toString() == "Ctrl+O"
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    assert window.filter_action.shortcut().toString() == "Ctrl+F"
    assert window.refresh_action.shortcut().toString() == "F5"


def test_ctrl_f_focuses_the_site_filter(window, qtbot):
    window.activateWindow()
    window.focus_filter()
    assert window.stack.currentIndex() == SITES
    qtbot.waitUntil(window.sites_view.filter_box.hasFocus)


def test_filter_box_filters_after_typing_pauses(window, qtbot):
    window.show_screen(SITES)
    view = window.sites_view
    with qtbot.waitSignal(view.filter_box.filter_changed, timeout=2000):
        qtbot.keyClicks(view.filter_box, "hang")
    assert 0 < view.model.rowCount() < 48
    view.unreviewed_box.setChecked(True)
    assert all(view.model.index(r, 6).data() == "未核查" for r in range(view.model.rowCount()))


def test_selected_site_details_shown_beside_the_table(window):
    window.show_screen(SITES)
    view = window.sites_view
    view.table.selectRow(5)
    assert view.model.index(5, 0).data() in view.detail_label.text()
    assert "统一社会信用代码：" in view.detail_label.text()


def test_double_click_opens_review_of_that_site(window, qtbot):
    window.show_screen(SITES)
    table = window.sites_view.table
    index = window.sites_view.model.index(3, 1)
    table.doubleClicked.emit(index)
    assert window.stack.currentIndex() == REVIEW
    assert window.review_panel.site_id == window.sites_view.model.site_id(3)


def test_saving_a_review_updates_the_status_bar(window, demo_session):
    window.show_screen(REVIEW)
    window.review_panel.mark_all_match()
    window.review_panel.save_and_next()
    assert window.count_label.text() == "共 48 条，已核查 13"
    assert "已保存核查结论：准确" in window.statusBar().currentMessage()


def test_new_campaign_dialog_validates_inline_and_selects_the_new_one(window, demo_session):
    dialog = window.new_campaign()
    assert isinstance(dialog, CampaignDialog) and dialog.isVisible()
    dialog.accept()  # empty name
    assert dialog.isVisible() and "名称" in dialog.error_label.text()
    dialog.name_edit.setText("2027年安全检查")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("security_inspection"))
    dialog.authority_edit.setText("某市互联网信息办公室")
    dialog.accept()
    assert not dialog.isVisible()
    made = campaigns.get_campaign(demo_session.ctx, "2027年安全检查")
    assert made.kind == "security_inspection" and made.authority == "某市互联网信息办公室"
    assert demo_session.campaign_id == made.id
    assert window.campaign_combo.count() == 2 and window.campaign_combo.currentData() == made.id
    assert window.count_label.text() == "共 0 条，已核查 0"


def test_choosing_another_campaign_switches_views(window, demo_session):
    other = campaigns.create_campaign(demo_session.ctx, "空任务")
    window.reload_campaigns()
    index = window.campaign_combo.findData(other.id)
    window.campaign_combo.setCurrentIndex(index)
    window.campaign_combo.activated.emit(index)
    assert demo_session.campaign_id == other.id
    assert window.sites_view.model.rowCount() == 0
    demo_session.set_campaign(window.campaign_combo.itemData(1 - index))  # chosen elsewhere
    assert window.campaign_combo.currentData() == demo_session.campaign_id != other.id


def test_export_summary_writes_the_workbook(window, dialogs, qtbot, tmp_path):
    out = tmp_path / "汇总表"
    dialogs.answers.append(out)
    with qtbot.waitSignal(window.session.task_ended, timeout=30000):
        window.export_action.trigger()
    written = tmp_path / "汇总表.xlsx"
    assert written.exists()
    assert openpyxl.load_workbook(written).sheetnames
    assert dialogs.shown[-1][0] == "info" and str(written) in dialogs.shown[-1][2]
    assert window.session.last_folder == str(tmp_path)


def test_cancelled_save_dialog_exports_nothing(window, dialogs, tmp_path, qtbot):
    qtbot.waitUntil(lambda: not window.overview.busy)  # the dashboard's own background work
    dialogs.answers.append(None)
    window.export_summary()
    assert not window.session.workers and not list(tmp_path.glob("*.xlsx"))


def test_import_without_a_campaign_explains_what_to_do(qtbot, session, dialogs):
    w = MainWindow(session)
    qtbot.addWidget(w)
    assert w.import_list() is None
    assert dialogs.shown[-1][0] == "info" and "新建" in dialogs.shown[-1][2]


def test_print_on_a_screen_without_documents_says_so(window):
    window.show_screen(SITES)
    window.print_current()
    assert "没有可打印" in window.statusBar().currentMessage()


def test_close_remembers_geometry_and_closes_session(window, demo_session):
    window.resize(900, 600)
    window.close()
    qs = QSettings(str(demo_session.paths.config_dir / "window.ini"), QSettings.IniFormat)
    assert qs.value("geometry") is not None
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        demo_session.ctx.conn.execute("SELECT 1")


def test_refresh_rereads(window, demo_session, qtbot):
    with qtbot.waitSignal(demo_session.changed):
        qtbot.keyClick(window, Qt.Key_F5)


def test_screen_shortcuts_and_tools_menu(window):
    assert [a.shortcut().toString() for a in window.screen_actions] == [f"Ctrl+{i}" for i in range(1, 7)]
    assert [a.text() for a in window.screen_actions] == list(SCREENS)
    window.screen_actions[FINDINGS].trigger()
    assert window.stack.currentWidget() is window.findings_view
    shortcuts = [a.shortcut().toString() for m in window.menuBar().actions() for a in m.menu().actions()
                 if not a.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts))  # no shortcut is bound twice


def test_review_day_without_the_mouse(window, qtbot, demo_session):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key_R, Qt.ControlModifier)  # 核查下一个未核查网站
    panel = window.review_panel
    assert window.stack.currentIndex() == REVIEW
    qtbot.waitUntil(panel.rows[0].observed.hasFocus)
    first_site = panel.site_id
    qtbot.keyClick(panel.focusWidget(), Qt.Key_Tab)
    qtbot.keyClick(panel.focusWidget(), Qt.Key_Tab)
    assert panel.rows[1].observed.hasFocus()  # filed values are skipped: observed → verdict → next observed
    qtbot.keyClick(panel.focusWidget(), Qt.Key_A, Qt.AltModifier)  # 全部一致 (a mnemonic: animated click)
    qtbot.waitUntil(lambda: set(panel.verdicts().values()) == {"match"})
    with qtbot.waitSignal(panel.saved):
        qtbot.keyClick(panel.focusWidget(), Qt.Key_Return, Qt.ControlModifier)
    assert panel.site_id not in (None, first_site)
    assert window.count_label.text() == "共 48 条，已核查 13"
    qtbot.waitUntil(panel.rows[0].observed.hasFocus)  # ready for the next site
    panel.load_site(first_site)  # a reviewed site on screen: Ctrl+R moves on to an unreviewed one
    qtbot.keyClick(window, Qt.Key_R, Qt.ControlModifier)
    assert panel.site_id != first_site


def test_ctrl_4_focuses_the_checklist(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key_4, Qt.ControlModifier)
    assert window.stack.currentWidget() is window.inspections_view
    qtbot.waitUntil(window.inspections_view.panel.tree.hasFocus)


def test_empty_campaign_screens_say_to_import_first(qtbot, session):
    from workbench.gui.views.review_panel import ReviewPanel
    from workbench.gui.views.sites_view import SitesView
    from workbench.services import campaigns

    session.set_campaign(campaigns.create_campaign(session.ctx, "空任务").id)
    sites_view, review = SitesView(session), ReviewPanel(session)
    qtbot.addWidget(sites_view)
    qtbot.addWidget(review)
    sites_view.show()
    review.show()
    assert "Ctrl+O" in sites_view.detail_label.text()
    assert "导入网站名单" in review.title.text()


def test_edit_campaign_sets_the_prefix_notices_need(qtbot, session):
    from workbench.gui.main_window import MainWindow
    from workbench.services import campaigns

    made = campaigns.create_campaign(session.ctx, "无前缀任务")
    session.set_campaign(made.id)
    window = MainWindow(session)
    qtbot.addWidget(window)
    dialog = window.edit_campaign()
    assert dialog.name_edit.text() == "无前缀任务" and not dialog.kind_combo.isEnabled()
    dialog.prefix_edit.setText("鲁网信整改")
    dialog.authority_edit.setText("某市互联网信息办公室")
    dialog.accept()
    saved = campaigns.get_campaign(session.ctx, made.id)
    assert (saved.doc_prefix, saved.authority) == ("鲁网信整改", "某市互联网信息办公室")
