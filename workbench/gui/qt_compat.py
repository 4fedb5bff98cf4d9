"""Guards against PySide6 6.12 handing back ``True`` and ``None`` without a reference.

PySide6 6.12 (seen with Python 3.11) returns the shared ``True`` object from ``emit()`` as a
borrowed reference, so every emit of a Python-declared signal lowers ``True``'s reference count
by one. After a few hundred emits Python aborts with "Fatal Python error: bool_dealloc". Python
3.12+ makes ``True`` immortal, which hides the bug there. :func:`install` measures whether the
running PySide6 has the bug and, only then, wraps ``emit`` to add the missing reference.

The same PySide6 returns ``None`` as a borrowed reference from every call of a C++ method that
returns nothing (``beginResetModel()``, ``endInsertRows()``…) and from ``QModelIndex.data()``
when the model's ``data()`` gives None, so ``None`` loses a reference on each: a table of
300,000 rows, painted and reset a few thousand times, drove it to zero and Python aborted with
"Fatal Python error: none_dealloc". Those calls are everywhere, so they are not wrapped:
:func:`pin_none` gives ``None`` (a singleton that is never freed) a very large reference count
instead — what Python 3.12 does by making it immortal.
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


def void_calls_lose_none() -> bool:
    """True when calling a C++ method that returns nothing lowers the reference count of None."""
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before


#: References added to None when the bug is present (far more than any run can lose).
_NONE_PIN = 1 << 40


def pin_none() -> bool:
    """Give ``None`` :data:`_NONE_PIN` more references when :func:`void_calls_lose_none` (once per
    process); True when pinned. CPython keeps the count in the object's first field."""
    global _pinned
    if _pinned or not void_calls_lose_none():
        return _pinned
    ctypes.c_ssize_t.from_address(id(None)).value += _NONE_PIN
    _pinned = True
    return True


_pinned = False


def install() -> bool:
    """Wrap ``SignalInstance.emit`` when the running PySide6 has the bug (once per process).

    Returns:
        True when the wrapper is in place.
    """
    global _installed
    pin_none()
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

    # not original.__doc__: reading a PySide6 docstring builds shiboken's signature tables for all
    # of QtCore (20–25 ms of every start)
    emit.__doc__ = "SignalInstance.emit, returning the reference PySide6 6.12 loses on True (qt_compat)."
    SignalInstance.emit = emit
    _installed = True
    return True
