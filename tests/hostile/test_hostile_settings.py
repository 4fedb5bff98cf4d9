"""A settings file that is damaged, empty or holds values of the wrong type; a holiday file that
is not holiday data; dates that do not exist (issue 9's hostile pass).

A damaged settings file must not pass silently for "no name entered": the user is told which file
is damaged and where its copy went, and the copy survives the next save. A value of the wrong
type or range falls back to its default, and the user is told which.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from workbench.cli import main
from workbench.settings import Settings


@pytest.fixture
def settings_file(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    from workbench.app import settings_path
    from workbench.paths import AppPaths

    path = settings_path(AppPaths.for_user(tmp_path / "data"))
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("content", [b"", b"{\"inspector\": \"\xe5\xbc\xa0", b"null", b"[1, 2]", b"\xff\xfe\x00\x01"],
                         ids=["empty", "cut-off", "null", "list", "binary"])
def test_a_damaged_settings_file_is_named_and_kept(capsys, tmp_path, settings_file, content):
    settings_file.write_bytes(content)
    db = tmp_path / "w.sqlite3"
    code, _out, err = run(capsys, "campaign", "create", "甲", "--db", db)
    assert code == 2, err
    assert "警告：设置文件" in err and str(settings_file) in err and "已损坏" in err, err
    assert "未填写检查人员姓名" in err and "Traceback" not in err
    kept = list(settings_file.parent.glob("settings.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content
    run(capsys, "campaign", "list", "--db", db)                  # again: no second copy
    assert len(list(settings_file.parent.glob("settings.json.damaged-*"))) == 1
    Settings(inspector="张三", unit="某办").save(settings_file)   # the window saves new settings
    assert kept[0].read_bytes() == content
    code, _out, err = run(capsys, "campaign", "create", "甲", "--db", db)
    assert code == 0 and "警告" not in err, err


@pytest.mark.parametrize("values, dropped", [
    ({"review_term_days": -5}, "review_term_days"),
    ({"review_term_days": "ten"}, "review_term_days"),
    ({"review_term_days": True}, "review_term_days"),
    ({"review_term_unit": "weeks"}, "review_term_unit"),
    ({"import_unpacked_limit_mb": 0}, "import_unpacked_limit_mb"),
    ({"fonts": {"title": 5}}, "fonts"),
    ({"campaign_titles": ["x"]}, "campaign_titles"),
    ({"preprinted_letterhead": "yes"}, "preprinted_letterhead"),
])
def test_values_of_the_wrong_type_or_range_fall_back_to_their_default(capsys, tmp_path, settings_file,
                                                                       values, dropped):
    settings_file.write_text(json.dumps({"inspector": "张三", "unit": "某办", **values}), encoding="utf-8")
    loaded = Settings.load(settings_file)
    assert loaded.inspector == "张三"
    assert getattr(loaded, dropped) == getattr(Settings(), dropped)
    assert dropped in loaded.load_problem
    code, _out, err = run(capsys, "campaign", "create", "甲", "--db", tmp_path / "w.sqlite3")
    assert code == 0 and f"警告：设置文件 {settings_file}" in err and dropped in err, err


def test_good_values_load_without_a_warning(settings_file):
    Settings(inspector="张三", unit="某办", review_term_days=15, review_term_unit="calendar").save(settings_file)
    loaded = Settings.load(settings_file)
    assert (loaded.review_term_days, loaded.review_term_unit, loaded.load_problem) == (15, "calendar", "")
    assert "load_problem" not in json.loads(settings_file.read_text(encoding="utf-8"))


def test_control_characters_never_reach_a_record_from_the_name(capsys, tmp_path, settings_file):
    import sqlite3

    settings_file.write_text(json.dumps({"inspector": "张\u202e三\u0007", "unit": "某\u2066办"}), encoding="utf-8")
    assert (Settings.load(settings_file).inspector, Settings.load(settings_file).unit) == ("张三", "某办")
    db = tmp_path / "w.sqlite3"
    assert run(capsys, "campaign", "create", "甲", "--db", db)[0] == 0
    conn = sqlite3.connect(db)
    try:
        names = {r[0] for r in conn.execute("SELECT inspector FROM audit_log")}
    finally:
        conn.close()
    assert "张三" in names and not any("\u202e" in n for n in names)


# --- the holiday file -----------------------------------------------------------------------------


def test_a_deeply_nested_holiday_file_is_refused_not_a_crash(tmp_path):
    from workbench.domain.calendar import read_year_file
    from workbench.errors import InputFileError

    path = tmp_path / "节假日.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputFileError, match="嵌套") as caught:
        read_year_file(path)
    assert "节假日.json" in str(caught.value)


def test_a_holiday_name_with_bidi_controls_is_refused(tmp_path):
    from workbench.domain.calendar import read_year_file
    from workbench.errors import InputFileError

    path = tmp_path / "节假日.json"
    path.write_text(json.dumps({"year": 2027, "holidays": [{"date": "2027-01-01", "name": "元\u202e旦"}]}),
                    encoding="utf-8")
    with pytest.raises(InputFileError, match=r"\[U\+202E\]"):
        read_year_file(path)


# --- dates on the command line --------------------------------------------------------------------


@pytest.mark.parametrize("day, words", [("2026-02-30", "没有这一天"), ("2026-13-01", "没有这一天"),
                                        ("2026-1-1", "YYYY-MM-DD"), ("明天", "YYYY-MM-DD")])
def test_a_date_that_does_not_exist_says_so(capsys, day, words):
    with pytest.raises(SystemExit) as done:
        main(["deadline", day, "10", "--working"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and words in err and day in err and "Traceback" not in err, err


@pytest.mark.parametrize("today", ["0001-01-02", "9999-12-31", "1999-12-31"])
def test_a_today_far_out_is_refused_before_anything_is_written(capsys, tmp_path, settings_file, today):
    Settings(inspector="张三", unit="某办").save(settings_file)
    db = tmp_path / "w.sqlite3"
    with pytest.raises(SystemExit) as done:
        main(["demo", "--db", str(db), "--today", today, "--sites", "3"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "今天" in err and "Traceback" not in err, err
    assert not db.exists()


# --- the column mapping file of ``import --mapping`` -------------------------------------------------


@pytest.mark.parametrize("content, words", [
    (None, "找不到该文件"),
    ("{bad", "不是有效的 JSON"),
    ("[1]", "应为 JSON 对象"),
    ('{"x": "site_name"}', "而不是“x”"),
    ('{"99999": "site_name"}', "0 到 16383"),
])
def test_a_bad_mapping_file_names_itself_and_the_problem(capsys, tmp_path, settings_file, content, words):
    Settings(inspector="张三", unit="某办").save(settings_file)
    mapping = tmp_path / "对应.json"
    if content is not None:
        mapping.write_text(content, encoding="utf-8")
    csv = tmp_path / "名单.csv"
    csv.write_text("网站备案号,网站名称,主办单位名称,网站域名\n鲁ICP备10000000号-1,网站,单位,a.example.cn\n",
                   encoding="utf-8")
    code, _out, err = run(capsys, "import", csv, "--db", tmp_path / "w.sqlite3", "--campaign", "甲",
                          "--mapping", mapping)
    assert code == 2 and "对应.json" in err and words in err and "Errno" not in err, err


def test_demo_run_twice_says_the_second_time_changed_nothing(capsys, tmp_path, settings_file):
    """Before: "演示数据已生成" twice, the second time with a --sites count it ignored."""
    Settings(inspector="张三", unit="某办").save(settings_file)
    db = tmp_path / "demo.sqlite3"
    code, out, err = run(capsys, "demo", "--db", db, "--sites", "6")
    assert code == 0 and "演示数据已生成" in out, err
    code, out, err = run(capsys, "demo", "--db", db, "--sites", "9")
    assert code == 0 and "演示数据已存在，未作改动" in out and "网站 6 个" in out, err


def test_a_damaged_holiday_file_named_in_the_settings_says_how_out(capsys, tmp_path, settings_file):
    """Every deadline reads it: the message must say it is the settings' file and how to replace it."""
    broken = tmp_path / "节假日.json"
    broken.write_text("garbage", encoding="utf-8")
    settings_file.write_text(json.dumps({"inspector": "张三", "unit": "某办", "holiday_file": str(broken)},
                                        ensure_ascii=False), encoding="utf-8")
    code, _out, err = run(capsys, "demo", "--db", tmp_path / "w.sqlite3", "--sites", "3")
    assert code == 2 and "节假日.json" in err and "导入节假日安排" in err and "Traceback" not in err, err
