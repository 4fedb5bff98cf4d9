"""The append-only audit log (审计日志): SQL functions its triggers call, the hash chain, queries.

Rows are written by triggers (db/migrations/0005_audit_log.sql) on every audited table and by
:func:`record` for operations without a row of their own (export, merge, backup, restore). Each
row carries ``prev_hash``, the hash of the entry before it in the same replica's chain, and
``hash`` = SHA-256 of its own fields plus ``prev_hash`` (:func:`entry_hash`). Triggers refuse
UPDATE and DELETE of log rows; :func:`verify_chain` finds an edited, inserted or removed entry.

The triggers call SQL functions that only exist on connections set up with :func:`register`
(``storage.connection.connect`` does it): ``wb_audit_hash``, ``wb_device``, ``wb_inspector`` and
``wb_audit_on``. A connection opened without them can read everything but cannot write audited
tables ("no such function") — nothing is changed without a trace.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.audit_entry import AuditEntry

#: Tables whose every insert, update and delete is logged by a trigger (see the migration).
AUDITED_TABLES = (
    "campaign", "import_run", "review", "review_field", "finding", "finding_event", "notice",
    "notice_finding", "inspection", "inspection_round", "inspection_response", "evidence",
    "finding_evidence", "checklist_template", "removal", "doc_number_block", "doc_number",
)
#: The columns of an entry that its hash covers, in order.
HASHED = ("replica", "seq", "at", "device", "inspector", "action", "entity", "entity_id",
          "before", "after", "prev_hash")
#: The Chinese names of actions, for the window and exports.
ACTION_LABELS = {
    "create": "新建", "change": "修改", "status": "状态变更", "remove": "删除", "import": "导入名单",
    "issue": "签发文书", "export": "导出工作包", "merge": "合并工作包", "backup": "备份",
    "restore": "恢复", "decide": "裁决冲突", "unify": "合并为同一记录",
}


def entry_hash(values: Iterable) -> str:
    """SHA-256 (64 hex) of one entry's :data:`HASHED` values, as canonical JSON (UTF-8).

    ``values`` are the 11 values in :data:`HASHED` order (text, integers or None).
    """
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Actor:
    """Who the triggers write as, and whether they write at all, for one connection."""

    def __init__(self, device: str, inspector: str):
        self.device, self.inspector, self.enabled = device, inspector, True


def register(conn, device: str = "", inspector: str = "") -> None:
    """Define the audit SQL functions on ``conn`` (sqlite3 or APSW), writing as device/inspector.

    Call again to change the author (:func:`set_author`). The functions are deterministic for
    SQLite's purposes except ``wb_audit_on``.
    """
    actor = _Actor(device, inspector)
    _ACTORS[id(conn)] = actor
    if isinstance(conn, sqlite3.Connection):
        conn.create_function("wb_audit_hash", len(HASHED), lambda *v: entry_hash(v), deterministic=True)
        conn.create_function("wb_device", 0, lambda: actor.device)
        conn.create_function("wb_inspector", 0, lambda: actor.inspector)
        conn.create_function("wb_audit_on", 0, lambda: 1 if actor.enabled else 0)
    else:  # APSW
        conn.create_scalar_function("wb_audit_hash", lambda *v: entry_hash(v), len(HASHED), deterministic=True)
        conn.create_scalar_function("wb_device", lambda: actor.device, 0)
        conn.create_scalar_function("wb_inspector", lambda: actor.inspector, 0)
        conn.create_scalar_function("wb_audit_on", lambda: 1 if actor.enabled else 0, 0)


_ACTORS: dict[int, _Actor] = {}


def ensure_registered(conn) -> None:
    """Define the audit functions on ``conn`` unless done already (a migration that writes an
    audited table needs them even on a bare sqlite3 connection: SQLite resolves the functions of
    a table's triggers when it prepares any write to that table)."""
    if not _has_functions(conn):
        register(conn)


def _has_functions(conn) -> bool:
    """True when the audit functions answer on this connection (ids of closed connections are
    reused, so the bookkeeping alone cannot tell)."""
    try:
        conn.execute("SELECT wb_audit_on()").fetchone()
    except Exception:   # sqlite3.OperationalError or apsw.SQLError: "no such function"
        return False
    return id(conn) in _ACTORS


def set_author(conn, device: str, inspector: str) -> None:
    """Make the triggers on ``conn`` record ``device`` and ``inspector`` from now on."""
    actor = _ACTORS.get(id(conn))
    if actor is None or not _has_functions(conn):
        register(conn, device, inspector)
    else:
        actor.device, actor.inspector = device, inspector


def set_enabled(conn, enabled: bool) -> None:
    """Switch the per-row triggers on ``conn`` on or off (off while applying a package, whose
    own log rows arrive with it; the merge is then logged as one entry)."""
    actor = _ACTORS.get(id(conn))
    if actor is None:
        raise ValueError("audit functions are not registered on this connection")
    actor.enabled = enabled


def forget(conn) -> None:
    """Drop the bookkeeping for a connection being closed."""
    _ACTORS.pop(id(conn), None)


def record(conn, action: str, entity: str = "", entity_id: str = "", before=None, after=None) -> None:
    """Append one entry for an operation that has no row change of its own (export, merge…).

    ``before``/``after`` are JSON-able values (stored as JSON text) or None.
    """
    conn.execute(
        "INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES (?, ?, ?, ?, ?)",
        (action, entity, entity_id, _json(before), _json(after)),
    )


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class ChainProblem:
    """One break in a replica's chain: ``replica`` id, ``seq`` of the entry, Chinese ``message``."""

    replica: str
    seq: int
    message: str


def verify_chain(conn) -> tuple[int, list[ChainProblem]]:
    """Check every replica's chain: numbers 1..n without gaps, each ``prev_hash`` the hash of the
    entry before, each ``hash`` recomputed from the entry's values.

    Returns:
        (entries checked, problems found; empty when the whole log verifies).
    """
    problems: list[ChainProblem] = []
    cols = ", ".join(HASHED)
    count, replica, expected_seq, prev = 0, None, 1, None
    for row in conn.execute(f"SELECT {cols}, hash, entity, entity_id FROM audit_log ORDER BY replica, seq"):
        count += 1
        values, stored = tuple(row[: len(HASHED)]), row[len(HASHED)]
        if values[0] != replica:
            replica, expected_seq, prev = values[0], 1, None
        seq = values[1]
        where = f"审计日志（副本 {str(replica)[:8]}）第 {seq} 条"
        if seq != expected_seq:
            problems.append(ChainProblem(replica, seq, f"{where}：编号不连续，缺少第 {expected_seq}–{seq - 1} 条（被删除？）"))
        if values[-1] != prev:
            problems.append(ChainProblem(replica, seq, f"{where}：与上一条的哈希链接不符（前一条被修改或删除）"))
        if entry_hash(values) != stored:
            problems.append(ChainProblem(
                replica, seq, f"{where}（{row[-2]} {row[-1]}）：内容与其哈希不符（被人为修改）"))
        expected_seq, prev = seq + 1, stored
    return count, problems




def entries(conn, *, entity: str | None = None, entity_id: str | None = None, mentions: str | None = None,
            action: str | None = None, text: str | None = None, limit: int = 1000) -> list[AuditEntry]:
    """Log entries, newest first, filtered by any of: table name ``entity``, row ``entity_id``,
    a row id ``mentions`` anywhere in the entry (e.g. a site id finds its review and findings),
    ``action`` and a free ``text`` (inspector, device or any value). At most ``limit`` rows."""
    where, params = [], []
    if entity:
        where.append("entity = ?")
        params.append(entity)
    if entity_id:
        where.append("entity_id = ?")
        params.append(entity_id)
    if mentions:
        where.append("(entity_id = ? OR instr(coalesce(before, ''), ?) OR instr(coalesce(after, ''), ?))")
        params += [mentions, mentions, mentions]
    if action:
        where.append("action = ?")
        params.append(action)
    if text:
        where.append("(instr(inspector, ?) OR instr(device, ?) OR instr(coalesce(before, ''), ?)"
                     " OR instr(coalesce(after, ''), ?) OR instr(entity_id, ?))")
        params += [text] * 5
    sql = "SELECT replica, seq, at, device, inspector, action, entity, entity_id, before, after FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at DESC, seq DESC LIMIT ?"
    params.append(limit)
    return [AuditEntry(*r[:8], _load(r[8]), _load(r[9])) for r in conn.execute(sql, params)]


def _load(text):
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def export_csv(conn, out: Path, **filters) -> int:
    """Write the (filtered, see :func:`entries`) log to ``out`` as UTF-8 CSV with a BOM (opens in
    Excel), one row per entry with the fields changed; returns the number of entries written.
    Cells starting with = + - @ are prefixed with ' so a spreadsheet never runs them."""
    rows = entries(conn, limit=10_000_000, **filters)
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["时间(UTC)", "设备", "检查人员", "操作", "对象", "记录ID", "变更", "副本", "序号"])
        for e in rows:
            changes = "; ".join(f"{k}: {b!r} → {a!r}" for k, (b, a) in e.changed_fields().items())
            w.writerow([_safe(x) for x in (e.at, e.device, e.inspector, ACTION_LABELS.get(e.action, e.action),
                                            e.entity, e.entity_id, changes, e.replica, e.seq)])
    tmp.replace(out)
    return len(rows)


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
