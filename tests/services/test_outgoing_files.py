"""Files going out and the database itself (issue 9): no export over the database, disk full,
damaged and read-only databases, and the small slips (evidence folder, --today, --sites, names)."""

from __future__ import annotations

import errno
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path, capsys):
    db = tmp_path / "工作台.db"
    assert run(capsys, "demo", "--db", db)[0] == 0
    return db


def _rows(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("campaign", "site", "finding", "notice")}
    finally:
        conn.close()


# -- 2. an export never lands on the database, its companions, backups or evidence ------------------

def test_export_onto_the_database_or_its_files_is_refused(capsys, tmp_path, demo_db):
    before = _rows(demo_db)
    (tmp_path / "工作台.db.evidence").mkdir()
    backup = tmp_path / "工作台.db.bak-20261101080000"
    shutil.copy(demo_db, backup)
    for target in (demo_db, Path(f"{demo_db}-wal"), Path(f"{demo_db}-shm"), backup,
                   tmp_path / "工作台.db.evidence", tmp_path / "工作台.db.evidence" / "x.xlsx",
                   tmp_path / "子目录" / ".." / "工作台.db"):
        code, _, err = run(capsys, "export", "summary", target, "--db", demo_db, "--force")
        assert code == 2, target
        assert err.startswith("错误：不能保存到") and len(err.strip().splitlines()) == 1, err
    assert _rows(demo_db) == before
    assert sqlite3.connect(backup).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not (tmp_path / "工作台.db.evidence" / "x.xlsx").exists()


def test_existing_file_is_kept_without_force(capsys, tmp_path, demo_db):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"mine")
    code, _, err = run(capsys, "export", "summary", out, "--db", demo_db)
    assert code == 2 and "已存在" in err and "--force" in err
    assert out.read_bytes() == b"mine"
    code, _, _ = run(capsys, "export", "summary", out, "--db", demo_db, "--force")
    assert code == 0 and out.read_bytes().startswith(b"PK")
    pdf = tmp_path / "回证.pdf"
    pdf.write_bytes(b"mine")
    number = run(capsys, "findings", "--db", demo_db, "--json")[1]
    import json

    doc = next(r["notice_number"] for r in json.loads(number) if r["notice_number"])
    assert run(capsys, "receipt", pdf, "--db", demo_db, "--notice", doc)[0] == 2
    assert pdf.read_bytes() == b"mine"


def test_check_output_is_a_service_the_window_can_call(tmp_path, demo_db):
    from workbench.app import open_context
    from workbench.errors import ValidationError
    from workbench.services.output_paths import check_output

    ctx = open_context(demo_db, today=None)
    try:
        with pytest.raises(ValidationError, match="正在使用的数据库"):
            check_output(ctx, demo_db, force=True)
        existing = tmp_path / "a.xlsx"
        existing.write_bytes(b"x")
        with pytest.raises(ValidationError, match="已存在"):
            check_output(ctx, existing)
        assert check_output(ctx, existing, force=True) == existing
    finally:
        ctx.conn.close()


# -- 3. disk full ---------------------------------------------------------------------------------

def test_full_disk_during_import_is_named_and_changes_nothing(tmp_path, demo_db):
    from workbench.app import open_context
    from workbench.services import site_import
    from workbench.services.demo import demo_rows, write_demo_list
    from workbench.storage.connection import describe_error

    big = write_demo_list(tmp_path / "大名单.xlsx", demo_rows(290, seed=9))
    before = _rows(demo_db)
    ctx = open_context(demo_db, inspector="测试员")
    try:
        pages = ctx.conn.execute("PRAGMA page_count").fetchone()[0]
        ctx.conn.execute(f"PRAGMA max_page_count={pages + 3}")   # SQLITE_FULL after a few pages
        with pytest.raises(sqlite3.OperationalError) as caught:
            site_import.import_into_campaign(ctx, "新任务", big)
        assert describe_error(caught.value).startswith("磁盘已满")
    finally:
        ctx.conn.close()
    assert _rows(demo_db) == before


def test_full_disk_during_export_leaves_no_file_and_no_traceback(tmp_path, demo_db, monkeypatch):
    from openpyxl.writer.excel import ExcelWriter

    from workbench.app import open_context
    from workbench.errors import WorkbenchError
    from workbench.services import campaigns, summary

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ExcelWriter, "write_data", full)
    (tmp_path / "out").mkdir()
    ctx = open_context(demo_db)
    try:
        with pytest.raises(WorkbenchError, match="磁盘已满"):
            summary.export_summary(ctx, campaigns.list_campaigns(ctx)[0].id, tmp_path / "out" / "汇总.xlsx")
    finally:
        ctx.conn.close()
    assert list((tmp_path / "out").iterdir()) == []


def _mount_tiny_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    if shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path):
    where = tmp_path / "小盘"
    if not _mount_tiny_tmpfs(where, "1200k"):   # the demo database (0.9 MB) and a little room
        pytest.skip("mounting a tmpfs is not permitted here")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_real_full_disk_import_and_export(tmp_path, demo_db, tiny_disk):
    from workbench.services.demo import demo_rows, write_demo_list

    big = write_demo_list(tmp_path / "大名单.xlsx", demo_rows(3000, seed=7))
    db = tiny_disk / "工作台.db"
    shutil.copy(demo_db, db)
    before = _rows(db)
    env_cmd = [sys.executable, "-m", "workbench", "--data-dir", str(tmp_path / "data")]
    done = subprocess.run([*env_cmd, "import", str(big), "--db", str(db), "--campaign", "新", "--inspector", "测试员"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "磁盘已满" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert _rows(db) == before
    filler = tiny_disk / "占位"
    free = shutil.disk_usage(tiny_disk).free
    filler.write_bytes(b"\0" * max(free - 4096, 0))
    done = subprocess.run([*env_cmd, "export", "summary", str(tiny_disk / "汇总.xlsx"), "--db", str(demo_db)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "磁盘已满" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert sorted(p.name for p in tiny_disk.iterdir()) == sorted(["工作台.db", "占位"])


# -- 4. a damaged database points to its newest good backup; backups are checked -----------------

def test_damaged_database_names_the_newest_good_backup(capsys, tmp_path, demo_db):
    import os

    good = Path(f"{demo_db}.bak-20261101080000")
    shutil.copy(demo_db, good)
    empty = Path(f"{demo_db}.bak")
    empty.write_bytes(b"")   # a 0-byte backup, newer than the good one: never offered
    os.utime(good, (1_700_000_000, 1_700_000_000))
    with open(demo_db, "r+b") as fh:
        fh.seek(4096 * 3)
        fh.write(b"\xff" * 4096 * 20)
    code, _, err = run(capsys, "findings", "--db", demo_db)
    assert code == 2 and "意外错误" not in err
    assert "已损坏" in err and str(good) in err and f"{empty}（" not in err, err


def test_backup_is_checked_before_it_is_kept(tmp_path, demo_db, monkeypatch):
    from workbench.errors import WorkbenchError
    from workbench.storage import backup

    conn = sqlite3.connect(demo_db)
    try:
        out = tmp_path / "好.bak"
        backup.copy_database(conn, out)
        assert backup.integrity_errors(out) == []
        monkeypatch.setattr(backup, "integrity_errors", lambda path, quick=False: ["page 3 is never used"])
        with pytest.raises(WorkbenchError, match="完整性检查"):
            backup.copy_database(conn, tmp_path / "坏.bak")
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "bak" in p.name) == ["好.bak"]


def test_migration_backup_is_a_good_copy(tmp_path):
    from workbench.storage import migrate
    from workbench.storage.backup import integrity_errors

    db = tmp_path / "旧.db"
    old = tmp_path / "old_migrations"
    old.mkdir()
    for mig in migrate.available()[:4]:
        shutil.copy(mig.path, old / mig.path.name)
    from workbench.storage.connection import connect

    conn = connect(db)
    migrate.migrate(conn, directory=old)
    conn.execute("INSERT INTO campaign (id, name, kind, created_at, updated_at) "
                 "VALUES ('c1', '旧任务', 'icp_review', '2026-01-01', '2026-01-01')")
    migrate.migrate(conn, backup_to=tmp_path / "旧.db.bak-1", directory=migrate.available()[0].path.parent)
    conn.close()
    backups = list(tmp_path.glob("旧.db.bak-*"))
    assert len(backups) == 1 and backups[0].stat().st_size > 0 and integrity_errors(backups[0]) == []


# -- 5. read-only with a -wal file --------------------------------------------------------------

def test_read_only_database_reads_its_wal(tmp_path, monkeypatch):
    from workbench.storage import database

    src = tmp_path / "写" / "w.db"
    src.parent.mkdir()
    writer = database.open_database(src)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO campaign (id, name, kind, created_at, updated_at, device, inspector) "
                   "VALUES ('c1', '只在WAL里', 'icp_review', '2026-01-01', '2026-01-01', '', '')")
    copy = tmp_path / "只读" / "w.db"
    copy.parent.mkdir()
    shutil.copy(src, copy)
    shutil.copy(f"{src}-wal", f"{copy}-wal")   # copied while open: the change is only in the -wal
    writer.close()
    monkeypatch.setattr(database, "_writable", lambda path: False)
    conn = database.open_database(copy)
    try:
        assert [r[0] for r in conn.execute("SELECT name FROM campaign")] == ["只在WAL里"]
    finally:
        conn.close()


# -- 6. small slips ------------------------------------------------------------------------------

def test_evidence_folder_taken_by_a_file_is_explained(tmp_path):
    from workbench.errors import WorkbenchError
    from workbench.storage.evidence_store import EvidenceStore

    root = tmp_path / "工作台.db.evidence"
    root.write_text("not a folder")
    src = tmp_path / "截图.png"
    src.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(WorkbenchError, match="同名文件"):
        EvidenceStore(root).add(src)
    assert root.read_text() == "not a folder"


@pytest.mark.parametrize("day", ["0001-01-02", "9999-12-31"])
def test_today_out_of_range_is_one_line(capsys, tmp_path, day):
    with pytest.raises(SystemExit) as done:
        main(["demo", "--db", str(tmp_path / "d.db"), "--today", day])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "2000-01-01" in err and "意外错误" not in err


def test_demo_makes_more_than_300_sites(tmp_path):
    from workbench.services.demo import demo_rows

    rows = demo_rows(1000)
    domains = [r[8] for r in rows]
    assert len(rows) == 1000 and len(set(domains)) == 1000


def test_four_byte_names_fit_in_255_bytes(tmp_path):
    from workbench.atomic import MAX_NAME_BYTES, fit_name_bytes, reserve_temp
    from workbench.reports import safe_file_name

    name = "𠀀" * 100   # 400 bytes of UTF-8
    stem = safe_file_name(f"鲁网信整改〔2026〕1号-{name}")
    full = fit_name_bytes(stem, " (12).pdf")
    assert len(full.encode()) <= MAX_NAME_BYTES and full.endswith(" (12).pdf")
    (tmp_path / full).write_bytes(b"ok")
    long_out = tmp_path / fit_name_bytes(name, ".xlsx")
    temp = reserve_temp(long_out)
    assert temp.exists() and len(temp.name.encode()) <= MAX_NAME_BYTES
