"""Handing out blocks of document numbers (文号段) to the laptops of a campaign (issue 13).

The lead assigns each laptop a block — e.g. 鲁网信整改〔2026〕101–150号 to 甲's laptop — which
travels to it in the next work package. Notice issuing on that laptop then draws only from its
blocks, in order and without gaps (storage/doc_number_repo.py), and says in Chinese what to do
when they are used up. The lead's laptop draws from its own block or the numbers outside every
block. Every block and every number taken (issued, or void with who, when and why) is in the
synced ledger, so a merge refuses one number on two documents and a block that overlaps another
or covers numbers already used (storage/number_rules.py). See docs/sync.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.number_block import NumberBlock, laptop_label
from workbench.errors import NotFoundError, ValidationError
from workbench.services.context import Context
from workbench.storage import campaign_repo, number_block_repo, number_rules
from workbench.storage.connection import transaction
from workbench.storage.records import new_id

MAX_BLOCK = 10_000     # numbers in one block: a typo guard (a campaign issues hundreds)
SELF = ("本机", "self")


@dataclass(frozen=True)
class Holder:
    """A laptop that can hold a block: this one, or a partner a package came from."""

    replica: str
    device: str
    inspector: str
    is_self: bool

    @property
    def label(self) -> str:
        """``甲（laptop-a）``; ``甲（laptop-a，本机）`` for this laptop."""
        return laptop_label(self.device, self.inspector, self.replica, this_one=self.is_self)


@dataclass(frozen=True)
class BlockUsage:
    """A block with how its numbers are used: ``issued``, ``void``, ``reserved``, ``free``,
    ``next`` (the next number its holder draws, 0 = used up) and whether this laptop holds it."""

    block: NumberBlock
    issued: int
    void: int
    reserved: int
    free: int
    next: int
    mine: bool


def holders(ctx: Context) -> list[Holder]:
    """This laptop first, then every partner a work package was imported from."""
    me = number_block_repo.replica_id(ctx.conn)
    out = [Holder(me, ctx.author.device, ctx.author.inspector, True)]
    for replica, device, inspector in ctx.conn.execute(
            "SELECT replica, device, inspector FROM sync_partner ORDER BY device, inspector"):
        if replica != me:
            out.append(Holder(replica, device, inspector, False))
    return out


def find_holder(ctx: Context, text: str) -> Holder:
    """The laptop ``text`` names: 本机 / self, a replica id (or its first 8+ characters), a device
    name or an inspector's name of a partner.

    Raises:
        NotFoundError: no such laptop, or several match (the message lists the known ones).
    """
    known = holders(ctx)
    text = text.strip()
    if text in SELF:
        return known[0]
    hits = [h for h in known if h.replica == text or (len(text) >= 8 and h.replica.startswith(text))
            or text in (h.device, h.inspector)]
    if len(hits) == 1:
        return hits[0]
    listing = "、".join(f"{h.label} 编号 {h.replica[:8]}" for h in known)
    if hits:
        raise NotFoundError(f"“{text}”对应多台电脑，请用编号：{listing}")
    raise NotFoundError(f"不认识电脑“{text}”。文号段只能分给本机或导入过其工作包的电脑（先让对方导出一个工作包给本机导入）；"
                        f"已知的电脑：{listing}")


def list_blocks(ctx: Context, campaign_id: str) -> list[BlockUsage]:
    """The campaign's blocks with their use, by prefix, year and first number."""
    me = number_block_repo.replica_id(ctx.conn)
    out = []
    for block in number_block_repo.in_campaign(ctx.conn, campaign_id):
        use = number_block_repo.usage(ctx.conn, block)
        out.append(BlockUsage(block, use["issued"], use["void"], use["reserved"], use["free"], use["next"],
                              block.holder_replica == me))
    return out


def next_free_start(ctx: Context, prefix: str, year: int) -> int:
    """The first number after every number taken and every block of ``prefix``/``year``."""
    row = ctx.conn.execute(
        "SELECT max(coalesce((SELECT max(seq) FROM doc_number WHERE prefix = ?1 AND year = ?2), 0),"
        " coalesce((SELECT max(last_seq) FROM doc_number_block WHERE prefix = ?1 AND year = ?2), 0))",
        (prefix, year)).fetchone()
    return row[0] + 1


def assign(ctx: Context, campaign_id: str, holder: str, *, count: int | None = None, first: int | None = None,
           last: int | None = None, year: int | None = None, prefix: str | None = None,
           note: str = "") -> NumberBlock:
    """Assign the block ``first``..``last`` (or ``count`` numbers from ``first``, by default from
    the first free number) of ``prefix``〔``year``〕 to the laptop named ``holder``.

    ``prefix`` defaults to the campaign's 文号 prefix (a re-inspection opinion prefix such as
    鲁网信复查 can be given), ``year`` to this year. The block reaches the holder in the next work
    package this laptop exports to it.

    Raises:
        ValidationError: no prefix; a bad range; another laptop hands out this sequence; the range
            overlaps a block or holds numbers already used (the message names them and the first
            free number).
        NotFoundError: no such laptop (see :func:`find_holder`).
    """
    conn = ctx.conn
    campaign = campaign_repo.get(conn, campaign_id)
    prefix = (prefix or campaign.doc_prefix or "").strip()
    if not prefix:
        raise ValidationError(f"检查任务“{campaign.name}”未设置文号前缀，无法分配文号段；请先在“文件 → 编辑检查任务”中设置")
    year = year or ctx.today().year
    who = find_holder(ctx, holder)
    me = number_block_repo.replica_id(conn)
    with transaction(conn):
        blocks = number_block_repo.for_sequence(conn, prefix, year)
        leads = {b.assigned_by_replica for b in blocks} - {me}
        if leads:
            lead = next(b for b in blocks if b.assigned_by_replica in leads)
            raise ValidationError(f"{prefix}〔{year}〕的文号段由负责人{lead.lead_label}分配，本机不能再分配"
                                  "（两处分配会让同一文号发给两台电脑）")
        start = next_free_start(ctx, prefix, year)
        first = first if first is not None else start
        if last is None:
            if count is None:
                raise ValidationError("请给出文号段的数量（--count）或末号（--last）")
            last = first + count - 1
        if first < 1 or last < first:
            raise ValidationError(f"文号段 {first}–{last} 无效：起号应不小于 1，末号不小于起号")
        if last - first + 1 > MAX_BLOCK:
            raise ValidationError(f"文号段 {first}–{last} 有 {last - first + 1} 个文号，超过一次最多分配的 {MAX_BLOCK} 个")
        for b in blocks:
            if b.first_seq <= last and first <= b.last_seq:
                raise ValidationError(f"文号段 {prefix}〔{year}〕{first}–{last}号 与已分给 {b.holder_label} 的 {b.label} 重叠；"
                                      f"下一个空闲的起号是 {start}")
        used = conn.execute("SELECT doc_number, status FROM doc_number WHERE prefix = ? AND year = ?"
                            " AND seq BETWEEN ? AND ? ORDER BY seq LIMIT 3", (prefix, year, first, last)).fetchall()
        if used:
            names = "、".join(f"{n}（{ {'issued': '已签发', 'void': '已作废'}.get(st, '已预留') }）" for n, st in used)
            raise ValidationError(f"文号段 {prefix}〔{year}〕{first}–{last}号 含有已使用的文号：{names}；"
                                  f"下一个空闲的起号是 {start}")
        values = {
            "id": new_id(), "campaign_id": campaign_id, "prefix": prefix, "year": year,
            "first_seq": first, "last_seq": last, "holder_replica": who.replica, "holder_device": who.device,
            "holder_inspector": who.inspector, "assigned_by_replica": me, "note": note,
        }
        number_block_repo.insert(conn, values, ctx.author)
        problems = number_rules.problems(conn)
        if problems:   # the checks above should make this impossible: never store a broken ledger
            raise ValidationError("分配文号段会使文号记录矛盾：" + "；".join(problems))
    return next(b for b in number_block_repo.in_campaign(conn, campaign_id) if b.id == values["id"])
