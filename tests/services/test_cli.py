"""The command line: JSON output, exit codes and one-line Chinese errors (no tracebacks)."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """User folders under tmp_path, with the inspector's name set as the window's 设置 would."""
    from workbench.app import settings_path
    from workbench.paths import AppPaths
    from workbench.settings import Settings

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    Settings(inspector="测试检查员", unit="某市互联网信息办公室").save(settings_path(AppPaths.for_user(tmp_path / "data")))


NOTICE_SETTINGS = ("--contact", "王五", "--phone", "0531-12345678", "--review-body", "某市人民政府",
                   "--court", "某市某区人民法院")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert "workbench 0.1.0" in capsys.readouterr().out


def test_import_json_matches_expected(capsys, samples, tmp_path):
    expected = json.loads((samples / "expected.json").read_text(encoding="utf-8"))["site_list_2026Q4_messy.xlsx"]
    code, out, _ = run(capsys, "import", samples / "site_list_2026Q4_messy.xlsx", "--db", tmp_path / "t.db", "--json")
    assert code == 0
    got = json.loads(out)
    for key, exp_key in [("header_row", "header_row"), ("data_rows", "data_rows"), ("sites", "sites"),
                         ("domains", "domains"), ("duplicate_rows", "exact_duplicate_rows"),
                         ("conflict_rows", "conflicting_rows"), ("rejected_rows", "rejected_rows")]:
        assert got[key] == expected[exp_key], key
    assert {"row", "column", "code", "message"} <= set(got["problems"][0])
    code, out, _ = run(capsys, "sites", "--db", tmp_path / "t.db", "--json")
    listing = json.loads(out)
    assert len(listing) == 300
    idn = [s for s in listing if any(a.startswith("xn--") for a in s["domains_ascii"])]
    assert idn, "internationalised domains are stored in punycode too"


def test_bad_input_gives_one_line_and_exit_2(capsys, tmp_path):
    empty = tmp_path / "空文件.xlsx"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "import", empty, "--db", tmp_path / "t.db")
    assert code == 2
    assert "空文件.xlsx" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    not_db = tmp_path / "不是数据库.db"
    not_db.write_text("hello" * 100)
    code, _, err = run(capsys, "findings", "--db", not_db)
    assert code == 2 and "不是有效的工作台数据库" in err


def test_newer_database_is_refused(capsys, tmp_path):
    import sqlite3

    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version=999")
    conn.close()
    code, _, err = run(capsys, "findings", "--db", db)
    assert code == 2 and "更新版本" in err


def test_an_older_database_is_announced_before_its_upgrade(capsys, tmp_path):
    import shutil
    from pathlib import Path

    db = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "schemas" / "v9.sqlite3", db)
    code, out, err = run(capsys, "sites", "--db", db)
    assert code == 0 and "example.cn" in out
    assert err.count("正在备份并升级") == 1 and "结构版本 9 → " in err
    code, _, err = run(capsys, "sites", "--db", db)
    assert code == 0 and "升级" not in err       # upgraded once


def test_demo_findings_notice_receipt_summary(capsys, tmp_path):
    db = tmp_path / "demo.db"
    assert run(capsys, "demo", "--db", db, "--today", "2026-11-30")[0] == 0
    code, out, _ = run(capsys, "findings", "--db", db, "--json", "--today", "2026-11-30")
    rows = json.loads(out)
    statuses = {r["status"] for r in rows}
    assert {"pending", "rectifying", "closed"} <= statuses   # the demo shows every state
    assert any(r["overdue"] for r in rows) and not any(r["overdue"] for r in rows if r["status"] == "closed")
    org = next(r["sponsor_name"] for r in rows if not r["notice_number"])
    code, out, err = run(capsys, "notice", tmp_path / "n.pdf", "--db", db, "--org", org, "--today", "2026-11-30")
    assert code == 2 and "须印明联系人、联系电话" in err  # printing stops and says what is missing
    code, out, _ = run(capsys, "notice", tmp_path / "n.pdf", "--db", db, "--org", org, "--today", "2026-11-30",
                       *NOTICE_SETTINGS)
    assert code == 0 and (tmp_path / "n.pdf").read_bytes().startswith(b"%PDF")
    number = out.split("整改通知书 ")[1].split("：")[0]
    assert number == "演示整改〔2026〕3号"
    code, out2, err2 = run(capsys, "notice", tmp_path / "n2.pdf", "--db", db, "--org", org, *NOTICE_SETTINGS)
    assert "重新打印" in out2 and number in out2
    from workbench.reports.fonts import stand_in_notes

    # every stand-in font is named once per command, on stderr (none where the real faces exist)
    assert err2.count("字体提示：") == len(stand_in_notes())
    for note in stand_in_notes():
        assert err2.count(note) == 1
    assert run(capsys, "receipt", tmp_path / "r.pdf", "--db", db, "--notice", number)[0] == 0
    code, _, err = run(capsys, "receipt", tmp_path / "r.pdf", "--db", db, "--notice", "没有〔2026〕1号")
    assert code == 2 and "找不到" in err
    assert run(capsys, "export", "summary", tmp_path / "s.xlsx", "--db", db)[0] == 0
    from openpyxl import load_workbook

    assert "问题清单" in load_workbook(tmp_path / "s.xlsx").sheetnames
    code, out, _ = run(capsys, "findings", "--db", db, "--json", "--overdue", "--today", "2027-03-01")
    served_open = [r for r in rows if r["status"] not in ("closed", "pending")]   # never served: not overdue
    assert served_open and len(json.loads(out)) == len(served_open)
    assert not any(r["overdue"] for r in rows if r["status"] == "pending")


def test_deadline_command(capsys):
    # 2026-09-30 + 5 working days: Oct 1-7 off, Oct 8, 9, 10 (make-up Saturday), 12, 13.
    assert run(capsys, "deadline", "2026-09-30", "5", "--working")[1].strip() == "2026-10-13"
    # 2026-02-13 + 1 calendar day = Sat 2-14, a make-up working day: stays.
    assert run(capsys, "deadline", "2026-02-13", "1", "--calendar")[1].strip() == "2026-02-14"
    code, out, err = run(capsys, "deadline", "2027-12-30", "3", "--working")
    assert code == 0 and "2027" in err and "2028" in err


def test_checklist_list_export_import_round_trip(capsys, tmp_path):
    db = tmp_path / "c.db"
    code, out, _ = run(capsys, "checklist", "list", "--db", db, "--json")
    listing = {t["id"]: t for t in json.loads(out)}
    assert listing["website_security"]["item_count"] >= 25
    assert all(item["basis"] for item in listing["website_security"]["items"])
    assert run(capsys, "checklist", "export", "website_security", tmp_path / "ws.xlsx", "--db", db)[0] == 0
    code, out, _ = run(capsys, "checklist", "import", tmp_path / "ws.xlsx", "--db", db)
    assert code == 0 and "website_security" in out
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "ws.xlsx")
    items = wb["检查项"]
    items.cell(row=3, column=3).value = items.cell(row=2, column=3).value   # duplicate item code
    wb.save(tmp_path / "bad.xlsx")
    code, _, err = run(capsys, "checklist", "import", tmp_path / "bad.xlsx", "--db", db)
    assert code == 2 and "bad.xlsx" in err and "第 3 行" in err


def _counts(db):
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("campaign", "site", "notice", "column_mapping")}
    finally:
        conn.close()


def test_failed_imports_change_nothing(capsys, samples, tmp_path):
    from openpyxl import Workbook

    db = tmp_path / "t.db"
    assert run(capsys, "import", samples / "site_list_clean.xlsx", "--db", db, "--campaign", "甲")[0] == 0
    before = _counts(db)
    header_only = tmp_path / "只有表头.xlsx"
    wb = Workbook()
    wb.active.append(["序号", "主办单位名称", "网站备案号", "网站域名"])
    wb.save(header_only)
    code, _, err = run(capsys, "import", header_only, "--db", db, "--campaign", "甲")
    assert code == 2 and "没有任何数据行" in err
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"5": "site_filing_no"}', encoding="utf-8")
    code, _, err = run(capsys, "import", samples / "site_list_clean.xlsx", "--db", db, "--campaign", "乙",
                       "--mapping", wrong)
    assert code == 2 and "无法识别网站" in err
    huge = tmp_path / "huge.json"
    huge.write_text('{"99999999": "site_filing_no"}', encoding="utf-8")
    assert run(capsys, "import", samples / "site_list_clean.xlsx", "--db", db, "--mapping", huge)[0] == 2
    assert _counts(db) == before        # no new campaign, no site marked absent, no mapping kept
    code, out, _ = run(capsys, "import", samples / "site_list_clean.xlsx", "--db", db, "--campaign", "甲", "--json")
    assert json.loads(out)["unchanged"] == 200


def test_campaign_commands_and_choice(capsys, samples, tmp_path):
    db = tmp_path / "t.db"
    code, _, err = run(capsys, "findings", "--db", tmp_path / "打错的.db")
    assert code == 2 and "找不到数据库文件" in err and not (tmp_path / "打错的.db").exists()
    run(capsys, "import", samples / "site_list_clean.xlsx", "--db", db, "--campaign", "甲")
    run(capsys, "import", samples / "site_list_gb18030.csv", "--db", db, "--campaign", "乙")
    code, _, err = run(capsys, "findings", "--db", db)
    assert code == 2 and "--campaign" in err and "“甲”" in err
    assert run(capsys, "findings", "--db", db, "--campaign", "甲")[0] == 0
    code, _, err = run(capsys, "notices", tmp_path / "out", "--db", db, "--campaign", "甲", *NOTICE_SETTINGS)
    assert code == 0
    assert run(capsys, "campaign", "set", "甲", "--prefix", "鲁网信整改", "--authority", "某网信办", "--db", db)[0] == 0
    code, out, _ = run(capsys, "campaign", "list", "--db", db, "--json")
    assert {c["name"]: c["doc_prefix"] for c in json.loads(out)} == {"甲": "鲁网信整改", "乙": ""}


def test_notice_that_cannot_be_written_takes_no_number(capsys, tmp_path):
    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", db)
    before = _counts(db)["notice"]
    code, out, _ = run(capsys, "findings", "--db", db, "--json")
    unnoticed = [r for r in json.loads(out) if not r["notice_number"]]
    org = unnoticed[0]["sponsor_name"]
    code, _, err = run(capsys, "notice", tmp_path / "没有这个文件夹" / "n.pdf", "--db", db, "--org", org,
                       *NOTICE_SETTINGS)
    assert code == 2 and "保存位置不存在" in err
    assert _counts(db)["notice"] == before
    code, out, _ = run(capsys, "notice", tmp_path / "n.pdf", "--db", db, "--org", org, *NOTICE_SETTINGS)
    assert code == 0 and "已生成" in out
    number = out.split("整改通知书 ")[1].split("：")[0]
    typed = number.replace("〔", "[").replace("〕", "]")
    assert run(capsys, "receipt", tmp_path / "r.pdf", "--db", db, "--notice", typed)[0] == 0


def test_argument_errors_are_one_chinese_line(capsys):
    with pytest.raises(SystemExit) as done:
        main(["deadline", "2026-01-01", "1.5", "--working"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.startswith("错误：命令参数有误") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("argv", [
    ["import"],                                   # the following arguments are required
    ["bogus"],                                    # invalid choice
    ["deadline", "2026-01-01", "x", "--working"],  # invalid int value
    ["sites", "--db", "x.sqlite3", "--bogus"],    # unrecognized arguments
    ["--help"], ["import", "--help"], ["remove", "-h"],
])
def test_argparse_speaks_chinese(capsys, argv):
    """argparse's own words (usage:, options, required, invalid choice…) were English."""
    import re

    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr()
    text = out.out + out.err
    english = ("usage", "options", "positional", "argument", "required", "invalid", "choose from",
               "unrecognized", "show this", "show program", "help message", "expected", "error")
    assert not [w for w in english if re.search(rf"\b{w}\b", text, re.IGNORECASE)], text
    for name in ("file", "out", "command", "days"):   # English argument names
        assert not re.search(rf"(?<![-\w.]){name}\b", text), text


def _all_parsers(parser, path=("workbench",)):
    import argparse

    yield " ".join(path), parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_parsers(sub, (*path, name))


def test_every_option_has_a_chinese_placeholder_and_a_help_line():
    """`workbench import -h` showed "--db DB  --today TODAY  --sheet SHEET" and --json, --sheet,
    --campaign, --working… with no explanation."""
    import re

    from workbench.cli import build_parser

    seen = 0
    for where, parser in _all_parsers(build_parser()):
        text = parser.format_help()
        assert not re.search(r"--[a-z-]+ [A-Z_]{2,}\b", text), (where, text)
        for action in parser._actions:
            if action.option_strings and action.help is None:
                raise AssertionError(f"{where} {action.option_strings[-1]} 没有说明")
        seen += 1
    assert seen > 30


def test_writes_need_an_inspector_name_never_the_login(capsys, tmp_path, monkeypatch):
    """Without a name in the settings every write is refused (exit 2, nothing stored); reading
    works; --inspector names the writer; rows never carry the operating-system login."""
    import sqlite3

    from workbench.app import settings_path
    from workbench.paths import AppPaths

    settings_path(AppPaths.for_user(tmp_path / "data")).unlink()
    db = tmp_path / "t.db"
    code, _, err = run(capsys, "campaign", "create", "任务甲", "--db", db)
    assert code == 2 and "检查人员姓名" in err and "--inspector" in err
    assert run(capsys, "campaign", "list", "--db", db, "--json")[1].strip() == "[]"
    assert run(capsys, "campaign", "create", "任务甲", "--db", db, "--inspector", "王五")[0] == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT inspector FROM campaign").fetchall() == [("王五",)]
    assert run(capsys, "demo", "--db", tmp_path / "demo.db", "--today", "2026-11-30")[0] == 0   # demo: labelled
    with sqlite3.connect(tmp_path / "demo.db") as conn:
        names = {r[0] for r in conn.execute("SELECT inspector FROM site UNION SELECT inspector FROM review")}
    assert names == {"演示检查员（演示数据）"}
