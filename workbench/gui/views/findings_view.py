"""The findings ledger screen (问题台账): findings table, details, history and lifecycle actions."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.gui.session import Session


class FindingsView(QWidget):
    """Placeholder of the 问题台账 screen (being built); refreshes on campaign or data change."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("问题台账"))
        session.campaign_changed.connect(self.refresh)
        session.data_changed.connect(self.refresh)

    @Slot()
    def refresh(self, *_args) -> None:
        """Reload from the database."""
