"""Emitting signals must not use up Python's ``True`` (the PySide6 emit reference bug)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from workbench.gui import qt_compat


class _Sender(QObject):
    changed = Signal(object)


def test_many_emits_keep_true_alive_and_still_deliver():
    assert qt_compat.install() in (True, False)  # idempotent: the package installed it already
    sender = _Sender()
    received = []
    sender.changed.connect(received.append)
    before = sys.getrefcount(True)
    results = {sender.changed.emit(i) for i in range(3000)}
    assert received == list(range(3000)) and results == {True}
    assert sys.getrefcount(True) >= before - 2  # unguarded, 3000 emits would have aborted Python
    assert not qt_compat.emit_loses_references()


def test_none_survives_many_void_calls_and_empty_cells():
    """PySide6 6.12 loses a reference to None per void call and per empty cell read: with None
    pinned, far more of them than None had references leave the process alive."""
    import sys

    from PySide6.QtCore import QAbstractTableModel, QModelIndex

    class Empty(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):  # noqa: B008, N802
            return 1

        def columnCount(self, parent=QModelIndex()):  # noqa: B008, N802
            return 1

        def data(self, index, role=0):
            return None

    assert qt_compat.pin_none() in (True, False)
    model = Empty()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(100_000):   # 300,000 lost references: more than an unpinned None has (~10^4)
        model.beginResetModel()
        model.endResetModel()
        index.data()
    assert sys.getrefcount(None) > 0 and before > 0   # still here: unpinned, None would have been freed
