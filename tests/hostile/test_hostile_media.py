"""The database and backups on write-protected media, a full disk mid-import, a database locked
by another process (issue 9's hostile pass).

The media cases mount a small tmpfs (support/hostile_mounts.py; root only, as in CI); where
mounting is not allowed they are skipped.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from cli_run import named_data_dir, run
from hostile_mounts import Medium


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    named_data_dir(tmp_path, monkeypatch)


@pytest.fixture
def medium(tmp_path):
    made = Medium.mount(tmp_path / "usb", "4m")
    try:
        yield made
    finally:
        made.remove()


@pytest.fixture
def db(capsys, tmp_path) -> Path:
    path = tmp_path / "work.sqlite3"
    assert run(capsys, "campaign", "create", "甲任务", "--db", path)[0] == 0
    return path


def test_check_on_a_write_protected_stick_reports_a_sound_database_as_sound(capsys, db, medium):
    """Before: "unable to open database file … 发现问题，请从备份恢复" — a good file called damaged."""
    copy = medium.path / "work.sqlite3"
    shutil.copyfile(db, copy)
    medium.protect()
    code, out, err = run(capsys, "check", "--db", copy)
    assert code == 0 and "结论：数据库完好" in out, out + err


def test_restore_from_a_backup_on_a_write_protected_stick(capsys, tmp_path, db, medium):
    backup = medium.path / "备份.sqlite3"
    assert run(capsys, "backup", backup, "--db", db)[0] == 0
    medium.protect()
    assert run(capsys, "campaign", "create", "后来的", "--db", db)[0] == 0
    code, _out, err = run(capsys, "restore", backup, "--db", db)
    assert code == 0, err
    code, out, _err = run(capsys, "campaign", "list", "--db", db)
    assert "甲任务" in out and "后来的" not in out


def test_writing_to_a_write_protected_database_says_so(capsys, db, medium):
    copy = medium.path / "work.sqlite3"
    shutil.copyfile(db, copy)
    medium.protect()
    code, _out, err = run(capsys, "campaign", "create", "乙", "--db", copy)
    assert code == 2 and "只读" in err and "Traceback" not in err, err
    code, out, _err = run(capsys, "campaign", "list", "--db", copy)
    assert code == 0 and "甲任务" in out


def test_a_full_disk_mid_import_keeps_the_database_whole(capsys, tmp_path, db, medium):
    copy = medium.path / "work.sqlite3"
    shutil.copyfile(db, copy)
    medium.fill(copy.stat().st_size * 3 // 2)
    csv = tmp_path / "名单.csv"
    lines = ["网站备案号,网站名称,主办单位名称,网站域名"]
    lines += [f"鲁ICP备{10000000 + i}号-1,网站{i},单位{i},site{i}.example.cn" for i in range(3000)]
    csv.write_text("\n".join(lines), encoding="utf-8")
    code, _out, err = run(capsys, "import", csv, "--db", copy, "--campaign", "甲任务")
    assert code == 2 and "磁盘已满" in err and "Traceback" not in err, err
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM site").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_database_locked_by_another_process_is_named_not_a_traceback(capsys, db):
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _out, err = run(capsys, "campaign", "create", "乙", "--db", db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2 and "正被其他程序" in err and "Traceback" not in err, err


def test_a_backup_onto_a_full_stick_says_the_disk_is_full_and_leaves_nothing(capsys, db, medium):
    """Before: "无法写入备份 …（database or disk is full）", SQLite's English words."""
    medium.fill(16 << 10)
    code, _out, err = run(capsys, "backup", medium.path / "备份.sqlite3", "--db", db)
    assert code == 2 and "磁盘已满" in err and "备份.sqlite3" in err and "disk is full" not in err, err
    assert sorted(p.name for p in medium.path.iterdir()) == ["filler"]
