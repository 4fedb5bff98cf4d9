"""Tests for workbench.domain.dates."""

from datetime import date, datetime

import pytest

from workbench.domain.dates import parse_date


@pytest.mark.parametrize(
    "value",
    [
        "2019/3/5", "2019年3月5日", "20190305", "2019.03.05", "2019-03-05", "2019-03-05 10:11:12",
        "２０１９－０３－０５", 20190305.0, 20190305, 43529.0, "43529", date(2019, 3, 5),
        datetime(2019, 3, 5, 16, 30),
    ],
)
def test_parse_date_forms(value):
    assert parse_date(value) == (date(2019, 3, 5), ())


def test_excel_serial_from_the_samples():
    assert parse_date(42750.0) == (date(2017, 1, 15), ())


@pytest.mark.parametrize("value", ["2019-02-30", "明年", "2019-13-01", 0.5, -3.0])
def test_parse_date_invalid(value):
    assert parse_date(value) == (None, ("date_invalid",))


def test_parse_date_blank():
    assert parse_date("") == (None, ())
    assert parse_date("  ") == (None, ())


@pytest.mark.parametrize(
    ("day", "plausible"),
    [(date(1999, 12, 31), False), (date(2000, 1, 1), True), (date(2026, 11, 20), True),
     (date(2026, 11, 21), False), (date(1, 1, 1), False), (date(9999, 12, 31), False)],
)
def test_approval_dates_from_2000_to_today_are_plausible(day, plausible):
    from workbench.domain.dates import is_plausible_approval

    assert is_plausible_approval(day, today=date(2026, 11, 20)) is plausible
