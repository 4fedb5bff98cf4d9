"""The ledger of document numbers (文号): reserved before rendering, then issued or void.

Table ``doc_number`` (migration 0010). A number is taken as max(seq) + 1 over the ledger, so a
number that was ever reserved — and may have reached a file — is never handed out again.

When the lead has handed out blocks of the sequence (文号段, migration 0014, issue 13), a laptop
draws only from its own blocks, lowest first, each in order without gaps; the lead (who assigned
them) also draws the numbers outside every block. A row's key is its printed number, so the
same number taken on two laptops meets itself in a merge (storage/changes.py).
"""

from __future__ import annotations

import sqlite3

from workbench.domain.number_block import NumberBlock, laptop_label
from workbench.domain.number_entry import ISSUED, RESERVED, VOID, NumberEntry
from workbench.errors import ValidationError
from workbench.storage import number_block_repo
from workbench.storage.records import Author, insert_row, stamp, utc_now


class NumbersExhausted(ValidationError):
    """This laptop has no number left to draw for a prefix and year (its blocks are used up, or it
    holds none while the lead hands out blocks); the message says what to do, in Chinese."""


def _entry(r: sqlite3.Row) -> NumberEntry:
    return NumberEntry(r["prefix"], r["year"], r["seq"], r["doc_number"], r["campaign_id"],
                       r["sponsor_id"], r["kind"], r["status"], r["reason"], r["notice_id"], r["block_id"],
                       r["updated_at"], r["device"], r["inspector"])


def next_seq(conn: sqlite3.Connection, prefix: str, year: int, campaign_id: str | None = None) -> int:
    """The next sequence number this laptop may take for ``prefix`` and ``year``.

    With blocks (文号段) of the sequence: the next number of this laptop's lowest block that has
    one left, else (for the lead, who assigned them) the next number outside every block. Without
    blocks: 1 + the highest ever taken — on the laptop that created ``campaign_id`` (or when its
    creator is unknown); any other laptop of the campaign numbers only from blocks.
    Call inside the transaction that stores the number (BEGIN IMMEDIATE serialises writers).

    Raises:
        NumbersExhausted: this laptop may not number now (its blocks are used up, or it holds none
            while it is not the campaign's lead); the Chinese message says what to do.
    """
    return _draw(conn, prefix, year, 1, campaign_id)[0]


def available(conn: sqlite3.Connection, prefix: str, year: int, campaign_id: str | None = None) -> int | None:
    """How many numbers this laptop can still draw (None: no limit — the lead, or no blocks on the
    laptop that created the campaign)."""
    blocks = number_block_repo.for_sequence(conn, prefix, year)
    me = number_block_repo.replica_id(conn)
    if not blocks:
        origin = campaign_origin(conn, campaign_id) if campaign_id else None
        return 0 if origin and origin[0] != me else None
    if any(b.assigned_by_replica == me for b in blocks):
        return None
    return sum(number_block_repo.usage(conn, b)["free"] for b in blocks if b.holder_replica == me)


def require_available(conn: sqlite3.Connection, prefix: str, year: int, needed: int,
                      campaign_id: str | None = None) -> None:
    """Raise NumbersExhausted (saying how many are needed and left) unless ``needed`` numbers can be
    drawn now."""
    left = available(conn, prefix, year, campaign_id)
    if left is not None and left < needed:
        _draw(conn, prefix, year, needed, campaign_id)


def campaign_origin(conn: sqlite3.Connection, campaign_id: str) -> tuple[str, str, str] | None:
    """(replica, device, inspector) of the laptop that created the campaign, from the audit log
    (which travels in packages); None for a campaign older than the log."""
    row = conn.execute("SELECT replica, device, inspector FROM audit_log WHERE entity = 'campaign'"
                       " AND entity_id = ? AND action = 'create' ORDER BY at LIMIT 1", (campaign_id,)).fetchone()
    return tuple(row) if row else None


def _draw(conn: sqlite3.Connection, prefix: str, year: int, needed: int,
          campaign_id: str | None = None) -> tuple[int, str | None]:
    blocks = number_block_repo.for_sequence(conn, prefix, year)
    me = number_block_repo.replica_id(conn)
    if not blocks:
        origin = campaign_origin(conn, campaign_id) if campaign_id else None
        if origin and origin[0] != me:
            raise NumbersExhausted(_no_blocks_text(prefix, year, laptop_label(origin[1], origin[2], origin[0]), me))
        row = conn.execute("SELECT coalesce(max(seq), 0) FROM doc_number WHERE prefix = ? AND year = ?",
                           (prefix, year)).fetchone()
        return row[0] + 1, None
    mine = [b for b in blocks if b.holder_replica == me]
    left = 0
    first: tuple[int, str] | None = None
    for block in mine:
        use = number_block_repo.usage(conn, block)
        left += use["free"]
        if first is None and use["next"]:
            first = (use["next"], block.id)
    if first is not None and left >= needed:
        return first
    if any(b.assigned_by_replica == me for b in blocks):     # the lead: numbers outside every block
        if first is not None:
            return first
        row = conn.execute("SELECT coalesce(max(seq), 0) FROM doc_number WHERE prefix = ? AND year = ?"
                           " AND block_id IS NULL", (prefix, year)).fetchone()
        seq = row[0] + 1
        for block in blocks:
            if block.contains(seq):
                seq = block.last_seq + 1
        return seq, None
    if not mine:
        raise NumbersExhausted(_no_blocks_text(prefix, year, blocks[0].lead_label, me))
    raise NumbersExhausted(_exhausted_text(conn, blocks[0].lead_label, mine, left, needed, me))


def _todo(lead: str, me: str) -> str:
    return (f"请联系负责人{lead}为本机（编号 {me[:8]}）分配一段文号：负责人在“协作与备份 → 文号段”中分配"
            f"（或运行 workbench numbers assign --to {me[:8]} --count 50 --db 数据库），"
            "然后把工作包发给本机导入，再生成文书。已签发的文书不受影响。")


def _no_blocks_text(prefix: str, year: int, lead: str, me: str) -> str:
    return (f"本机没有分得 {prefix}〔{year}〕 的文号段：检查任务的文号由负责人{lead}统一分段分配，"
            f"本机只能用分给本机的文号段编号（以免两台电脑用同一文号）。{_todo(lead, me)}")


def _exhausted_text(conn, lead: str, mine: list[NumberBlock], left: int, needed: int, me: str) -> str:
    parts = []
    for block in mine:
        use = number_block_repo.usage(conn, block)
        parts.append(f"{block.label}（已签发 {use['issued']} 个，作废 {use['void']} 个，"
                     f"预留 {use['reserved']} 个，剩 {use['free']} 个）")
    need = f"本次需要 {needed} 个文号，只剩 {left} 个。" if needed > 1 else ""
    return f"本机的文号段已用完：{'；'.join(parts)}。{need}{_todo(lead, me)}"


def reserve(conn: sqlite3.Connection, campaign_id: str, sponsor_id: str, kind: str, prefix: str,
            year: int, doc_number_of, author: Author) -> NumberEntry:
    """Take the next number for ``prefix``/``year`` for one organisation, status 'reserved'.

    Args:
        doc_number_of: ``(prefix, year, seq) -> str``, the printed form (reports.format_doc_number).
    """
    seq, block_id = _draw(conn, prefix, year, 1, campaign_id)
    number = doc_number_of(prefix, year, seq)
    insert_row(conn, "doc_number", stamp({
        "id": number, "prefix": prefix, "year": year, "seq": seq, "doc_number": number, "campaign_id": campaign_id,
        "sponsor_id": sponsor_id, "kind": kind, "status": RESERVED, "reason": "", "notice_id": None,
        "block_id": block_id, "replica": number_block_repo.replica_id(conn),
    }, author, new=True))
    return get(conn, number)


def record_issued(conn: sqlite3.Connection, entry_values: dict, notice_id: str, author: Author) -> None:
    """Mark a number issued to ``notice_id``, adding the ledger row when the number was taken
    without a reservation (a document stored in the same transaction that numbered it)."""
    existing = conn.execute("SELECT status FROM doc_number WHERE doc_number = ?",
                            (entry_values["doc_number"],)).fetchone()
    if existing is None:
        block_id = number_block_repo.block_of(conn, entry_values["prefix"], entry_values["year"], entry_values["seq"])
        insert_row(conn, "doc_number", stamp({
            **entry_values, "id": entry_values["doc_number"], "status": ISSUED, "reason": "", "notice_id": notice_id,
            "block_id": block_id, "replica": number_block_repo.replica_id(conn)}, author, new=True))
        return
    if existing[0] != RESERVED:
        raise sqlite3.IntegrityError(f"文号 {entry_values['doc_number']} 已{existing[0]}，不能再次使用")
    conn.execute("UPDATE doc_number SET status = ?, notice_id = ?, updated_at = ?, device = ?, inspector = ?"
                 " WHERE doc_number = ?", (ISSUED, notice_id, utc_now(), author.device, author.inspector,
                                           entry_values["doc_number"]))


def void(conn: sqlite3.Connection, doc_number: str, reason: str, author: Author) -> None:
    """Mark a reserved number void with ``reason`` (it is never used again)."""
    conn.execute("UPDATE doc_number SET status = ?, reason = ?, updated_at = ?, device = ?, inspector = ?"
                 " WHERE doc_number = ? AND status = ?",
                 (VOID, reason, utc_now(), author.device, author.inspector, doc_number, RESERVED))


def release(conn: sqlite3.Connection, doc_number: str) -> bool:
    """Give back a reserved number that never reached a file, when it is still the highest of its
    sequence — of its block, or of the numbers outside every block — so no later number leaves a
    gap behind it. Returns whether it was released."""
    done = conn.execute(
        "DELETE FROM doc_number WHERE doc_number = ? AND status = ? AND NOT EXISTS (SELECT 1 FROM doc_number d2"
        " WHERE d2.prefix = doc_number.prefix AND d2.year = doc_number.year AND d2.seq > doc_number.seq"
        " AND d2.block_id IS doc_number.block_id)",
        (doc_number, RESERVED))
    return done.rowcount > 0


def get(conn: sqlite3.Connection, doc_number: str) -> NumberEntry:
    """The ledger row of a number (KeyError when the number was never taken)."""
    r = conn.execute("SELECT * FROM doc_number WHERE doc_number = ?", (doc_number,)).fetchone()
    if r is None:
        raise KeyError(doc_number)
    return _entry(r)


def reserved(conn: sqlite3.Connection, campaign_id: str, kind: str, sponsor_id: str | None = None) -> list[NumberEntry]:
    """Numbers this laptop reserved in a campaign and still 'reserved' (left by an interrupted run
    or one in progress), oldest first; only one organisation's when ``sponsor_id`` is given.
    Another laptop's reservations (arrived in a work package) are never taken up or voided here."""
    sql = "SELECT * FROM doc_number WHERE status = ? AND kind = ? AND campaign_id = ? AND replica IN (?, '')"
    params: list = [RESERVED, kind, campaign_id, number_block_repo.replica_id(conn)]
    if sponsor_id is not None:
        sql += " AND sponsor_id = ?"
        params.append(sponsor_id)
    return [_entry(r) for r in conn.execute(sql + " ORDER BY year, seq", params)]


def in_campaign(conn: sqlite3.Connection, campaign_id: str) -> list[NumberEntry]:
    """Every number taken in a campaign, in number order."""
    return [_entry(r) for r in conn.execute(
        "SELECT * FROM doc_number WHERE campaign_id = ? ORDER BY prefix, year, seq", (campaign_id,))]
