"""Writes the audit triggers of the audited tables as SQL, for freezing into a migration.

Run ``python -m workbench.storage.audit_sql`` after a migration that changes an audited table's
columns and put its output (for that table) into the same migration: triggers name every column,
so a new column would otherwise be missing from the log (tests/storage/test_audit.py checks).
"""

from __future__ import annotations

import sqlite3

from workbench.storage.audit import AUDITED_TABLES

#: Actions other than create / change / remove for some tables.
_INSERT_ACTION = {"import_run": "import", "notice": "issue", "removal": "remove"}
#: The action of an update, where it is not change / status.
_UPDATE_ACTION = {"removal": "CASE WHEN OLD.restored_at IS NULL AND NEW.restored_at IS NOT NULL"
                             " THEN 'restore' ELSE 'change' END"}


def _key(conn: sqlite3.Connection, table: str, row: str) -> str:
    pk = [r[1] for r in sorted(conn.execute(f"PRAGMA table_info({table})"), key=lambda r: r[5]) if r[5]]
    return " || '/' || ".join(f"{row}.{c}" for c in pk)


def triggers_for(conn: sqlite3.Connection, table: str) -> str:
    """The DROP/CREATE TRIGGER statements logging every insert, update and delete of ``table``."""
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    obj = {side: "json_object(" + ", ".join(f"'{c}', {side}.{c}" for c in cols) + ")" for side in ("NEW", "OLD")}
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in cols if c not in ("updated_at",))
    update_action = _UPDATE_ACTION.get(table) or (
        "CASE WHEN OLD.status IS NOT NEW.status THEN 'status' ELSE 'change' END" if "status" in cols else "'change'")
    out = []
    for op in ("insert", "update", "delete"):
        out.append(f"DROP TRIGGER IF EXISTS audit_{table}_{op};")
    out.append(
        f"CREATE TRIGGER audit_{table}_insert AFTER INSERT ON {table} WHEN wb_audit_on() BEGIN\n"
        f"    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES\n"
        f"    ('{_INSERT_ACTION.get(table, 'create')}', '{table}', {_key(conn, table, 'NEW')}, NULL, {obj['NEW']});\n"
        f"END;")
    out.append(
        f"CREATE TRIGGER audit_{table}_update AFTER UPDATE ON {table} WHEN wb_audit_on() AND ({changed}) BEGIN\n"
        f"    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES\n"
        f"    ({update_action}, '{table}', {_key(conn, table, 'NEW')}, {obj['OLD']}, {obj['NEW']});\n"
        f"END;")
    out.append(
        f"CREATE TRIGGER audit_{table}_delete AFTER DELETE ON {table} WHEN wb_audit_on() BEGIN\n"
        f"    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES\n"
        f"    ('remove', '{table}', {_key(conn, table, 'OLD')}, {obj['OLD']}, NULL);\n"
        f"END;")
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # python -m workbench.storage.audit_sql
    from workbench.storage.migrate import migrate

    _conn = sqlite3.connect(":memory:")
    migrate(_conn)
    for _t in AUDITED_TABLES:
        print(f"-- {_t}")
        print(triggers_for(_conn, _t))


def tombstone_triggers_for(conn: sqlite3.Connection, table: str) -> str:
    """Triggers keeping ``sync_tombstone`` for ``table``: a removal leaves a tombstone (which
    travels in work packages, so the row is removed everywhere and never comes back from a
    partner that still has it); inserting the row again lifts it."""
    return (
        f"CREATE TRIGGER tomb_{table}_delete AFTER DELETE ON {table} WHEN wb_audit_on() BEGIN\n"
        f"    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)\n"
        f"    VALUES ('{table}', {_key(conn, table, 'OLD')}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(),"
        f" wb_inspector(), (SELECT id FROM sync_replica));\n"
        f"END;\n"
        f"CREATE TRIGGER tomb_{table}_insert AFTER INSERT ON {table} WHEN wb_audit_on() BEGIN\n"
        f"    DELETE FROM sync_tombstone WHERE entity = '{table}' AND entity_id = {_key(conn, table, 'NEW')};\n"
        f"END;\n"
    )


def print_tombstone_triggers() -> None:
    """Print the tombstone triggers of every synced table (for a migration)."""
    from workbench.storage.migrate import migrate
    from workbench.storage.sync_tables import GLOBAL_TABLES, SYNCED_TABLES

    conn = sqlite3.connect(":memory:")
    migrate(conn)
    for table in SYNCED_TABLES:
        if table not in GLOBAL_TABLES or table == "checklist_template":
            print(tombstone_triggers_for(conn, table))
