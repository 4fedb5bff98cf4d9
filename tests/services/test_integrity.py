"""workbench check / backup / restore on real files, through the command line."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.cli import main
from workbench.storage import backup


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path, capsys):
    db = tmp_path / "demo.sqlite3"
    assert run(capsys, "demo", "--db", db, "--sites", 20)[0] == 0
    return db


def test_check_passes_on_a_sound_database(capsys, demo_db):
    code, out, _ = run(capsys, "check", "--db", demo_db)
    assert code == 0 and "结论：数据库完好" in out and "审计日志哈希链：通过" in out


def test_check_reports_one_tampered_audit_row(capsys, demo_db):
    raw = sqlite3.connect(demo_db)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET inspector = '别人' WHERE seq = 5")
    raw.commit()
    raw.close()
    code, out, _ = run(capsys, "check", "--db", demo_db)
    assert code == 3
    assert "第 5 条" in out and "被人为修改" in out and "audit_log_no_update 被删除" in out


def test_check_reports_missing_and_modified_evidence_files(capsys, tmp_path):
    from schema_fixtures import ROWS

    from workbench.storage.database import open_database
    from workbench.storage.evidence_store import EvidenceStore

    db = tmp_path / "ev.sqlite3"
    conn = open_database(db)
    for _since, sql in ROWS:
        conn.executescript(sql)
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == 3 and "截图.png" in out and "不在证据文件夹" in out
    proof = tmp_path / "截图.png"
    proof.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    stored = EvidenceStore(tmp_path / "ev.sqlite3.evidence").add(proof)
    conn.execute("UPDATE evidence SET sha256 = ?, stored_path = ? WHERE id = 'ev1'", (stored.sha256, stored.stored_path))
    conn.close()
    assert run(capsys, "check", "--db", db)[0] == 0
    (tmp_path / "ev.sqlite3.evidence" / stored.stored_path).write_bytes(b"changed")
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == 3 and "截图.png" in out and "内容与登记的 SHA-256 不符" in out


def test_check_on_a_file_that_is_not_a_database(capsys, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    code, out, _ = run(capsys, "check", "--db", bad)
    assert code == 3 and "未通过" in out


def test_backup_then_restore_brings_back_the_old_content(capsys, demo_db, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    code, out, _ = run(capsys, "backup", copy, "--db", demo_db)
    assert code == 0 and not backup.integrity_errors(copy)
    raw = sqlite3.connect(demo_db)
    before = raw.execute("SELECT count(*) FROM finding").fetchone()[0]
    raw.close()
    assert run(capsys, "campaign", "create", "新任务", "--db", demo_db, "--inspector", "测试检查员")[0] == 0
    code, out, _ = run(capsys, "restore", copy, "--db", demo_db)
    assert code == 0, out
    raw = sqlite3.connect(demo_db)
    assert raw.execute("SELECT count(*) FROM campaign WHERE name = '新任务'").fetchone()[0] == 0
    assert raw.execute("SELECT count(*) FROM finding").fetchone()[0] == before
    assert raw.execute("SELECT action FROM audit_log ORDER BY at DESC, seq DESC").fetchone()[0] == "restore"
    raw.close()
    kept = backup.list_backups(demo_db)
    assert kept and kept[0].reason == "restore"          # what was there before the restore
    assert run(capsys, "check", "--db", demo_db)[0] == 0


def test_restore_refuses_a_damaged_backup_and_changes_nothing(capsys, demo_db, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    size = demo_db.stat().st_size
    code, _, err = run(capsys, "restore", bad, "--db", demo_db)
    assert code == 2 and "已损坏或不是数据库" in err and str(bad) in err
    assert demo_db.stat().st_size == size


def test_restore_over_a_damaged_database_moves_it_aside(capsys, demo_db, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    run(capsys, "backup", copy, "--db", demo_db)
    raw = sqlite3.connect(demo_db)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    data = bytearray(demo_db.read_bytes())
    data[5000:9000] = b"\x00" * 4000
    demo_db.write_bytes(bytes(data))
    assert run(capsys, "check", "--db", demo_db)[0] == 3
    code, out, _ = run(capsys, "restore", copy, "--db", demo_db)
    assert code == 0 and "damaged" in out
    assert run(capsys, "check", "--db", demo_db)[0] == 0


def test_backup_refuses_to_overwrite_the_database(capsys, demo_db):
    code, _, err = run(capsys, "backup", demo_db, "--db", demo_db)
    assert code == 2 and "不能是数据库本身" in err


def test_rotation_keeps_the_newest(tmp_path):
    from workbench.storage.database import open_database

    db = tmp_path / "r.sqlite3"
    conn = open_database(db)
    for _ in range(5):
        backup.automatic_backup(conn, db, "manual", keep=3)
    assert len(backup.list_backups(db)) == 3
    assert backup.newest_good_backup(db).path == backup.list_backups(db)[0].path


def test_removing_a_campaign_takes_a_backup_first(tmp_path):
    from wbtest import make_ctx
    from workbench.services import removals
    from workbench.services.demo import build_demo
    from workbench.storage.database import open_database

    db = tmp_path / "rm.sqlite3"
    ctx = make_ctx(open_database(db))
    made = build_demo(ctx, sites=6)
    removals.remove(ctx, removals.plan_campaign(ctx, made.campaign_id))
    taken = backup.list_backups(db)
    assert [b.reason for b in taken] == ["removal"] and not backup.integrity_errors(taken[0].path)
    ctx.conn.close()


def test_quick_check_stops_when_cancelled_and_gives_no_verdict(tmp_path):
    """The window closing during the seconds-long check of a province-sized database cancels it:
    it stops at once (Cancelled), neither passing nor failing the file."""
    import sqlite3
    import threading

    from workbench.domain.progress import Cancelled
    from workbench.services import integrity

    db = tmp_path / "big.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (a TEXT, b TEXT)")
    conn.execute("CREATE INDEX t_a ON t (a)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", ((f"键{i}", "值" * 50) for i in range(20000)))
    conn.commit()
    conn.close()
    assert integrity.quick_check(db) == []
    cancel = threading.Event()
    assert integrity.quick_check(db, cancel) == []     # not cancelled: the same verdict
    cancel.set()
    with pytest.raises(Cancelled):
        integrity.quick_check(db, cancel)
