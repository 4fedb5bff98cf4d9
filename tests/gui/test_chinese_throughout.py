"""No English where a user looks: every window and dialog is scanned for Latin words.

Allowed: proper names and codes users know as such (ICP, Excel, WPS, PDF, SHA-256…), keys
(Ctrl, Alt, Enter…), file names, domains and addresses. Table cells are data (domains, filing
numbers) and are not scanned; column headers are.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

# Proper names, codes and key names a Chinese user reads as such.
ALLOWED = {
    "icp", "ip", "url", "pdf", "excel", "wps", "csv", "xlsx", "xls", "ods", "json", "sha", "id",
    "ctrl", "alt", "shift", "enter", "esc", "tab", "del", "f1", "f2", "f5", "pgup", "pgdn",
    "https", "http", "www", "gb", "t", "mlps", "pipl", "qt", "pyside", "python", "sqlite", "truetype",
    "noto", "serif", "sc", "fandol", "fang", "wenquanyi", "micro", "hei", "ar", "pl", "ukai",
    "uming", "cn", "simsun", "simhei", "simfang", "simkai", "fangsong", "kaiti", "mb", "kb",
    "a4", "ok", "n", "uscc", "root", "opentype", "ttf", "ttc", "otf",
}
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")
# File names, folders, domains, e-mail and web addresses are not words.
NOT_WORDS = re.compile(r"\S*[./\\@:]\S*[A-Za-z]\S*|\S*[A-Za-z]\S*[./\\@]\S*")


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` that are not allowed names, codes or paths."""
    text = NOT_WORDS.sub(" ", text.replace("&", ""))
    return [w for w in LATIN.findall(text) if w.lower() not in ALLOWED and not w.isupper()]


def texts(widget: QWidget) -> list[tuple[str, str]]:
    """Every user-facing text in ``widget`` and its children: (where, text)."""
    found = [("title", widget.windowTitle())]
    for w in [widget, *widget.findChildren(QWidget)]:
        name = type(w).__name__
        if w.toolTip():
            found.append((f"{name} tooltip", w.toolTip()))
        if isinstance(w, QLabel):
            found.append((name, w.text()))
        elif isinstance(w, QAbstractButton):
            found.append((name, w.text()))
        elif isinstance(w, QLineEdit):
            found.append((f"{name} placeholder", w.placeholderText()))
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            found.append((f"{name} placeholder", w.placeholderText()))
        elif isinstance(w, QGroupBox):
            found.append((name, w.title()))
        elif isinstance(w, QComboBox):
            found += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabWidget):
            found += [(name, w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QHeaderView) and w.orientation() == Qt.Horizontal and w.model() is not None:
            found += [(f"{name} header", str(w.model().headerData(c, Qt.Horizontal, Qt.DisplayRole) or ""))
                      for c in range(w.count())]
        for action in w.actions():
            found += [("action", action.text()), ("action tooltip", action.toolTip())]
    return found


def english_in(widget: QWidget) -> list[str]:
    return [f"{where}: {text!r} → {words}" for where, text in texts(widget)
            if (words := latin_words(text))]


def test_the_scanner_finds_english():
    assert latin_words("Save the file") == ["Save", "the", "file"]
    assert latin_words("导入 名单.xlsx 到 D:\\数据\\x.sqlite3，见 https://beian.miit.gov.cn") == []
    assert latin_words("Ctrl+Enter 保存；ICP 备案；SHA-256") == []


@pytest.fixture
def window(qtbot, qapp, demo_session):
    from workbench.gui.application import install_qt_translation
    from workbench.gui.main_window import MainWindow

    install_qt_translation(qapp)
    demo_session.ctx.settings.inspector = "张三"
    w = MainWindow(demo_session)
    demo_session.dialogs.parent = w
    qtbot.addWidget(w)
    w.show()
    return w


def test_every_screen_is_chinese(window):
    from workbench.gui.main_window import SCREENS

    problems = []
    for index in range(len(SCREENS)):
        window.show_screen(index)
        if index == 2:
            window.review_panel.review_next()
        problems += [f"{SCREENS[index]} · {p}" for p in english_in(window)]
    for menu_action in window.menuBar().actions():
        problems += [f"菜单 · {p}" for p in english_in(menu_action.menu())]
    assert not problems, "\n".join(problems)


def test_every_dialog_is_chinese(window, qtbot):
    from workbench.gui.application import show_welcome

    opened = [show_welcome(window), window.tools.open_settings(), window.new_campaign(),
              window.edit_campaign(), window.open_manual()]
    problems = []
    for dialog in opened:
        problems += [f"{dialog.windowTitle()} · {p}" for p in english_in(dialog)]
        dialog.close()
    assert not problems, "\n".join(problems)


def test_qt_own_dialogs_are_chinese(window, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

    box = QMessageBox(QMessageBox.Question, "确认", "是否继续？", QMessageBox.Yes | QMessageBox.No, window)
    from workbench.gui.dialogs import file_dialog as make_file_dialog

    file_dialog = make_file_dialog(window, "选择网站名单", "", "表格 (*.xlsx)", QFileDialog.ExistingFile)
    file_dialog.setOption(QFileDialog.DontUseNativeDialog)
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Save)
    preview = QPrintPreviewDialog(window)
    problems = []
    for dialog in (box, file_dialog, buttons, preview):
        qtbot.addWidget(dialog)
        problems += [f"{type(dialog).__name__} · {p}" for p in english_in(dialog)]
    assert not problems, "\n".join(problems)


def test_import_wizard_and_finding_dialogs_are_chinese(window, qtbot, tmp_path):
    from workbench.gui.views.import_wizard import ImportWizard

    listing = tmp_path / "名单.csv"
    listing.write_text("网站备案号,网站名称,主办单位,域名\n京ICP备12345678号-1,示例网站,示例公司,example.com\n",
                       encoding="utf-8")
    wizard = ImportWizard(window.session, listing, window)
    qtbot.addWidget(wizard)
    wizard.show()
    problems = english_in(wizard)
    view = window.findings_view
    window.show_screen(4)
    view.table.selectRow(0)
    for action, button in view.action_buttons.items():
        if button.isEnabled():
            dialog = view.start_action(action)
            problems += [f"{dialog.windowTitle()} · {p}" for p in english_in(dialog)]
            dialog.reject()
    assert len(texts(window)) > 50   # the scan sees the window's texts
    assert not problems, "\n".join(problems)
