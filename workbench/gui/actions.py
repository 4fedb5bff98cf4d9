"""QActions with keyboard shortcuts, made without building PySide's ``Qt`` namespace.

``QAction(text, parent, shortcut=…)`` and ``setShortcut(…)`` resolve among overloads that take
Qt's key enums, which makes PySide 6 build its whole ``Qt`` namespace (about 13 ms the first
time); ``setShortcuts([…])`` does not. The window's menus and toolbar are made before its first
rows show, which need nothing else from that namespace (issue 12: window open ≤ 2 × a bare Qt
window).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def keyed_action(text: str, parent: QObject, keys: str | QKeySequence.StandardKey) -> QAction:
    """A QAction with the shortcut ``keys``: a key text such as ``"Ctrl+Shift+N"``, or a standard
    key such as ``QKeySequence.Open`` (all of the platform's bindings for it)."""
    action = QAction(text, parent)
    if isinstance(keys, str):
        action.setShortcuts([QKeySequence(keys)])
    else:
        action.setShortcuts(keys)
    return action
