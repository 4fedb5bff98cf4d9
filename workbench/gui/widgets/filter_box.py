"""A search box that reports its text only after the user pauses typing (debounced)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 250  # a pause this long ends a burst of typing; each burst costs one SQL query


class FilterBox(QLineEdit):
    """A line edit emitting ``filter_changed(text)`` once typing pauses for :data:`DEBOUNCE_MS`.

    Enter applies the text at once; Esc clears it.
    """

    filter_changed = Signal(str)

    def __init__(self, placeholder: str = "筛选…", parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.textChanged.connect(self._timer.start)
        self.returnPressed.connect(self._emit)
        self._last = ""

    def set_filter(self, text: str) -> None:
        """Show ``text`` and apply it now (no typing pause)."""
        self.setText(text)
        self._emit()

    def _emit(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.filter_changed.emit(text)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Esc clears the filter."""
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key_Escape and self.text():
            self.clear()
            self._emit()
            return
        super().keyPressEvent(event)
