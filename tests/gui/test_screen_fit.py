"""Screens fit a 1280 × 720 laptop: decisive columns first, dialogs within the screen, widths kept."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _visual_titles(table):
    model, header = table.model(), table.horizontalHeader()
    return [model.headerData(header.logicalIndex(v), Qt.Horizontal) for v in range(header.count())]


def test_decisive_columns_come_first(qtbot, demo_session):
    from workbench.gui.views.findings_view import FindingsView
    from workbench.gui.views.sites_view import SitesView

    sites = SitesView(demo_session)
    qtbot.addWidget(sites)
    assert _visual_titles(sites.table)[:3] == ["网站备案号", "核查结论", "提示"]
    findings = FindingsView(demo_session)
    qtbot.addWidget(findings)
    assert _visual_titles(findings.table)[1:5] == ["状态", "剩余天数", "整改期限", "通知书文号"]


def test_long_text_is_capped_so_later_columns_stay_visible(qtbot, demo_session):
    from workbench.gui.views.findings_view import FindingsView
    from workbench.gui.widgets.tables import MAX_COLUMN_WIDTH

    view = FindingsView(demo_session)
    qtbot.addWidget(view)
    header = view.table.horizontalHeader()
    assert max(header.sectionSize(i) for i in range(header.count())) <= MAX_COLUMN_WIDTH


def test_column_widths_are_remembered(qtbot, demo_session):
    from workbench.gui.views.findings_view import FindingsView

    first = FindingsView(demo_session)
    qtbot.addWidget(first)
    header = first.table.horizontalHeader()
    header.moveSection(header.visualIndex(0), 3)   # a user's drag (sectionMoved saves the state)
    header.resizeSection(0, 333)
    header.sectionMoved.emit(0, 3, 3)
    again = FindingsView(demo_session)
    qtbot.addWidget(again)
    assert again.table.horizontalHeader().sectionSize(0) == 333
    assert again.table.horizontalHeader().visualIndex(0) == 3


def test_print_preview_fits_the_screen(qtbot, session, tmp_path):
    from PySide6.QtGui import QGuiApplication

    from workbench.gui import printing

    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    dialog = printing.preview_pdf(session, pdf, None)
    qtbot.addWidget(dialog)
    available = QGuiApplication.primaryScreen().availableGeometry()
    assert dialog.height() <= available.height() - 40 and dialog.width() <= available.width()
    dialog.close()


def test_main_window_fits_the_screen(qtbot, demo_session):
    from PySide6.QtGui import QGuiApplication

    from workbench.gui.main_window import MainWindow

    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    available = QGuiApplication.primaryScreen().availableGeometry()
    assert window.height() <= available.height() - 40 and window.width() <= available.width()
