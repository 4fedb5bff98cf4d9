"""A guard against PySide6's ``SignalInstance.emit`` returning ``True`` without a reference.

PySide6 6.12 (seen with Python 3.11) returns the shared ``True`` object from ``emit()`` as a
borrowed reference, so every emit of a Python-declared signal lowers ``True``'s reference count
by one. After a few hundred emits Python aborts with "Fatal Python error: bool_dealloc". Python
3.12+ makes ``True`` immortal, which hides the bug there. :func:`install` measures whether the
running PySide6 has the bug and, only then, wraps ``emit`` to add the missing reference.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 8
_installed = False


class _Probe(QObject):
    ping = Signal()


def emit_loses_references() -> bool:
    """True when emitting a signal lowers the reference count of ``True`` (the PySide6 bug).

    Each probe emit that hits the bug costs one of ``True``'s references (it has hundreds).
    """
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def install() -> bool:
    """Wrap ``SignalInstance.emit`` when the running PySide6 has the bug (once per process).

    Returns:
        True when the wrapper is in place.
    """
    global _installed
    if _installed or not emit_loses_references():
        return _installed
    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    def emit(self, *args):
        result = original(self, *args)
        if result is True or result is False:
            incref(result)  # the reference emit() should have returned
        return result

    emit.__doc__ = original.__doc__
    SignalInstance.emit = emit
    _installed = True
    return True
