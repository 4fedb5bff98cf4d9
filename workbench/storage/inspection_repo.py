"""Storing inspections (检查), their rounds, the responses per item and the evidence records."""

from __future__ import annotations

import json
import sqlite3

from workbench.domain.inspection import (  # noqa: F401 - re-exported for the repository's callers
    COMPLETED,
    IN_PROGRESS,
    STATUS_LABELS,
    Answer,
    Evidence,
    Inspection,
    InspectionRound,
)
from workbench.errors import NotFoundError
from workbench.storage.records import Author, insert_row, iso, parse_iso, stamp, utc_now
from workbench.storage.removal_repo import not_removed


def _inspection(r: sqlite3.Row) -> Inspection:
    return Inspection(r["id"], r["campaign_id"], r["sponsor_id"], r["site_id"], r["target"],
                      r["template_id"], r["mlps_level"], parse_iso(r["inspected_on"]), r["inspectors"],
                      r["status"], r["current_round"], r["completed_at"], r["place"])


def insert_inspection(conn: sqlite3.Connection, inspection: Inspection, author: Author) -> Inspection:
    """Store a new inspection (its ``id`` is kept). Raises sqlite3.IntegrityError on bad keys."""
    values = stamp({
        "id": inspection.id, "campaign_id": inspection.campaign_id, "sponsor_id": inspection.sponsor_id,
        "site_id": inspection.site_id, "target": inspection.target, "template_id": inspection.template_id,
        "mlps_level": inspection.mlps_level, "inspected_on": iso(inspection.inspected_on),
        "inspectors": inspection.inspectors, "status": inspection.status,
        "current_round": inspection.current_round, "completed_at": inspection.completed_at,
        "place": inspection.place,
    }, author, new=True)
    insert_row(conn, "inspection", values)
    return inspection


def get_inspection(conn: sqlite3.Connection, inspection_id: str) -> Inspection:
    """The inspection ``inspection_id``. Raises NotFoundError if there is none."""
    row = conn.execute("SELECT * FROM inspection WHERE id = ?", (inspection_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"找不到该检查记录（{inspection_id}）")
    return _inspection(row)


def list_inspections(conn: sqlite3.Connection, campaign_id: str,
                     sponsor_id: str | None = None) -> list[Inspection]:
    """Inspections of a campaign (optionally of one sponsor) not in the 回收站, newest inspection day first."""
    sql, args = f"SELECT * FROM inspection WHERE campaign_id = ? AND {not_removed('inspection')}", [campaign_id]
    if sponsor_id is not None:
        sql, args = sql + " AND sponsor_id = ?", [*args, sponsor_id]
    rows = conn.execute(sql + " ORDER BY inspected_on DESC, created_at DESC", args).fetchall()
    return [_inspection(r) for r in rows]


def set_state(conn: sqlite3.Connection, inspection_id: str, status: str, current_round: int,
              completed_at: str | None, author: Author) -> None:
    """Update an inspection's status, current round and completion time."""
    conn.execute("UPDATE inspection SET status = ?, current_round = ?, completed_at = ?, updated_at = ?, "
                 "device = ?, inspector = ? WHERE id = ?",
                 (status, current_round, completed_at, utc_now(), author.device, author.inspector,
                  inspection_id))


def insert_round(conn: sqlite3.Connection, rnd: InspectionRound, author: Author) -> InspectionRound:
    """Store a round of an inspection."""
    insert_row(conn, "inspection_round", stamp({
        "inspection_id": rnd.inspection_id, "round": rnd.round, "inspected_on": iso(rnd.inspected_on),
        "inspectors": rnd.inspectors, "item_codes": json.dumps(list(rnd.item_codes), ensure_ascii=False),
        "completed_at": rnd.completed_at}, author, new=True))
    return rnd


def rounds(conn: sqlite3.Connection, inspection_id: str) -> list[InspectionRound]:
    """Every round of an inspection, in order."""
    rows = conn.execute("SELECT * FROM inspection_round WHERE inspection_id = ? ORDER BY round",
                        (inspection_id,)).fetchall()
    return [InspectionRound(r["inspection_id"], r["round"], parse_iso(r["inspected_on"]), r["inspectors"],
                            tuple(json.loads(r["item_codes"])), r["completed_at"]) for r in rows]


def complete_round(conn: sqlite3.Connection, inspection_id: str, round_no: int, completed_at: str,
                   author: Author) -> None:
    """Record when a round was completed."""
    conn.execute("UPDATE inspection_round SET completed_at = ?, updated_at = ?, device = ?, inspector = ? "
                 "WHERE inspection_id = ? AND round = ?",
                 (completed_at, utc_now(), author.device, author.inspector, inspection_id, round_no))


def _answer(r: sqlite3.Row) -> Answer:
    return Answer(r["id"], r["item_code"], r["round"], r["response"], r["notes"], r["answered_at"],
                  r["carried_from"] is not None, r["carried_from"] or r["id"])


def save_answer(conn: sqlite3.Connection, inspection_id: str, round_no: int, item_code: str,
                response: str, notes: str, author: Author, answered_at: str | None = None,
                carried_from: str | None = None) -> Answer:
    """Insert or replace the response to ``item_code`` in round ``round_no``.

    Args:
        answered_at: UTC ISO 8601 time of the answer (default now; a carried answer keeps its own).
        carried_from: the answer this one copies from an earlier round, if carried forward.
    """
    answered_at = answered_at or utc_now()
    row = conn.execute("SELECT id FROM inspection_response WHERE inspection_id = ? AND round = ? "
                       "AND item_code = ?", (inspection_id, round_no, item_code)).fetchone()
    if row is None:
        insert_row(conn, "inspection_response", stamp({
            "inspection_id": inspection_id, "round": round_no, "item_code": item_code,
            "response": response, "notes": notes, "answered_at": answered_at,
            "carried_from": carried_from}, author, new=True))
    else:
        conn.execute("UPDATE inspection_response SET response = ?, notes = ?, answered_at = ?, "
                     "carried_from = ?, updated_at = ?, device = ?, inspector = ? WHERE id = ?",
                     (response, notes, answered_at, carried_from, utc_now(), author.device,
                      author.inspector, row["id"]))
    found = conn.execute("SELECT * FROM inspection_response WHERE inspection_id = ? AND round = ? "
                         "AND item_code = ?", (inspection_id, round_no, item_code)).fetchone()
    return _answer(found)


def answers(conn: sqlite3.Connection, inspection_id: str, round_no: int) -> dict[str, Answer]:
    """The answers recorded (or carried) in round ``round_no``, by item code."""
    rows = conn.execute("SELECT * FROM inspection_response WHERE inspection_id = ? AND round = ?",
                        (inspection_id, round_no)).fetchall()
    return {r["item_code"]: _answer(r) for r in rows}


def _evidence(r: sqlite3.Row) -> Evidence:
    return Evidence(r["id"], r["inspection_id"], r["item_code"], r["round"], r["sha256"], r["size"],
                    r["original_name"], r["stored_path"], r["mime"], r["description"], r["created_at"])


def insert_evidence(conn: sqlite3.Connection, values: dict, author: Author) -> Evidence:
    """Store an evidence record; ``values`` holds the columns of ``evidence`` except bookkeeping."""
    row = stamp(values, author, new=True)
    insert_row(conn, "evidence", row)
    return _evidence(conn.execute("SELECT * FROM evidence WHERE id = ?", (row["id"],)).fetchone())


def list_evidence(conn: sqlite3.Connection, inspection_id: str | None = None,
                  item_code: str | None = None) -> list[Evidence]:
    """Evidence records of one inspection (or all), optionally of one item, not in the 回收站, oldest first."""
    sql, args = f"SELECT * FROM evidence WHERE {not_removed('evidence')}", []
    if inspection_id is not None:
        sql, args = sql + " AND inspection_id = ?", [*args, inspection_id]
    if item_code is not None:
        sql, args = sql + " AND item_code = ?", [*args, item_code]
    return [_evidence(r) for r in conn.execute(sql + " ORDER BY created_at, rowid", args).fetchall()]
