"""Rectification deadlines (整改期限): N working or calendar days after a start day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from workbench.domain.calendar import WorkCalendar
from workbench.errors import ValidationError

UNIT_LABELS = {"working": "工作日", "calendar": "自然日"}

# Ten years: no rectification term is longer; the bound keeps a typo from looping for ages.
MAX_TERM_DAYS = 3650


@dataclass(frozen=True)
class Deadline:
    """A computed deadline.

    Attributes:
        date: the last day of the term, a local calendar day (print it as the absolute date).
        warnings: Chinese sentences for the user, e.g. that a year lacked holiday data and only
            weekends were skipped; empty when the date is certain.
    """

    date: date
    warnings: tuple[str, ...]


def compute_deadline(start: date, days: int, unit: str, calendar: WorkCalendar) -> Deadline:
    """The last day of a term of ``days`` ``unit`` counted from ``start``.

    The start day itself is not counted (民法典 第二百零一条). ``working``: the ``days``-th working
    day after ``start`` (make-up working days count, holidays do not). ``calendar``: ``start +
    days``; if that day is a rest day (weekend not made up, or a statutory day off) the term ends
    on the next working day (民法典 第二百零三条; facts.md §9). A year without holiday data is
    counted with weekends only and a warning names it.

    Args:
        start: the day the term runs from (签发 or 送达 day), a local calendar day.
        days: the length of the term, 1 to ``MAX_TERM_DAYS``.
        unit: ``working`` (工作日) or ``calendar`` (自然日).
        calendar: the working-day calendar.

    Returns:
        The deadline and any warnings.

    Raises:
        ValidationError: ``days`` not an integer in range, an unknown ``unit``, or a deadline
            beyond the year 9999.
    """
    _check_term(days, unit)
    try:
        if unit == "working":
            end, seen = _add_working_days(start, days, calendar)
        else:
            end = start + timedelta(days=days)
            seen = {end.year}
            while not calendar.is_workday(end):
                end += timedelta(days=1)
                seen.add(end.year)
    except OverflowError as err:
        raise ValidationError(f"自 {start.isoformat()} 起的期限超出了可计算的日期范围") from err
    missing = sorted(y for y in seen if not calendar.covers(y))
    return Deadline(end, tuple(_missing_year_warning(y) for y in missing))


def days_left(deadline: date, today: date) -> int:
    """Calendar days from ``today`` to ``deadline``: 0 on the day itself, negative when overdue."""
    return (deadline - today).days


def term_text(days: int, unit: str) -> str:
    """The term as notices word it: ``10个工作日`` or ``15日`` (自然日 are written plainly).

    Raises:
        ValidationError: as ``compute_deadline``.
    """
    _check_term(days, unit)
    return f"{days}个工作日" if unit == "working" else f"{days}日"


def _check_term(days: int, unit: str) -> None:
    """Refuse a term length or unit the rules cannot count."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TERM_DAYS:
        raise ValidationError(f"整改期限天数应为 1 至 {MAX_TERM_DAYS} 之间的整数，当前为：{days!r}")
    if unit not in UNIT_LABELS:
        raise ValidationError(f"整改期限单位应为“工作日”或“自然日”，当前为：{unit!r}")


def _add_working_days(start: date, days: int, calendar: WorkCalendar) -> tuple[date, set[int]]:
    """The ``days``-th working day after ``start``, and every year the count passed through."""
    day, counted, seen = start, 0, set()
    while counted < days:
        day += timedelta(days=1)
        seen.add(day.year)
        if calendar.is_workday(day):
            counted += 1
    return day, seen


def _missing_year_warning(year: int) -> str:
    """The Chinese warning for a year counted without holiday data."""
    return (
        f"尚无 {year} 年的法定节假日安排数据，该年仅按周六、周日休息计算期限，"
        f"请在国务院办公厅公布 {year} 年节假日安排后补充数据并核对期限。"
    )
