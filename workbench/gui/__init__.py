"""The Qt user interface. Only this package imports PySide6; it holds no business rules."""
