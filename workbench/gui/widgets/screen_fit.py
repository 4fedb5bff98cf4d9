"""Windows and dialogs sized to the screen they open on (a 1366 × 768 or 1280 × 720 laptop)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room left for the window frame and title bar around a top-level window (pixels).
FRAME_MARGIN = 40


def fit_to_screen(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """Resize ``widget`` to ``width`` × ``height`` pixels, or less where its screen (the
    available area, without the task bar) is smaller; returns the size set."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - FRAME_MARGIN)
        height = min(height, area.height() - FRAME_MARGIN)
    widget.resize(width, height)
    return width, height
