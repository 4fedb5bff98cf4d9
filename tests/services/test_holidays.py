"""Installing a user's holiday file changes deadlines; a bad file changes nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from wbtest import make_ctx
from workbench.domain.deadline import compute_deadline
from workbench.errors import InputFileError
from workbench.services import holidays

# Invented 2027 data for the test only (not the published calendar): Jan 1-3 off, Jan 9 worked.
FAKE_2027 = {"year": 2027, "source": "测试用虚构数据", "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
             "workdays": ["2027-01-09"]}


def test_install_changes_deadlines_and_bad_file_changes_nothing(conn, tmp_path):
    ctx = make_ctx(conn)
    before = compute_deadline(date(2026, 12, 31), 1, "working", ctx.calendar)
    assert before.date == date(2027, 1, 1) and before.warnings   # weekends only, with a warning
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"year": 2027, "holidays": ["2027-02-30"]}), encoding="utf-8")
    with pytest.raises(InputFileError, match="2027-02-30"):
        holidays.install_holiday_file(ctx, bad, tmp_path / "config")
    assert ctx.settings.holiday_file == ""
    good = tmp_path / "2027.json"
    good.write_text(json.dumps(FAKE_2027, ensure_ascii=False), encoding="utf-8")
    done = holidays.install_holiday_file(ctx, good, tmp_path / "config")
    assert done.years == (2027,) and done.path.is_file()
    after = compute_deadline(date(2026, 12, 31), 1, "working", ctx.calendar)
    assert after.date == date(2027, 1, 4) and not after.warnings
    assert holidays.coverage(ctx)[1] == 2027
