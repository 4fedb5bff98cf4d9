"""The documents screen (文书): rectification notices, receipts and printing."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.gui.session import Session


class DocumentsView(QWidget):
    """Placeholder of the 文书 screen (being built); refreshes on campaign or data change."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("文书"))
        session.campaign_changed.connect(self.refresh)
        session.data_changed.connect(self.refresh)

    @Slot()
    def refresh(self, *_args) -> None:
        """Reload from the database."""
