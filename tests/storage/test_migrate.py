"""Migrations: applied in order, recorded, snapshot kept, newer databases refused, backup taken."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.errors import DatabaseVersionError, WorkbenchError
from workbench.storage import migrate
from workbench.storage.connection import connect, transaction
from workbench.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]


def test_fresh_database_reaches_latest_version_and_matches_snapshot():
    conn = connect(":memory:")
    applied = migrate.migrate(conn)
    assert applied == migrate.latest_version() >= 1
    assert migrate.current_version(conn) == migrate.latest_version()
    snapshot = (ROOT / "db" / "schema.sql").read_text(encoding="utf-8")
    body = snapshot.split("\n", 1)[1]   # first line is the generator's comment
    assert migrate.schema_dump(conn) == body, "db/schema.sql is stale: python -m workbench.storage.migrate > db/schema.sql"
    assert migrate.migrate(conn) == 0


def test_pragmas_on_file_connection(tmp_path):
    conn = open_database(tmp_path / "a.db")
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_newer_database_refused(tmp_path):
    path = tmp_path / "new.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version={migrate.latest_version() + 1}")
    raw.close()
    with pytest.raises(DatabaseVersionError, match="更新版本"):
        open_database(path)


def test_failed_migration_rolls_back_and_backup_is_taken(tmp_path):
    mig_dir = tmp_path / "migrations"
    mig_dir.mkdir()
    (mig_dir / "0001_first.sql").write_text("CREATE TABLE a (x INTEGER);\n", encoding="utf-8")
    db = tmp_path / "x.db"
    conn = connect(db)
    migrate.migrate(conn, directory=mig_dir)
    conn.execute("INSERT INTO a VALUES (1)")
    (mig_dir / "0002_broken.sql").write_text(
        "CREATE TABLE b (y INTEGER);\nINSERT INTO nowhere VALUES (1);\n", encoding="utf-8")
    backup = tmp_path / "x.db.bak"
    with pytest.raises(sqlite3.OperationalError):
        migrate.migrate(conn, backup_to=backup, directory=mig_dir)
    assert migrate.current_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'b'").fetchone()[0] == 0
    assert sqlite3.connect(backup).execute("SELECT x FROM a").fetchall() == [(1,)]


def test_gap_in_numbering_is_reported(tmp_path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;", encoding="utf-8")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="缺少第 2 号"):
        migrate.available(tmp_path)


def test_transaction_rolls_back_nested_savepoint_only(tmp_path):
    conn = open_database(tmp_path / "t.db")
    conn.execute("CREATE TABLE t (x)")
    with transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(ValueError), transaction(conn):
            conn.execute("INSERT INTO t VALUES (2)")
            raise ValueError("inner")
    assert [tuple(r) for r in conn.execute("SELECT x FROM t")] == [(1,)]


def test_write_protected_database_opens_read_only(tmp_path, monkeypatch):
    import os

    path = tmp_path / "u盘.db"
    conn = open_database(path)
    conn.execute("INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES ('c', '甲', 'icp_review', 'x', 'x')")
    conn.close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    ro = open_database(path)
    assert ro.execute("SELECT name FROM campaign").fetchone()[0] == "甲"
    with pytest.raises(sqlite3.OperationalError) as err:
        ro.execute("DELETE FROM campaign")
    from workbench.storage.connection import describe_error

    assert "只读" in describe_error(err.value)
