"""Conflicts between laptops (合并冲突), kept for a person to decide field by field.

A conflict is written by the merge (storage/changes.py) when the same field of the same row was
changed differently on two laptops and the audit history does not show one replacing the other,
or when a row was changed on one laptop and removed on another. Deciding sets the value (or
keeps / removes the row) and logs the decision; both travel in the next work packages, so every
laptop ends with the decided value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from workbench.domain import review as review_rules
from workbench.errors import NotFoundError, ValidationError
from workbench.services.context import Context
from workbench.storage import audit
from workbench.storage.connection import transaction
from workbench.storage.records import utc_now

#: Chinese names of the tables and columns a person may see in a conflict.
ENTITY_LABELS = {
    "finding": "问题", "review": "核查", "review_field": "核查字段", "site": "网站", "sponsor": "主办单位",
    "campaign": "检查任务", "notice": "文书", "inspection": "检查", "inspection_response": "检查项结论",
    "evidence": "证据", "finding_event": "问题记录", "inspection_round": "检查轮次",
    "notice_finding": "文书所含问题", "finding_evidence": "问题的证据", "import_run": "名单导入",
    "checklist_template": "检查表模板", "package": "工作包", "database": "数据库",
    "doc_number": "文号", "doc_number_block": "文号段", "site_domain": "网站域名",
}
#: Chinese names of the fields a person meets in conflicts and the audit log (others show as is).
FIELD_LABELS = {
    "description": "问题描述", "requirement": "整改要求", "legal_basis": "法律依据", "severity": "严重程度",
    "status": "状态", "deadline": "整改期限", "start_on": "期限起算日", "term_days": "期限天数",
    "term_unit": "期限单位", "category": "问题类别", "conclusion": "核查结论", "notes": "备注",
    "reviewed_on": "核查日期", "observed_value": "核查所见", "verdict": "核查判定", "name": "名称",
    "authority": "检查机关", "doc_prefix": "文号前缀", "doc_number": "文号", "issued_on": "签发日期",
    "served_on": "送达日期", "response": "检查结论", "action": "操作", "reason": "原因",
    "from_status": "原状态", "to_status": "新状态", "target": "检查对象", "inspected_on": "检查日期",
    "place": "检查地点",
    "original_name": "文件名", "period_start": "检查期间起", "period_end": "检查期间止",
    "finding_id": "问题", "notice_id": "文书", "evidence_id": "证据", "site_id": "网站", "review_id": "核查",
    "occurred_at": "发生时间", "remark": "备注", "contact_phone": "联系电话", "contact_name": "联系人",
}
#: Chinese names of coded values, per column (a conflict shows the value a person chooses).
VALUE_LABELS = {"conclusion": review_rules.CONCLUSIONS, "verdict": review_rules.VERDICT_LABELS}


def value_label(column: str, value) -> str | None:
    """The Chinese name of a coded ``value`` of ``column`` (e.g. a review's conclusion), or None."""
    names = VALUE_LABELS.get(column)
    return names.get(value) if names and isinstance(value, str) else None


KIND_LABELS = {"field": "同一字段两边改得不同", "removed_here": "本机已删除，对方做了修改",
               "removed_there": "对方已删除，本机做了修改"}


@dataclass(frozen=True)
class Candidate:
    """One side's value: ``value`` (for row conflicts 'removed' or 'changed'), who and when."""

    value: object
    device: str
    inspector: str
    at: str
    replica: str


@dataclass(frozen=True)
class Conflict:
    """A conflict as the window shows it: the row (``entity`` table, ``entity_id``), the field
    (``column``; '' for a whole row), ``kind`` (see KIND_LABELS), the candidates, the current
    value here, and the decision once made."""

    id: str
    entity: str
    entity_id: str
    column: str
    kind: str
    candidates: tuple[Candidate, ...]
    current: object
    status: str
    decided_value: object
    decided_by: str
    decided_at: str | None
    title: str


def _pk(conn, table: str) -> list[str]:
    return [r[1] for r in sorted(conn.execute(f"PRAGMA table_info({table})"), key=lambda r: r[5]) if r[5]]


def _where(conn, table: str, key: str) -> tuple[str, list]:
    pks = _pk(conn, table)
    parts = key.split("/") if len(pks) > 1 else [key]
    return " AND ".join(f"{c} = ?" for c in pks), parts


def _row(conn, table: str, key: str) -> dict | None:
    where, params = _where(conn, table, key)
    row = conn.execute(f"SELECT * FROM {table} WHERE {where}", params).fetchone()
    return dict(row) if row is not None else None


def _title(conn, table: str, row: dict | None) -> str:
    label = ENTITY_LABELS.get(table, table)
    if not row:
        return label
    if table in ("review", "review_field"):     # which site: a review has no name of its own
        review_id = row["id"] if table == "review" else row.get("review_id")
        site = conn.execute("SELECT s.name, s.site_filing_no FROM review r JOIN site s ON s.id = r.site_id"
                            " WHERE r.id = ?", (review_id,)).fetchone()
        if site:
            return f"{label}：{site[0][:30]}（{site[1]}）"
    for col in ("description", "name", "doc_number", "item_code", "field", "original_name"):
        if row.get(col):
            return f"{label}：{str(row[col])[:40]}"
    return label


def list_conflicts(ctx: Context, include_decided: bool = False) -> list[Conflict]:
    """Conflicts, open ones first, newest first."""
    sql = "SELECT * FROM sync_conflict"
    if not include_decided:
        sql += " WHERE status = 'open'"
    out = []
    for r in ctx.conn.execute(sql + " ORDER BY status DESC, created_at DESC"):
        row = _row(ctx.conn, r["entity"], r["entity_id"])
        current = row.get(r["column_name"]) if row and r["column_name"] else ("present" if row else "removed")
        cands = tuple(Candidate(c.get("value"), c.get("device", ""), c.get("inspector", ""), c.get("at", ""),
                                c.get("replica", "")) for c in json.loads(r["candidates"]))
        out.append(Conflict(r["id"], r["entity"], r["entity_id"], r["column_name"], r["kind"], cands, current,
                            r["status"], json.loads(r["decided_value"]) if r["decided_value"] else None,
                            r["decided_by"], r["decided_at"], _title(ctx.conn, r["entity"], row)))
    return out


def open_count(ctx: Context) -> int:
    """How many conflicts still wait for a decision."""
    return ctx.conn.execute("SELECT count(*) FROM sync_conflict WHERE status = 'open'").fetchone()[0]


def decide(ctx: Context, conflict_id: str, value) -> None:
    """Decide a conflict.

    Args:
        value: for a field conflict, the value to keep (usually one candidate's); for a row
            conflict, ``"removed"`` (the row goes) or ``"changed"`` (the row stays, with the
            changes; a row removed here is put back).

    Raises:
        NotFoundError: no such open conflict. ValidationError: a row decision other than the two.
    """
    conn = ctx.conn
    r = conn.execute("SELECT * FROM sync_conflict WHERE id = ? AND status = 'open'", (conflict_id,)).fetchone()
    if r is None:
        raise NotFoundError("找不到这个待裁决的冲突（可能已在另一台电脑上裁决）")
    table, key, column = r["entity"], r["entity_id"], r["column_name"]
    candidates = json.loads(r["candidates"])
    now = utc_now()
    with transaction(conn):
        if column:
            where, params = _where(conn, table, key)
            row = _row(conn, table, key)
            if row is None:
                raise NotFoundError("冲突所涉及的记录已被删除")
            conn.execute(f"UPDATE {table} SET {column} = ?, updated_at = ?, device = ?, inspector = ? WHERE {where}",
                         [value, now, ctx.author.device, ctx.author.inspector, *params])
            for cand in candidates:
                if cand.get("value") != value and cand.get("value") != row.get(column):
                    audit.record(conn, "decide", table, key, {column: cand.get("value")}, {column: value})
        elif value == "removed":
            where, params = _where(conn, table, key)
            conn.execute(f"DELETE FROM {table} WHERE {where}", params)
        elif value == "changed":
            if _row(conn, table, key) is None:
                _restore(ctx, table, key, candidates)
            conn.execute("DELETE FROM sync_tombstone WHERE entity = ? AND entity_id = ?", (table, key))
        else:
            raise ValidationError("整行冲突只能裁决为“删除”或“保留”")
        conn.execute(
            "UPDATE sync_conflict SET status = 'decided', decided_value = ?, decided_by = ?, decided_at = ?,"
            " updated_at = ?, device = ?, inspector = ? WHERE id = ?",
            (json.dumps(value, ensure_ascii=False), ctx.author.inspector, now, now, ctx.author.device,
             ctx.author.inspector, conflict_id))


def _restore(ctx: Context, table: str, key: str, candidates: list[dict]) -> None:
    """Put back a row removed here: as it was removed (from the audit log), with the other
    laptop's changes on top."""
    row = ctx.conn.execute(
        "SELECT before FROM audit_log WHERE entity = ? AND entity_id = ? AND action = 'remove'"
        " ORDER BY at DESC LIMIT 1", (table, key)).fetchone()
    values = json.loads(row[0]) if row else {}
    for cand in candidates:
        if cand.get("value") == "changed" and isinstance(cand.get("values"), dict):
            values.update(cand["values"])
    cols = [r[1] for r in ctx.conn.execute(f"PRAGMA table_info({table})")]
    if not all(c in values for c in cols if c not in ("updated_at",)):
        raise ValidationError("无法恢复这条已删除的记录：审计日志中没有它删除前的内容")
    values = {c: values.get(c) for c in cols}
    values["updated_at"] = utc_now()
    marks = ", ".join("?" for _ in cols)
    ctx.conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", list(values.values()))
