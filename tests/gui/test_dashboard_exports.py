"""The dashboard (概览) and the window's exports: charts that open filtered lists, 右键 › 导出为
Excel of what a table shows, 文件 › 导出整改台账 / 导出汇总报告, the personal-data choice."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from workbench.gui.main_window import FINDINGS, SITES, MainWindow
from workbench.gui.widgets.bar_chart import Bar, BarChart
from workbench.gui.widgets.table_export import ACTION_TEXT


@pytest.fixture
def window(qtbot, demo_session):
    w = MainWindow(demo_session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.overview.busy and w.overview.figures is not None)
    return w


def test_dashboard_shows_the_summary_figures_and_charts(window, demo_session):
    conn = demo_session.ctx.conn
    cid = demo_session.campaign_id
    f = window.overview.figures
    assert f.sites == conn.execute("SELECT count(*) FROM site WHERE campaign_id = ?", (cid,)).fetchone()[0]
    assert window.overview.values["reviewed"].text() == str(f.reviewed) == "12"
    assert window.overview.values["rate"].text() == f"{f.accurate / f.reviewed:.1%}"
    providers = {b.label for b in window.overview.provider_chart.bars}
    assert providers == {r.group for r in f.by_provider if r.group != "合计"}
    assert [b.label for b in window.overview.status_chart.bars][:2] == ["待整改", "整改中"]
    timeline = window.overview.timeline_chart
    assert timeline.categories and {name for name, _ in timeline.series} == {"待整改"}
    assert timeline.series[0][1][-1] == f.by_status[0].value  # all 待整改 at the last week's end
    window.overview.grab()  # every chart paints


def test_dashboard_follows_saved_work_on_its_topics_only(window, qtbot, demo_session):
    """A saved review changes the figures at once while 概览 shows; a change it does not show
    (checklist templates) computes nothing; hidden, it only marks itself stale until shown."""
    from workbench.domain.review_record import FieldCheck
    from workbench.services import reviews, sites

    def review(site_id):
        detail = sites.detail(demo_session.ctx, site_id)
        reviews.record_review(demo_session.ctx, site_id, [FieldCheck(k, v, v, "match") for k, v in detail.filed.items()],
                              "accurate")

    conn, cid, overview = demo_session.ctx.conn, demo_session.campaign_id, window.overview
    unreviewed = [r[0] for r in conn.execute(
        "SELECT id FROM site WHERE campaign_id = ? AND id NOT IN (SELECT site_id FROM review) ORDER BY id", (cid,))]
    review(unreviewed[0])
    demo_session.notify("reviews")
    assert overview.busy or overview.values["reviewed"].text() == "13"
    qtbot.waitUntil(lambda: not overview.busy and overview.values["reviewed"].text() == "13")
    generation = overview._generation
    demo_session.notify("templates")
    assert overview._generation == generation and not overview.busy
    window.show_screen(SITES)
    review(unreviewed[1])
    demo_session.notify("reviews")
    assert overview._generation == generation and overview.refresher.stale
    window.show_screen(0)
    qtbot.waitUntil(lambda: not overview.busy and overview.values["reviewed"].text() == "14")


def test_clicking_a_provider_bar_opens_its_sites(window, qtbot):
    chart = window.overview.provider_chart
    bar = chart.bars[0]
    centre = chart.bar_rect(0).center()
    with qtbot.waitSignal(window.overview.open_sites) as blocker:
        qtbot.mouseClick(chart, Qt.LeftButton, pos=centre.toPoint())
    assert blocker.args == [bar.key]
    assert window.stack.currentIndex() == SITES
    view = window.sites_view
    assert view.filter_box.text() == bar.label
    shown = {view.model.index(r, 4).data() for r in range(view.model.rowCount())}
    assert bar.label in shown and view.model.rowCount() > 0


def test_clicking_a_status_bar_or_the_overdue_card_opens_the_ledger(window, qtbot):
    window.overview.status_chart.bar_clicked.emit("待整改")
    assert window.stack.currentIndex() == FINDINGS
    view = window.findings_view
    assert view.status_filter.currentText() == "全部" and view.filter_edit.text() == "待整改"
    assert view.model.rowCount() > 0
    window.overview.card_buttons["overdue"].click()
    assert view.status_filter.currentText() == "逾期" and view.filter_edit.text() == ""


def test_bar_chart_maps_clicks_to_bars(qtbot):
    chart = BarChart("图")
    qtbot.addWidget(chart)
    chart.resize(400, 200)
    chart.set_bars([Bar("甲", 0.5, "50%", "a"), Bar("乙", 1.0, "100%", "b", alert=True)], 1.0)
    assert chart.bar_at(chart.bar_rect(1).center().y()).key == "b"
    assert chart.bar_at(2) is None
    assert chart.bar_rect(1).width() > chart.bar_rect(0).width() * 1.9
    chart.grab()  # paints without error


def test_table_context_menu_exports_what_is_shown(window, dialogs, qtbot, tmp_path, demo_session):
    window.show_screen(FINDINGS)
    view = window.findings_view
    view.filter_edit.setText("联系方式")
    view.table.sortByColumn(0, Qt.DescendingOrder)
    shown = view.model.rowCount()
    assert 0 < shown < view.model.totals[1]   # filtered in SQL: fewer than the whole ledger
    action = next(a for a in view.table.actions() if a.text() == ACTION_TEXT)
    assert view.table.contextMenuPolicy() == Qt.ActionsContextMenu
    out = tmp_path / "台账筛选.xlsx"
    dialogs.answers.append(out)
    action.trigger()
    qtbot.waitUntil(lambda: not demo_session.workers and out.exists(), timeout=10000)
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    header = view.table.horizontalHeader()
    visible = [header.logicalIndex(v) for v in range(header.count())     # screen order, shown only
               if not header.isSectionHidden(header.logicalIndex(v))]
    assert [c.value for c in ws[2]] == [view.model.headerData(c, Qt.Horizontal) for c in visible]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == shown
    first = [view.model.index(0, c).data() for c in visible]
    assert [str(v) if v is not None else "" for v in rows[0]][:2] == first[:2]
    info = {r[0].value: r[1].value for r in wb["模板信息"].iter_rows(min_row=2)}
    assert "文字：联系方式" in info["筛选和排序"] and "降序" in info["筛选和排序"]
    assert "脱敏" in info["个人信息"]
    assert any(kind == "info" and "已导出" in text for kind, _t, text in dialogs.shown)


def test_site_table_export_reads_the_database_in_the_background(window, dialogs, qtbot, tmp_path, demo_session):
    window.show_screen(SITES)
    view = window.sites_view
    view.filter_box.set_filter("济南")
    out = tmp_path / "网站.xlsx"
    dialogs.answers.append(out)
    next(a for a in view.table.actions() if a.text() == ACTION_TEXT).trigger()
    qtbot.waitUntil(lambda: not demo_session.workers and out.exists(), timeout=10000)
    ws = load_workbook(out).worksheets[0]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == view.model.rowCount() > 0
    assert rows[0][0] == view.model.index(0, 0).data()


def test_file_menu_exports_ledger_and_report_with_the_personal_data_choice(window, dialogs, qtbot, tmp_path,
                                                                          demo_session):
    assert window.ledger_action.text() == "导出整改台账…" and window.report_action.text().startswith("导出汇总报告")
    window.personal_data_action.setChecked(True)
    assert demo_session.include_personal_data
    ledger = tmp_path / "台账"
    dialogs.answers.append(ledger)
    window.findings_view.export_button.click()
    qtbot.waitUntil(lambda: not demo_session.workers and ledger.with_suffix(".xlsx").exists(), timeout=10000)
    wb = load_workbook(ledger.with_suffix(".xlsx"))
    info = {r[0].value: r[1].value for r in wb["模板信息"].iter_rows(min_row=2)}
    assert "完整个人信息" in info["个人信息"]
    window.personal_data_action.setChecked(False)
    report = tmp_path / "报告.pdf"
    dialogs.answers.append(report)
    window.report_action.trigger()
    qtbot.waitUntil(lambda: not demo_session.workers and report.exists(), timeout=20000)
    assert report.read_bytes().startswith(b"%PDF")


def test_export_never_lands_on_the_open_database(window, dialogs, demo_session, qtbot):
    db = demo_session.db_path
    assert demo_session.is_database(db) and demo_session.is_database(db.with_name(db.name + "-wal"))
    before = db.stat().st_size
    dialogs.answers.append(db)  # the user picks the database file itself
    window.export_file("ledger")
    written = db.with_name(db.name + ".xlsx")  # the extension is added, so a new file is written
    qtbot.waitUntil(lambda: not demo_session.workers and written.exists(), timeout=10000)
    assert load_workbook(written).sheetnames[0] == "整改台账"
    assert db.stat().st_size >= before and demo_session.ctx.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
