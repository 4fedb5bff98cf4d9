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
