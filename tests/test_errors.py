"""Operating-system and database errors reach the user as Chinese sentences saying what to do."""

from __future__ import annotations

import errno
import re
import sqlite3

import pytest

from workbench.errors import describe_os_error, os_reason
from workbench.storage.connection import describe_error

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize("code, expected", [
    (errno.EACCES, "Excel"), (errno.ENOENT, "U 盘"), (errno.ENOSPC, "磁盘已满"),
    (errno.EROFS, "只读"), (errno.EBUSY, "其他程序"), (errno.EIO, "磁盘"),
])
def test_os_errors_are_chinese_and_say_what_to_do(code, expected):
    err = OSError(code, "English system text", "/tmp/名单.xlsx")
    reason = os_reason(err)
    assert expected in reason and "English" not in reason and "请" in reason
    sentence = describe_os_error(err)
    assert "/tmp/名单.xlsx" in sentence and reason in sentence


def test_windows_sharing_violation_names_excel():
    err = PermissionError(errno.EACCES, "The process cannot access the file", "汇总.xlsx")
    err.winerror = 32
    assert "打开" in os_reason(err) and "Excel" in os_reason(err)


def test_unknown_os_error_keeps_the_system_text_for_the_maintainer():
    assert "weird thing" in os_reason(OSError(9999, "weird thing"))


@pytest.mark.parametrize("message, expected", [
    ("database is locked", "其他程序"), ("attempt to write a readonly database", "只读"),
    ("database or disk is full", "磁盘已满"), ("database disk image is malformed", "已损坏"),
    ("file is not a database", "已损坏"), ("disk I/O error", "磁盘出错"),
    ("unable to open database file", "路径"),
])
def test_database_errors_are_chinese(message, expected):
    text = describe_error(sqlite3.OperationalError(message))
    assert expected in text and not LATIN_WORD.search(text.replace("U 盘", ""))


def test_cli_reports_an_unwritable_output_in_chinese(tmp_path, capsys):
    from workbench.cli import main

    db = tmp_path / "demo.sqlite3"
    assert main(["--data-dir", str(tmp_path / "data"), "demo", "--db", str(db), "--sites", "5"]) == 0
    out_dir = tmp_path / "只读"
    out_dir.mkdir()
    target = out_dir / "汇总.xlsx"
    target.mkdir()   # a folder where the workbook should go: cannot be written
    code = main(["--data-dir", str(tmp_path / "data"), "export", "summary", str(target), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2 and "汇总.xlsx" in err and "Is a directory" not in err, err
