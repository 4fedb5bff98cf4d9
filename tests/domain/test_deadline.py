"""Deadlines pinned by hand against the published 2025 and 2026 arrangements (facts.md §9).

Each expected date is worked out in the comment beside it from the State Council notices, not
from the code under test.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from workbench.domain.calendar import WorkCalendar
from workbench.domain.deadline import (
    UNIT_LABELS,
    Deadline,
    compute_deadline,
    days_left,
    term_text,
)
from workbench.domain.severity import (
    DEFAULT_TERMS,
    SEVERITIES,
    SEVERITY_LABELS,
    check_severity,
    default_term,
)
from workbench.errors import ValidationError


@pytest.fixture
def empty_dir(tmp_path):
    folder = tmp_path / "bundled"
    folder.mkdir()
    return folder


@pytest.fixture
def calendar(empty_dir) -> WorkCalendar:
    return WorkCalendar.load(bundled_dir=empty_dir)


@pytest.fixture
def no_2027(calendar) -> WorkCalendar:
    if calendar.covers(2027):
        pytest.skip("chinesecalendar now covers 2027: move these cases to the next uncovered year")
    return calendar


CASES = [
    # 2025 Spring Festival: off 1/28 (Tue) – 2/4 (Tue); Sun 1/26 and Sat 2/8 worked.
    # Fri 1/24 + 5 working: 1/26 Sun(1) 1/27(2) | 2/5(3) 2/6(4) 2/7(5).
    (date(2025, 1, 24), 5, "working", date(2025, 2, 7)),
    # Mon 1/27 + 4 working: 2/5(1) 2/6(2) 2/7(3) Sat 2/8 made up(4).
    (date(2025, 1, 27), 4, "working", date(2025, 2, 8)),
    # Mon 1/20 + 10 calendar = Thu 1/30, a day off; next working day Wed 2/5.
    (date(2025, 1, 20), 10, "calendar", date(2025, 2, 5)),
    # 2025 National Day: off 10/1 (Wed) – 10/8 (Wed); Sun 9/28 and Sat 10/11 worked.
    # Fri 9/26 + 3 working: Sun 9/28(1) 9/29(2) 9/30(3).
    (date(2025, 9, 26), 3, "working", date(2025, 9, 30)),
    # Tue 9/30 + 5 working: 10/9(1) 10/10(2) Sat 10/11(3) | 10/13(4) 10/14(5).
    (date(2025, 9, 30), 5, "working", date(2025, 10, 14)),
    # Wed 9/24 + 10 calendar = Sat 10/4, a day off; next working day Thu 10/9.
    (date(2025, 9, 24), 10, "calendar", date(2025, 10, 9)),
    # 2026 New Year: off 1/1 (Thu) – 1/3; Sun 1/4 worked. Wed 2025-12-31 + 1 working: Sun 1/4.
    (date(2025, 12, 31), 1, "working", date(2026, 1, 4)),
    # 2026 Spring Festival: off 2/15 (Sun) – 2/23 (Mon); Sat 2/14 and Sat 2/28 worked.
    # Thu 2/12 + 10 working: 2/13(1) Sat 2/14(2) | 2/24(3) 2/25(4) 2/26(5) 2/27(6) Sat 2/28(7)
    # | 3/2(8) 3/3(9) 3/4(10).
    (date(2026, 2, 12), 10, "working", date(2026, 3, 4)),
    # Wed 2/4 + 10 calendar = Sat 2/14, a make-up working day: the deadline stays.
    (date(2026, 2, 4), 10, "calendar", date(2026, 2, 14)),
    # Tue 2/10 + 7 calendar = Tue 2/17, a day off; next working day Tue 2/24.
    (date(2026, 2, 10), 7, "calendar", date(2026, 2, 24)),
    # Mon 3/2 + 5 calendar = Sat 3/7, an ordinary weekend; next working day Mon 3/9.
    (date(2026, 3, 2), 5, "calendar", date(2026, 3, 9)),
    # Mon 3/2 + 4 calendar = Fri 3/6, a working day: no move.
    (date(2026, 3, 2), 4, "calendar", date(2026, 3, 6)),
    # 2026 Mid-autumn + National Day: off 9/25 (Fri) – 9/27 and 10/1 (Thu) – 10/7 (Wed);
    # Sun 9/20 and Sat 10/10 worked. Fri 9/18 + 10 working: Sun 9/20(1) 9/21(2) 9/22(3) 9/23(4)
    # 9/24(5) | 9/28(6) 9/29(7) 9/30(8) | 10/8(9) 10/9(10).
    (date(2026, 9, 18), 10, "working", date(2026, 10, 9)),
    # Thu 10/8 + 2 working: 10/9(1) Sat 10/10(2).
    (date(2026, 10, 8), 2, "working", date(2026, 10, 10)),
    # Mon 9/21 + 15 calendar = Tue 10/6, a day off; next working day Thu 10/8.
    (date(2026, 9, 21), 15, "calendar", date(2026, 10, 8)),
    # 2026 Labour Day: off 5/1 (Fri) – 5/5 (Tue); Sat 5/9 worked.
    # Thu 4/30 + 3 working: 5/6(1) 5/7(2) 5/8(3).
    (date(2026, 4, 30), 3, "working", date(2026, 5, 8)),
]


@pytest.mark.parametrize(("start", "days", "unit", "expected"), CASES)
def test_published_calendar(calendar, start, days, unit, expected):
    result = compute_deadline(start, days, unit, calendar)
    assert result == Deadline(expected, ())


def test_start_day_is_not_counted(calendar):
    # Mon 2026-03-02: one working day later is Tue 3/3, one calendar day later too.
    assert compute_deadline(date(2026, 3, 2), 1, "working", calendar).date == date(2026, 3, 3)
    assert compute_deadline(date(2026, 3, 2), 1, "calendar", calendar).date == date(2026, 3, 3)


def test_uncovered_year_falls_back_with_warning(no_2027):
    # Wed 2026-12-30 + 3 working: Thu 12/31(1); 2027 without data: Fri 1/1(2), Mon 1/4(3).
    result = compute_deadline(date(2026, 12, 30), 3, "working", no_2027)
    assert result.date == date(2027, 1, 4)
    assert len(result.warnings) == 1
    assert "2027" in result.warnings[0] and "周六、周日" in result.warnings[0]
    # Tue 2026-12-22 + 10 calendar = Fri 2027-01-01, a weekday when only weekends are known.
    result = compute_deadline(date(2026, 12, 22), 10, "calendar", no_2027)
    assert result.date == date(2027, 1, 1)
    assert "2027" in result.warnings[0]


def test_no_warning_when_the_count_stays_in_covered_years(no_2027):
    # Mon 2026-12-21 + 10 calendar = Thu 12/31, a working day: 2027 is never looked at.
    result = compute_deadline(date(2026, 12, 21), 10, "calendar", no_2027)
    assert result == Deadline(date(2026, 12, 31), ())


def test_2027_file_removes_warning_and_its_holidays_count(no_2027, empty_dir, tmp_path):
    # Test data only (not the real 2027 arrangement): 1/1 off, Sat 1/9 worked.
    user = tmp_path / "2027.json"
    user.write_text(json.dumps({
        "year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-01-09"],
    }), encoding="utf-8")
    cal = WorkCalendar.load(user, bundled_dir=empty_dir)
    # Wed 12/30 + 3 working: Thu 12/31(1); Fri 1/1 off; Mon 1/4(2) Tue 1/5(3).
    assert compute_deadline(date(2026, 12, 30), 3, "working", cal) == Deadline(date(2027, 1, 5), ())
    # Tue 12/22 + 10 calendar = Fri 1/1 off; Sat, Sun; Mon 1/4.
    assert compute_deadline(date(2026, 12, 22), 10, "calendar", cal) == Deadline(date(2027, 1, 4), ())
    # Thu 1/7 + 2 working: Fri 1/8(1) Sat 1/9 made up(2).
    assert compute_deadline(date(2027, 1, 7), 2, "working", cal).date == date(2027, 1, 9)


def test_bundled_2027_file_works_like_a_user_file(no_2027, empty_dir):
    (empty_dir / "2027.json").write_text(
        '{"year": 2027, "holidays": ["2027-01-01"]}', encoding="utf-8"
    )
    cal = WorkCalendar.load(bundled_dir=empty_dir)
    assert compute_deadline(date(2026, 12, 30), 3, "working", cal) == Deadline(date(2027, 1, 5), ())


def test_one_warning_per_missing_year(no_2027):
    if no_2027.covers(2028):
        pytest.skip("2028 covered")
    # 300 working days from mid-December 2026 run through 2027 into 2028.
    result = compute_deadline(date(2026, 12, 15), 300, "working", no_2027)
    assert result.date.year == 2028
    assert [("2027" in w, "2028" in w) for w in result.warnings] == [(True, False), (False, True)]


@pytest.mark.parametrize("days", [0, -3, 1.5, "5", True, None, 3651])
def test_bad_day_counts_refused(calendar, days):
    with pytest.raises(ValidationError, match="整改期限天数"):
        compute_deadline(date(2026, 3, 2), days, "working", calendar)


@pytest.mark.parametrize("unit", ["weeks", "", "工作日", None])
def test_bad_units_refused(calendar, unit):
    with pytest.raises(ValidationError, match="整改期限单位"):
        compute_deadline(date(2026, 3, 2), 5, unit, calendar)


def test_days_left():
    assert days_left(date(2026, 3, 10), date(2026, 3, 2)) == 8
    assert days_left(date(2026, 3, 10), date(2026, 3, 10)) == 0
    assert days_left(date(2026, 3, 10), date(2026, 3, 13)) == -3
    assert days_left(date(2027, 1, 1), date(2026, 12, 31)) == 1


def test_unit_labels_and_term_text():
    assert UNIT_LABELS == {"working": "工作日", "calendar": "自然日"}
    assert term_text(10, "working") == "10个工作日"
    assert term_text(15, "calendar") == "15日"
    with pytest.raises(ValidationError):
        term_text(0, "calendar")


def test_default_terms_per_severity(calendar):
    assert SEVERITIES == ("high", "medium", "low")
    assert SEVERITY_LABELS == {"high": "高", "medium": "中", "low": "低"}
    assert set(DEFAULT_TERMS) == set(SEVERITIES)
    assert default_term("high") == (5, "working")
    assert default_term("medium") == (10, "working")
    # One unit for every default term (working days; severity.py says why, not 行政强制法 §69).
    assert {unit for _days, unit in DEFAULT_TERMS.values()} == {"working"}
    # A medium finding recorded Thu 2026-02-12: 10 working days end Wed 3/4 (see CASES).
    days, unit = default_term("medium")
    assert compute_deadline(date(2026, 2, 12), days, unit, calendar).date == date(2026, 3, 4)


def test_unknown_severity_refused():
    assert check_severity("low") == "low"
    with pytest.raises(ValidationError, match="问题等级"):
        default_term("critical")
