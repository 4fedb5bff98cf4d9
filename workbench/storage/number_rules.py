"""The rules that keep one 文号 sequence across laptops, checked after every merge (issue 13).

Pure SQL on any connection (sqlite3 or APSW: only ``execute`` and iteration are used), so the
merge (storage/changes.py, APSW) and ``workbench check`` share them. A package that breaks one is
refused as a whole; nothing it holds is kept.

1. Blocks of one prefix and year never overlap.
2. All blocks of one prefix and year come from one lead (``assigned_by_replica``).
3. Every number inside a block was drawn from that block (``block_id``) by its holder; a number
   taken outside the block (or before it existed) inside its range means a forged or late block.
4. A number drawn from a block lies inside it.
"""

from __future__ import annotations

_STATUS = {"issued": "已签发", "void": "已作废", "reserved": "已预留"}


def _label(prefix, year, first, last) -> str:
    return f"{prefix}〔{year}〕{first}–{last}号"


def _who(device, inspector) -> str:
    return f"{inspector}（{device}）" if device and inspector else (inspector or device or "?")


def problems(conn, limit: int = 5) -> list[str]:
    """Chinese sentences, one per broken rule (at most ``limit`` of each kind); [] when all hold."""
    out: list[str] = []
    for row in conn.execute(
            "SELECT a.prefix, a.year, a.first_seq, a.last_seq, a.holder_device, a.holder_inspector,"
            " b.first_seq, b.last_seq, b.holder_device, b.holder_inspector FROM doc_number_block a"
            " JOIN doc_number_block b ON a.prefix = b.prefix AND a.year = b.year AND a.id < b.id"
            " AND a.first_seq <= b.last_seq AND b.first_seq <= a.last_seq LIMIT ?", (limit,)):
        p, y, f1, l1, d1, i1, f2, l2, d2, i2 = row
        out.append(f"文号段 {_label(p, y, f1, l1)}（分给 {_who(d1, i1)}）与 {_label(p, y, f2, l2)}"
                   f"（分给 {_who(d2, i2)}）重叠，同一文号会发给两台电脑")
    for row in conn.execute(
            "SELECT a.prefix, a.year, a.first_seq, a.last_seq, a.device, a.inspector, b.first_seq, b.last_seq,"
            " b.device, b.inspector FROM doc_number_block a JOIN doc_number_block b ON a.prefix = b.prefix"
            " AND a.year = b.year AND a.id < b.id AND a.assigned_by_replica != b.assigned_by_replica LIMIT ?",
            (limit,)):
        p, y, f1, l1, d1, i1, f2, l2, d2, i2 = row
        out.append(f"{p}〔{y}〕的文号段由两台电脑分配：{_label(p, y, f1, l1)} 由 {_who(d1, i1)}，"
                   f"{_label(p, y, f2, l2)} 由 {_who(d2, i2)}；文号段只能由负责人一处分配")
    for row in conn.execute(
            "SELECT n.doc_number, n.status, n.reason, n.device, n.inspector, s.name, b.prefix, b.year, b.first_seq,"
            " b.last_seq, b.holder_device, b.holder_inspector, b.device, b.inspector"
            " FROM doc_number_block b JOIN doc_number n ON n.prefix = b.prefix AND n.year = b.year"
            " AND n.seq BETWEEN b.first_seq AND b.last_seq LEFT JOIN sponsor s ON s.id = n.sponsor_id"
            " WHERE n.block_id IS NOT b.id OR n.replica != b.holder_replica LIMIT ?", (limit,)):
        number, status, reason, nd, ni, org, p, y, f, la, hd, hi, ad, ai = row
        what = _STATUS.get(status, status) + (f"给“{org}”" if status != "void" and org else "") + \
            (f"（{reason}）" if status == "void" and reason else "")
        out.append(f"文号 {number} 已由 {_who(nd, ni)} 使用（{what}），却在 {_who(ad, ai)} 分给 {_who(hd, hi)} 的"
                   f"文号段 {_label(p, y, f, la)} 之内：文号段不能包含别人已用的文号")
    for row in conn.execute(
            "SELECT n.doc_number, b.prefix, b.year, b.first_seq, b.last_seq FROM doc_number n"
            " JOIN doc_number_block b ON b.id = n.block_id"
            " WHERE n.prefix != b.prefix OR n.year != b.year OR n.seq NOT BETWEEN b.first_seq AND b.last_seq LIMIT ?",
            (limit,)):
        number, p, y, f, la = row
        out.append(f"文号 {number} 记为取自文号段 {_label(p, y, f, la)}，却不在此段之内")
    return out
