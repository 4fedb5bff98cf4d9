"""The Qt user interface. Only this package imports PySide6; it holds no business rules."""

from workbench.gui import qt_compat

qt_compat.install()
