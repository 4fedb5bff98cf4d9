"""F1 opens the Chinese user manual, rendered from docs/manual/index.md with its screenshots."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from workbench.paths import manual_dir


def test_f1_opens_the_manual_with_its_pictures(qtbot, demo_session):
    from workbench.gui.main_window import MainWindow

    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    assert window.manual_action.shortcut().toString() == "F1"
    help_window = window.open_manual()
    assert help_window.isVisible() and window.open_manual() is help_window
    text = help_window.browser.toPlainText()
    assert text.startswith("检查工作台 使用手册") and "导入网站名单" in text
    doc = help_window.browser.document()
    for name in re.findall(r"\]\((images/[^)]+)\)", (manual_dir() / "index.md").read_text(encoding="utf-8")):
        image = doc.resource(QTextDocument.ImageResource, QUrl(name))
        assert image is not None and not image.isNull(), name
    help_window.close()


def test_contents_links_scroll_to_their_heading(qtbot):
    from workbench.gui.views.help_window import HelpWindow

    help_window = HelpWindow()
    qtbot.addWidget(help_window)
    links = re.findall(r"\]\(#([^)]+)\)", (manual_dir() / "index.md").read_text(encoding="utf-8"))
    assert len(links) >= 10
    for anchor in links:
        assert help_window.scroll_to_heading(anchor), anchor
    help_window.follow(QUrl("#快捷键"))
    assert help_window.browser.textCursor().block().text() == "快捷键"


def test_missing_manual_says_where_it_should_be(qtbot, tmp_path):
    from workbench.gui.views.help_window import HelpWindow

    help_window = HelpWindow(folder=Path(tmp_path))
    qtbot.addWidget(help_window)
    assert "找不到使用手册" in help_window.browser.toPlainText()
