"""China's working-day calendar: statutory days off and make-up working days (调休), per year."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import chinese_calendar

from workbench.domain.text import HIDDEN_RE, escape_hidden
from workbench.errors import InputFileError, WorkbenchError, os_reason

# chinese_calendar's short names, lengthened to the names the State Council notices use.
_NAME_FIXES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PACKAGE_NAMES = {h.value: _NAME_FIXES.get(h.chinese, h.chinese) for h in chinese_calendar.Holiday}


@dataclass(frozen=True)
class YearData:
    """One year's holiday arrangement.

    Attributes:
        year: the calendar year.
        holidays: day off → Chinese holiday name ('' when the source gives none). Days off may
            fall on weekdays or weekends (a weekend inside a holiday block is listed too).
        workdays: make-up working days (调休上班日), always Saturdays or Sundays.
        source: where the data came from, e.g. ``chinesecalendar 1.11.0`` or a file path.
    """

    year: int
    holidays: dict[date, str]
    workdays: frozenset[date]
    source: str


class WorkCalendar:
    """Working days in mainland China, from the State Council's annual holiday notices.

    Data comes, in rising precedence, from the ``chinesecalendar`` package (2004–2026 in version
    1.11.0), the app's bundled files ``resources/holidays/*.json`` and an optional user file. A
    later source replaces a year wholesale. For a year with no data, ``is_workday`` falls back to
    Monday–Friday; callers check ``covers(year)`` and warn (facts.md §9).
    """

    def __init__(self, years: Iterable[YearData]):
        """Build from per-year data; a later entry for the same year replaces an earlier one."""
        self._years: dict[int, YearData] = {}
        for data in years:
            self._years[data.year] = data

    @classmethod
    def load(cls, user_file: Path | None = None, *, bundled_dir: Path | None = None) -> WorkCalendar:
        """The calendar from the package, the bundled files and the user's file.

        Args:
            user_file: optional JSON file of user-added years (one year object, or a list of them).
                A missing file is an error; pass None when the user has none.
            bundled_dir: folder of bundled ``*.json`` year files (the service layer passes
                ``paths.resources_dir() / "holidays"``); None or a missing folder: none.

        File format: ``{"year": 2027, "source": "国办发明电〔2026〕…号", "holidays":
        ["2027-01-01", …], "workdays": ["2027-…"]}``; a holidays entry may also be
        ``{"date": "2027-01-01", "name": "元旦"}``.

        Raises:
            InputFileError: a file cannot be read or is malformed; the message names the file and
                the entry, in Chinese.
        """
        years = list(_package_years())
        folder = bundled_dir
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                years.extend(read_year_file(path))
        if user_file is not None:
            years.extend(read_year_file(Path(user_file)))
        return cls(years)

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` (a local calendar day) is a working day.

        Make-up working days count as working days; days off as rest days; otherwise Monday to
        Friday work. Years without data use Monday–Friday only (check ``covers``).
        """
        data = self._years.get(day.year)
        if data is not None:
            if day in data.workdays:
                return True
            if day in data.holidays:
                return False
        return day.weekday() < 5

    def covers(self, year: int) -> bool:
        """True when holiday data exists for ``year``."""
        return year in self._years

    def covered_years(self) -> tuple[int, int]:
        """The first and last year with data, e.g. ``(2004, 2026)``.

        A user file may add a year after a gap; ``covers`` is exact where this range is not.

        Raises:
            WorkbenchError: no data at all (cannot happen with the package installed).
        """
        if not self._years:
            raise WorkbenchError("没有任何年份的节假日数据")
        return min(self._years), max(self._years)

    def holiday_name(self, day: date) -> str | None:
        """The Chinese holiday name when ``day`` is a statutory day off, e.g. ``春节``.

        None for ordinary days, weekends, make-up working days, days off whose source gives no
        name, and years without data.
        """
        data = self._years.get(day.year)
        if data is None:
            return None
        return data.holidays.get(day) or None

    def source(self, year: int) -> str | None:
        """Where the data for ``year`` came from, or None when the year is not covered."""
        data = self._years.get(year)
        return data.source if data else None


def _package_years() -> Iterable[YearData]:
    """Per-year data from the chinesecalendar package, over the years it supports."""
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    source = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
    by_year: dict[int, dict[date, str]] = {y: {} for y in range(first, last + 1)}
    for day, value in chinese_calendar.holidays.items():
        by_year[day.year][day] = _PACKAGE_NAMES.get(value, "")
    make_up: dict[int, set[date]] = {y: set() for y in by_year}
    for day in chinese_calendar.workdays:
        make_up.setdefault(day.year, set()).add(day)
    for year, days in by_year.items():
        yield YearData(year, days, frozenset(make_up[year]), source)


def read_year_file(path: Path) -> list[YearData]:
    """Read a holiday file: one year object or a list of them.

    Args:
        path: the JSON file (UTF-8, a BOM is accepted).

    Returns:
        One ``YearData`` per year object, in file order.

    Raises:
        InputFileError: unreadable file, bad JSON, or a malformed entry (the message names it).
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise InputFileError(f"无法读取节假日数据文件（{os_reason(err)}）", str(path)) from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputFileError(f"节假日数据文件不是有效的 UTF-8 JSON（{err}）", str(path)) from err
    except RecursionError as err:    # "[[[[…" nested past Python's limit
        raise InputFileError("节假日数据文件嵌套层数过多，不是节假日数据", str(path)) from err
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise InputFileError("节假日数据文件中没有任何年份", str(path))
    return [_parse_year(item, path, i) for i, item in enumerate(items, start=1)]


def _parse_year(item: object, path: Path, index: int) -> YearData:
    """One year object of a holiday file; ``index`` (1-based) names it in messages."""
    where = f"第 {index} 个年份对象"
    if not isinstance(item, dict):
        raise InputFileError(f"{where}应为 JSON 对象", str(path))
    year = item.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise InputFileError(f"{where}的“year”应为四位年份整数，实际为：{year!r}", str(path))
    where = f"{year} 年数据"
    source = item.get("source", "")
    if not isinstance(source, str):
        raise InputFileError(f"{where}的“source”应为文字", str(path))
    holidays = _parse_holidays(item.get("holidays"), year, path, where)
    workdays = _parse_workdays(item.get("workdays", []), year, path, where)
    both = sorted(set(holidays) & workdays)
    if both:
        raise InputFileError(
            f"{where}中 {both[0].isoformat()} 同时列为放假日和调休上班日", str(path)
        )
    return YearData(year, holidays, frozenset(workdays), source or str(path))


def _parse_holidays(entries: object, year: int, path: Path, where: str) -> dict[date, str]:
    """The ``holidays`` list: ISO date strings or ``{"date", "name"}`` objects, all in ``year``."""
    if not isinstance(entries, list) or not entries:
        raise InputFileError(f"{where}缺少“holidays”放假日期列表，或列表为空", str(path))
    result: dict[date, str] = {}
    for n, entry in enumerate(entries, start=1):
        label = f"{where}“holidays”第 {n} 项"
        name = ""
        if isinstance(entry, dict):
            name = entry.get("name", "")
            if not isinstance(name, str):
                raise InputFileError(f"{label}的“name”应为文字", str(path))
            if HIDDEN_RE.search(name):    # shown in deadline explanations and on notices
                raise InputFileError(f"{label}的“name”含有不可见的控制字符：{escape_hidden(name)}", str(path))
            entry = entry.get("date")
        day = _parse_day(entry, year, path, label)
        if day in result:
            raise InputFileError(f"{label}“{day.isoformat()}”重复", str(path))
        result[day] = name.strip()
    return result


def _parse_workdays(entries: object, year: int, path: Path, where: str) -> set[date]:
    """The ``workdays`` list: ISO date strings in ``year``, each a Saturday or Sunday."""
    if not isinstance(entries, list):
        raise InputFileError(f"{where}的“workdays”应为日期列表", str(path))
    result: set[date] = set()
    for n, entry in enumerate(entries, start=1):
        label = f"{where}“workdays”第 {n} 项"
        day = _parse_day(entry, year, path, label)
        if day.weekday() < 5:
            raise InputFileError(
                f"{label}“{day.isoformat()}”是工作日（周一至周五），调休上班日只能是周六或周日",
                str(path),
            )
        if day in result:
            raise InputFileError(f"{label}“{day.isoformat()}”重复", str(path))
        result.add(day)
    return result


def _parse_day(entry: object, year: int, path: Path, label: str) -> date:
    """An ISO ``YYYY-MM-DD`` string that must fall in ``year``."""
    if not isinstance(entry, str):
        raise InputFileError(f"{label}应为“YYYY-MM-DD”格式的日期，实际为：{entry!r}", str(path))
    try:
        if not _ISO_DAY.fullmatch(entry.strip()):
            raise ValueError(entry)
        day = date.fromisoformat(entry.strip())
    except ValueError as err:
        raise InputFileError(f"{label}“{entry}”不是有效日期（应为 YYYY-MM-DD）", str(path)) from err
    if day.year != year:
        raise InputFileError(f"{label}“{entry}”不在 {year} 年内", str(path))
    return day
