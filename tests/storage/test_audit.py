"""The audit log: written by triggers, append-only, hash-chained, and checked."""

from __future__ import annotations

import re
import sqlite3

import pytest

from workbench.storage import audit
from workbench.storage.audit_sql import triggers_for
from workbench.storage.records import utc_now


def _campaign(conn, cid="c1", name="甲"):
    now = utc_now()
    conn.execute("INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES (?, ?, 'icp_review', ?, ?)",
                 (cid, name, now, now))


def test_create_change_and_remove_are_logged_with_before_and_after(conn):
    audit.set_author(conn, "laptop-1", "王五")
    _campaign(conn)
    conn.execute("UPDATE campaign SET authority = '某市网信办' WHERE id = 'c1'")
    conn.execute("UPDATE campaign SET authority = '某市网信办' WHERE id = 'c1'")   # no change: no entry
    conn.execute("DELETE FROM campaign WHERE id = 'c1'")
    rows = audit.entries(conn, entity="campaign")
    assert [e.action for e in rows] == ["remove", "change", "create"]
    assert rows[1].changed_fields() == {"authority": ("", "某市网信办")}
    assert rows[0].before["name"] == "甲" and rows[0].after is None
    assert {(e.device, e.inspector) for e in rows} == {("laptop-1", "王五")}
    assert audit.verify_chain(conn) == (3, [])


def test_log_rows_cannot_be_changed_or_deleted(conn):
    _campaign(conn)
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        conn.execute("UPDATE audit_log SET inspector = '别人'")
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        conn.execute("DELETE FROM audit_log")


def test_edited_row_and_removed_row_break_the_chain(conn):
    for i in range(4):
        _campaign(conn, f"c{i}", f"任务{i}")
    assert audit.verify_chain(conn) == (4, [])
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET after = replace(after, '任务2', '任务X') WHERE seq = 3")
    _n, problems = audit.verify_chain(conn)
    assert [p.seq for p in problems] == [3] and "被人为修改" in problems[0].message
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    _n, problems = audit.verify_chain(conn)
    assert any("缺少第 2–2 条" in p.message for p in problems)


def test_status_change_is_its_own_action(conn):
    from wbtest import make_ctx
    from workbench.services.demo import build_demo

    build_demo(make_ctx(conn), sites=12)
    finding_id = conn.execute("SELECT id FROM finding WHERE status = 'pending' LIMIT 1").fetchone()[0]
    conn.execute("UPDATE finding SET status = 'rectifying' WHERE id = ?", (finding_id,))
    assert audit.entries(conn, entity_id=finding_id)[0].action == "status"
    assert audit.verify_chain(conn)[1] == []


def test_connection_without_the_functions_cannot_write_audited_tables(tmp_path, conn):
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    raw = sqlite3.connect(path)
    with pytest.raises(sqlite3.OperationalError, match="no such function"):
        raw.execute("INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES ('x', 'x', 'icp_review', '', '')")
    raw.close()


def test_every_audited_table_trigger_names_every_column(conn):
    """A migration that adds a column to an audited table must re-create its triggers."""
    for table in audit.AUDITED_TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        for op in ("insert", "update", "delete"):
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (f"audit_{table}_{op}",)).fetchone()
            assert sql, f"no audit trigger for {op} on {table}"
            named = set(re.findall(r"'(\w+)', (?:NEW|OLD)\.\1\b", sql[0]))
            assert named == set(cols), f"audit_{table}_{op}: python -m workbench.storage.audit_sql"
        assert "CREATE TRIGGER" in triggers_for(conn, table)


def test_export_csv_neutralises_formulas(conn, tmp_path):
    _campaign(conn, "c1", "=HYPERLINK(\"x\")")
    out = tmp_path / "log.csv"
    assert audit.export_csv(conn, out) == 1
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" not in text.splitlines()[0] and "新建" in text
