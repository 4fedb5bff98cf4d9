"""Hostile backups and slips with backup / restore / output paths (issue 9's hostile pass over
issue 13's backups): a non-SQLite file, a truncated or 0-byte backup, a backup of a newer schema,
another program's database, another laptop's database; a backup or an export written over the
database, its journal, an existing file or into the backup / exchange folders.

Each must end in exit code 2 and a Chinese message naming the file, with the database exactly as
it was (the same rows, the same replica id, still openable by this program).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_run import named_data_dir, run
from hostile_files import database_dump


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    named_data_dir(tmp_path, monkeypatch)


def make_db(capsys, path: Path, campaign: str = "甲任务") -> Path:
    code, _out, err = run(capsys, "campaign", "create", campaign, "--db", path)
    assert code == 0, err
    return path


@pytest.fixture
def db(capsys, tmp_path) -> Path:
    return make_db(capsys, tmp_path / "work.sqlite3")


def replica(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id FROM sync_replica").fetchone()[0]
    finally:
        conn.close()


def assert_refused(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert err.startswith("错误："), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


# --- restore --------------------------------------------------------------------------------------


def _text_file(path: Path) -> Path:
    path.write_text("这不是数据库\n", encoding="utf-8")
    return path


def _truncated(path: Path, db: Path) -> Path:
    data = db.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三')")
    conn.commit()
    conn.close()
    return path


def _newer(path: Path, db: Path) -> Path:
    path.write_bytes(db.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    return path


BAD_BACKUPS = {
    "文本文件": (lambda p, db: _text_file(p), "不是数据库"),
    "截断的备份": (_truncated, "已损坏"),
    "0 字节": (lambda p, db: _empty(p), "空文件"),
    "别的程序的数据库": (lambda p, db: _foreign(p), "不是检查工作台的数据库"),
    "更新版本的结构": (_newer, "更新版本"),
}


@pytest.mark.parametrize("case", sorted(BAD_BACKUPS))
def test_a_bad_backup_is_refused_and_the_database_is_untouched(capsys, tmp_path, db, case):
    build, word = BAD_BACKUPS[case]
    bad = build(tmp_path / "备份.sqlite3", db)
    before, ours = database_dump(db), replica(db)
    code, _out, err = run(capsys, "restore", bad, "--db", db)
    assert_refused(code, err, "备份.sqlite3", word, "未恢复")
    assert database_dump(db) == before and replica(db) == ours
    code, _out, err = run(capsys, "campaign", "list", "--db", db)     # still opens
    assert code == 0 and "甲任务" in _out, err


def test_a_backup_of_another_laptops_database_needs_force(capsys, tmp_path, db):
    other = make_db(capsys, tmp_path / "other.sqlite3", "乙任务")
    before, ours = database_dump(db), replica(db)
    code, _out, err = run(capsys, "restore", other, "--db", db)
    assert_refused(code, err, "other.sqlite3", "另一个数据库", "--force")
    assert database_dump(db) == before and replica(db) == ours
    code, out, err = run(capsys, "restore", other, "--db", db, "--force")
    assert code == 0, err
    assert replica(db) == replica(other)


def test_a_backup_of_the_same_database_restores(capsys, tmp_path, db):
    copy = tmp_path / "copy.sqlite3"
    assert run(capsys, "backup", copy, "--db", db)[0] == 0
    assert run(capsys, "campaign", "create", "后来的任务", "--db", db)[0] == 0
    code, _out, err = run(capsys, "restore", copy, "--db", db)
    assert code == 0, err
    code, out, _err = run(capsys, "campaign", "list", "--db", db)
    assert "甲任务" in out and "后来的任务" not in out


def test_restore_into_a_missing_database_takes_any_workbench_backup(capsys, tmp_path, db):
    target = tmp_path / "new" / "fresh.sqlite3"
    code, _out, err = run(capsys, "restore", db, "--db", target)
    assert code == 0, err
    assert replica(target) == replica(db)


def test_the_window_restore_refuses_a_foreign_file_too(capsys, tmp_path, db):
    from workbench.app import open_context
    from workbench.errors import WorkbenchError
    from workbench.paths import AppPaths
    from workbench.services.integrity import restore_open

    foreign = _foreign(tmp_path / "通讯录.sqlite3")
    ctx = open_context(db, AppPaths.for_user(tmp_path / "data"))
    try:
        before = database_dump(db)
        with pytest.raises(WorkbenchError, match="不是检查工作台的数据库"):
            restore_open(ctx, db, foreign)
        assert database_dump(db) == before
    finally:
        ctx.conn.close()


# --- backup and other outputs ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["work.sqlite3-wal", "work.sqlite3-journal", "work.sqlite3-shm"])
def test_a_backup_over_the_databases_journal_is_refused(capsys, tmp_path, db, name):
    before = database_dump(db)
    code, _out, err = run(capsys, "backup", tmp_path / name, "--db", db)
    assert_refused(code, err, name)
    assert not (tmp_path / name).exists()
    assert database_dump(db) == before


def test_a_backup_into_the_automatic_backup_folder_is_refused(capsys, tmp_path, db):
    """Rotation deletes what it finds there: a hand-made backup would silently go."""
    folder = tmp_path / "work.sqlite3.backups"
    code, _out, err = run(capsys, "backup", folder / "work-20260101T000000Z-manual.sqlite3", "--db", db)
    assert_refused(code, err, "备份文件夹")


def test_a_backup_does_not_overwrite_an_existing_file_without_force(capsys, tmp_path, db):
    report = tmp_path / "报告.docx"
    report.write_bytes(b"important")
    code, _out, err = run(capsys, "backup", report, "--db", db)
    assert_refused(code, err, "报告.docx", "--force")
    assert report.read_bytes() == b"important"
    code, _out, err = run(capsys, "backup", report, "--db", db, "--force")
    assert code == 0, err


def test_a_backup_to_a_folder_is_refused(capsys, tmp_path, db):
    code, _out, err = run(capsys, "backup", tmp_path, "--db", db)
    assert_refused(code, err, "文件夹")


def test_the_audit_csv_never_overwrites_the_database(capsys, tmp_path, db):
    before = database_dump(db)
    code, _out, err = run(capsys, "audit", "--csv", db, "--db", db)
    assert_refused(code, err, "数据库")
    assert database_dump(db) == before


def test_a_package_export_never_overwrites_the_database_or_its_exchange_folder(capsys, tmp_path, db):
    before = database_dump(db)
    code, _out, err = run(capsys, "package", "export", db, "--db", db, "--inspector", "测试员")
    assert_refused(code, err, "数据库")
    assert database_dump(db) == before
    sync = tmp_path / "work.sqlite3.sync"
    code, _out, err = run(capsys, "package", "export", sync / "x.wbpkg", "--db", db, "--inspector", "测试员")
    assert_refused(code, err, "交换记录")


def test_a_backup_with_other_page_size_restores_into_a_wal_database(capsys, tmp_path, db):
    """Before: "无法从 … 恢复（attempt to write a readonly database）" — SQLite's backup API cannot
    write a WAL database from a file of another page size (here the committed v1 fixture, 512)."""
    fixture = Path(__file__).resolve().parents[1] / "data" / "schemas" / "v1.sqlite3"
    old = tmp_path / "旧版本备份.sqlite3"
    old.write_bytes(fixture.read_bytes())
    code, _out, err = run(capsys, "restore", old, "--db", db)
    assert code == 0, err
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA page_size").fetchone()[0] != 512
    finally:
        conn.close()
    code, out, err = run(capsys, "campaign", "list", "--db", db)
    assert code == 0 and "甲任务" not in out and out.strip(), err


def test_a_package_export_does_not_overwrite_an_existing_file_without_force(capsys, tmp_path, db):
    other = tmp_path / "报告.wbpkg"
    other.write_bytes(b"someone else's file")
    code, _out, err = run(capsys, "package", "export", other, "--db", db, "--inspector", "测试员")
    assert_refused(code, err, "报告.wbpkg", "--force")
    assert other.read_bytes() == b"someone else's file"
    code, _out, err = run(capsys, "package", "export", other, "--db", db, "--inspector", "测试员", "--force")
    assert code == 0, err


def test_restore_never_moves_a_folder_or_a_workbook_given_as_the_database(capsys, tmp_path, db):
    """Before: ``restore BACKUP --db 资料`` renamed the folder 资料 to 资料.damaged-… and put a
    database in its place; a workbook given by mistake went the same way."""
    folder = tmp_path / "资料"
    folder.mkdir()
    (folder / "a.txt").write_text("重要", encoding="utf-8")
    code, _out, err = run(capsys, "restore", db, "--db", folder)
    assert_refused(code, err, "资料", "文件夹", "未恢复")
    assert (folder / "a.txt").read_text(encoding="utf-8") == "重要"
    book = tmp_path / "汇总.xlsx"
    book.write_bytes(b"PK\x03\x04 a workbook")
    code, _out, err = run(capsys, "restore", db, "--db", book)
    assert_refused(code, err, "汇总.xlsx", "不是数据库文件", "未恢复")
    assert book.read_bytes() == b"PK\x03\x04 a workbook"
    assert not list(tmp_path.glob("*.damaged-*"))


def test_restore_over_a_damaged_database_still_moves_it_aside(capsys, tmp_path, db):
    damaged = tmp_path / "坏.sqlite3"
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xff" * 4096          # a page of garbage after an intact header
    damaged.write_bytes(bytes(data))
    code, out, err = run(capsys, "restore", db, "--db", damaged, "--force")
    assert code == 0, err
    assert list(tmp_path.glob("坏.sqlite3.damaged-*"))
