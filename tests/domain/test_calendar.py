"""WorkCalendar: package data, bundled and user year files, fallback and malformed files."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from workbench.domain.calendar import WorkCalendar, read_year_file
from workbench.errors import InputFileError, WorkbenchError

# facts.md §9: the State Council's 2026 arrangement.
DAYS_OFF_2026 = [
    (date(2026, 1, 1), date(2026, 1, 3)),
    (date(2026, 2, 15), date(2026, 2, 23)),
    (date(2026, 4, 4), date(2026, 4, 6)),
    (date(2026, 5, 1), date(2026, 5, 5)),
    (date(2026, 6, 19), date(2026, 6, 21)),
    (date(2026, 9, 25), date(2026, 9, 27)),
    (date(2026, 10, 1), date(2026, 10, 7)),
]
MAKE_UP_2026 = [date(2026, m, d) for m, d in [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]]


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def empty_dir(tmp_path) -> Path:
    folder = tmp_path / "bundled"
    folder.mkdir()
    return folder


@pytest.fixture
def calendar(empty_dir) -> WorkCalendar:
    return WorkCalendar.load(bundled_dir=empty_dir)


def test_2026_matches_the_published_arrangement(calendar):
    off = {d for first, last in DAYS_OFF_2026 for d in _span(first, last)}
    for day in _span(date(2026, 1, 1), date(2026, 12, 31)):
        expected = day in MAKE_UP_2026 or (day.weekday() < 5 and day not in off)
        assert calendar.is_workday(day) is expected, day


def test_2025_spring_festival_and_national_day(calendar):
    assert not calendar.is_workday(date(2025, 1, 28))  # 除夕, a statutory day since 2025
    assert not calendar.is_workday(date(2025, 2, 4))
    assert calendar.is_workday(date(2025, 1, 26))  # Sunday made up
    assert calendar.is_workday(date(2025, 2, 8))  # Saturday made up
    assert not calendar.is_workday(date(2025, 10, 8))
    assert calendar.is_workday(date(2025, 10, 11))  # Saturday made up
    assert not calendar.is_workday(date(2025, 10, 12))  # ordinary Sunday


def test_holiday_names(calendar):
    assert calendar.holiday_name(date(2026, 2, 17)) == "春节"
    assert calendar.holiday_name(date(2026, 10, 1)) == "国庆节"
    assert calendar.holiday_name(date(2026, 9, 26)) == "中秋节"
    assert calendar.holiday_name(date(2026, 4, 5)) == "清明节"
    assert calendar.holiday_name(date(2026, 2, 14)) is None  # make-up working day
    assert calendar.holiday_name(date(2026, 3, 7)) is None  # ordinary Saturday
    assert calendar.holiday_name(date(2099, 1, 1)) is None


def test_coverage_follows_the_package(calendar):
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    assert calendar.covered_years() == (first, last)
    assert first <= 2004 and last >= 2026
    assert calendar.covers(2026) and calendar.covers(2004)
    assert not calendar.covers(last + 1)
    assert calendar.source(2026).startswith("chinesecalendar")


def test_package_raises_beyond_coverage_but_calendar_falls_back(calendar):
    year = calendar.covered_years()[1] + 1
    monday = date(year, 1, 1) + timedelta(days=(7 - date(year, 1, 1).weekday()) % 7)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(monday)
    assert calendar.is_workday(monday)
    assert not calendar.is_workday(monday + timedelta(days=5))  # Saturday
    assert calendar.holiday_name(monday) is None


def test_bundled_file_adds_a_year(empty_dir):
    if WorkCalendar.load(bundled_dir=empty_dir).covers(2031):
        pytest.skip("chinesecalendar now covers 2031")
    _write(empty_dir / "2031.json", {
        "year": 2031,
        "source": "测试数据",
        "holidays": [{"date": "2031-01-01", "name": "元旦"}, "2031-01-02"],
        "workdays": ["2031-01-04"],
    })
    cal = WorkCalendar.load(bundled_dir=empty_dir)
    assert cal.covers(2031)
    assert cal.covered_years()[1] == 2031
    assert not cal.covers(2030)  # a gap stays uncovered
    assert not cal.is_workday(date(2031, 1, 2))  # Thursday off
    assert cal.is_workday(date(2031, 1, 4))  # Saturday made up
    assert cal.holiday_name(date(2031, 1, 1)) == "元旦"
    assert cal.holiday_name(date(2031, 1, 2)) is None  # no name given
    assert cal.source(2031) == "测试数据"


def test_user_file_replaces_bundled_year(empty_dir, tmp_path):
    _write(empty_dir / "2027.json", {"year": 2027, "holidays": ["2027-01-01"], "workdays": []})
    user = _write(tmp_path / "mine.json", [
        {"year": 2027, "holidays": ["2027-01-01", "2027-01-04"]},
        {"year": 2028, "holidays": ["2028-01-03"]},
    ])
    bundled_only = WorkCalendar.load(bundled_dir=empty_dir)
    assert bundled_only.is_workday(date(2027, 1, 4))
    cal = WorkCalendar.load(user, bundled_dir=empty_dir)
    assert not cal.is_workday(date(2027, 1, 4))
    assert not cal.is_workday(date(2028, 1, 3))
    assert cal.source(2027) == str(user)


def test_user_file_can_override_a_package_year(empty_dir, tmp_path):
    user = _write(tmp_path / "fix.json", {"year": 2026, "holidays": ["2026-03-02"]})
    cal = WorkCalendar.load(user, bundled_dir=empty_dir)
    assert not cal.is_workday(date(2026, 3, 2))
    assert cal.is_workday(date(2026, 2, 17))  # the whole year was replaced


def test_the_shipped_holiday_folder_loads():
    from workbench.paths import resources_dir

    cal = WorkCalendar.load(bundled_dir=resources_dir() / "holidays")
    assert cal.covers(2026)
    assert not cal.is_workday(date(2026, 2, 16))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "不是有效的 UTF-8 JSON"),
        ("[]", "没有任何年份"),
        ('"2027"', "应为 JSON 对象"),
        ('{"holidays": ["2027-01-01"]}', "“year”应为四位年份整数"),
        ('{"year": "2027", "holidays": ["2027-01-01"]}', "“year”应为四位年份整数"),
        ('{"year": 2027}', "缺少“holidays”"),
        ('{"year": 2027, "holidays": []}', "缺少“holidays”"),
        ('{"year": 2027, "holidays": ["2027-01-01", "2027-02-30"]}', "第 2 项“2027-02-30”不是有效日期"),
        ('{"year": 2027, "holidays": ["2027/01/01"]}', "第 1 项“2027/01/01”不是有效日期"),
        ('{"year": 2027, "holidays": [20270101]}', "第 1 项应为“YYYY-MM-DD”"),
        ('{"year": 2027, "holidays": ["2026-12-31"]}', "“2026-12-31”不在 2027 年内"),
        ('{"year": 2027, "holidays": ["2027-01-01", "2027-01-01"]}', "第 2 项“2027-01-01”重复"),
        ('{"year": 2027, "holidays": [{"date": "2027-01-01", "name": 1}]}', "“name”应为文字"),
        ('{"year": 2027, "holidays": ["2027-01-01"], "workdays": "2027-01-09"}', "“workdays”应为日期列表"),
        ('{"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-01-05"]}', "“workdays”第 1 项“2027-01-05”是工作日"),
        ('{"year": 2027, "holidays": ["2027-01-09"], "workdays": ["2027-01-09"]}', "同时列为放假日和调休上班日"),
    ],
)
def test_malformed_files_name_file_and_entry(tmp_path, content, fragment):
    path = tmp_path / "假期2027.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_year_file(path)
    message = str(info.value)
    assert fragment in message
    assert "假期2027.json" in message
    assert info.value.path == str(path)


def test_malformed_bundled_file_stops_load(empty_dir):
    (empty_dir / "bad.json").write_text('{"year": 2027}', encoding="utf-8")
    with pytest.raises(WorkbenchError, match="bad.json"):
        WorkCalendar.load(bundled_dir=empty_dir)


def test_missing_user_file_is_reported(empty_dir, tmp_path):
    with pytest.raises(InputFileError, match="无法读取节假日数据文件"):
        WorkCalendar.load(tmp_path / "absent.json", bundled_dir=empty_dir)


def test_file_with_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes('\ufeff{"year": 2027, "holidays": ["2027-01-01"]}'.encode())
    (data,) = read_year_file(path)
    assert data.year == 2027 and date(2027, 1, 1) in data.holidays
