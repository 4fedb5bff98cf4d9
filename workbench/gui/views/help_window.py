"""F1: the Chinese user manual (docs/manual/index.md) rendered from Markdown in a QTextBrowser."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QKeySequence,
    QShortcut,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from workbench.gui.widgets.screen_fit import fit_to_screen
from workbench.paths import manual_dir

MANUAL_PAGE = "index.md"


class ManualBrowser(QTextBrowser):
    """A QTextBrowser that shrinks the manual's screenshots to the width it has (no sideways
    scrolling for a 1366-pixel picture in a 900-pixel window)."""

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt override
        resource = super().loadResource(kind, url)
        if kind == QTextDocument.ImageResource and resource is not None:
            image = QImage.fromData(resource) if isinstance(resource, QByteArray | bytes) else QImage(resource)
            limit = max(320, self.viewport().width() - 24)
            if not image.isNull() and image.width() > limit:
                return image.scaledToWidth(limit, Qt.SmoothTransformation)
            return image if not image.isNull() else resource
        return resource


class HelpWindow(QWidget):
    """The manual in its own window (non-modal, beside the work). Links inside the manual move
    within it; web links open in the browser. ``browser`` is the QTextBrowser."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)   # its own window, not a child widget
        self.setWindowTitle("检查工作台 使用手册")
        self.folder = folder or manual_dir()
        self.browser = ManualBrowser()
        self.browser.setOpenLinks(False)   # links are followed in follow()
        self.browser.anchorClicked.connect(self.follow)
        self.browser.setSearchPaths([str(self.folder)])
        back = QPushButton("后退")
        back.clicked.connect(self.browser.backward)
        home = QPushButton("目录")
        home.clicked.connect(self.show_home)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(back)
        bar.addWidget(home)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        QShortcut(QKeySequence.Close, self, self.close)
        QShortcut(QKeySequence("Esc"), self, self.close)
        fit_to_screen(self, 980, 900)
        self.show_home()

    def show_home(self) -> None:
        """Show the manual's first page (or say where it should be when it is missing)."""
        page = self.folder / MANUAL_PAGE
        if page.is_file():
            self.browser.setSource(QUrl.fromLocalFile(str(page)))
        else:
            self.browser.setMarkdown(f"# 找不到使用手册\n\n使用手册应在 `{page}`。请重新安装检查工作台。")

    def follow(self, url: QUrl) -> None:
        """A clicked link: ``#标题`` scrolls to that heading of the page (Qt's Markdown import
        gives headings no anchors), another page of the manual opens, a web link goes to the
        browser."""
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and (not url.path() or url.path() == self.browser.source().path()):
            self.scroll_to_heading(url.fragment(QUrl.FullyDecoded))
        else:
            self.browser.setSource(self.browser.source().resolved(url))

    def scroll_to_heading(self, title: str) -> bool:
        """Scroll so the heading whose text is ``title`` is at the top; False when none is.
        Punctuation is ignored, so GitHub's anchors (``#数据备份与出错时怎么办``) work too."""
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and _slug(block.text()) == _slug(title):
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                bar = self.browser.verticalScrollBar()
                bar.setValue(bar.maximum())   # then back up: the heading ends at the top
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        return False


def _slug(text: str) -> str:
    return re.sub(r"[^\w]", "", text).lower()
