"""Calendar dates in every form a spreadsheet holds them: date cells, Excel serials, text."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from workbench.domain.text import compact_text

# Excel's 1900 date system counts days from 1899-12-30 for every serial after 60 (ECMA-376
# Part 1 §18.17.4.1; serials 1-60 are off by one because of the 1900 leap-year bug, which no
# filing date reaches). Date-formatted cells arrive as dates from the reader, whichever system.
_EXCEL_EPOCH = date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31
_SEPARATED_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# No ICP filing can predate the 《互联网信息服务管理办法》 (国务院令第292号, in force 2000-09-25),
# which created the filing system; 2000-01-01 leaves room for early local registrations.
EARLIEST_APPROVAL = date(2000, 1, 1)
_SERIAL_RE = re.compile(r"^\d{1,7}(?:\.\d+)?$")


def parse_date(value: object) -> tuple[date | None, tuple[str, ...]]:
    """Read one calendar day from a cell.

    Accepted: date and datetime cells (the time is dropped); Excel serial numbers (``42750`` →
    2017-01-15); eight-digit numbers or text ``20190305``; text ``2019-03-05``, ``2019/3/5``,
    ``2019.03.05``, ``2019年3月5日``, each optionally followed by a time. Full-width digits and
    spaces are cleaned first (NFKC).

    Args:
        value: the raw cell: date, datetime, int, float or str.

    Returns:
        (local calendar day or None, warning codes: ``date_invalid`` when the cell holds
        something that is not a date); ``(None, ())`` for blank input.
    """
    if isinstance(value, datetime):
        return value.date(), ()
    if isinstance(value, date):
        return value, ()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_number(value)
    text = compact_text(str(value))
    if not text:
        return None, ()
    match = _SEPARATED_RE.match(text) or _COMPACT_RE.match(text)
    if match is not None:
        return _make(*match.groups())
    if _SERIAL_RE.match(text):
        return _from_number(float(text))
    return None, ("date_invalid",)


def _from_number(number: float) -> tuple[date | None, tuple[str, ...]]:
    """An eight-digit yyyymmdd number or an Excel serial → date."""
    if 19000101 <= number <= 99991231 and float(number).is_integer():
        digits = str(int(number))
        return _make(digits[:4], digits[4:6], digits[6:])
    if 1 <= number <= _MAX_SERIAL:
        return _EXCEL_EPOCH + timedelta(days=int(number)), ()
    return None, ("date_invalid",)


def _make(year: str, month: str, day: str) -> tuple[date | None, tuple[str, ...]]:
    """Build a date from digit strings; an impossible day (2月30日) is ``date_invalid``."""
    try:
        return date(int(year), int(month), int(day)), ()
    except ValueError:
        return None, ("date_invalid",)


def is_plausible_approval(day: date, today: date) -> bool:
    """True when ``day`` can be an ICP approval date: from :data:`EARLIEST_APPROVAL` to ``today``.

    Args:
        day: the date read from the list (local calendar day).
        today: the local calendar day of the import.

    A date outside the range is a typing or conversion error (Excel serial 1 → 1899-12-31,
    ``9999-12-31`` placeholders); the importer keeps it but warns (``date_implausible``).
    """
    return EARLIEST_APPROVAL <= day <= today
