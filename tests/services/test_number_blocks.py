"""One 文号 sequence across laptops (issue 13): the lead hands out blocks of numbers, laptops
issue notices offline from their own blocks only, packages merge without a number on two
documents, and hostile packages (overlapping or forged blocks) are refused, nothing changed."""

from __future__ import annotations

import sqlite3

import pytest

from tests.services.test_packages_three_laptops import Laptop, exchange, in_process  # noqa: F401 - fixture
from workbench.errors import NotFoundError, ValidationError
from workbench.reports import format_doc_number
from workbench.services import findings, notice_issuing, notices, number_blocks, packages
from workbench.services.demo import build_demo
from workbench.services.integrity import check_database
from workbench.storage import doc_number_repo
from workbench.storage.doc_number_repo import NumbersExhausted
from workbench.storage.records import new_id, utc_now

PREFIX = "演示整改"   # the demo campaign's (services.demo.DEMO_DOC_PREFIX)


@pytest.fixture
def office(tmp_path):
    """The lead hands the campaign to laptops A and B; each sends a package back (so the lead
    knows them); the lead has issued 〔year〕1–2号 before any block."""
    lead, a, b = (Laptop(tmp_path, n) for n in "LAB")
    ctx = lead.ctx()
    build_demo(ctx, sites=40)
    ctx.conn.close()
    handout = lead.export(None, "handout")
    for laptop in (a, b):
        laptop.import_(handout)
        exchange(laptop, lead, "hello")
    return lead, a, b


def _campaign(laptop: Laptop) -> str:
    conn = sqlite3.connect(laptop.db)
    try:
        return conn.execute("SELECT id FROM campaign").fetchone()[0]
    finally:
        conn.close()


def _sponsors(laptop: Laptop) -> list[str]:
    conn = sqlite3.connect(laptop.db)
    try:
        return [r[0] for r in conn.execute(
            "SELECT id FROM sponsor WHERE id NOT IN (SELECT sponsor_id FROM finding) ORDER BY name")]
    finally:
        conn.close()


def _with_finding(laptop: Laptop, sponsor_ids: list[str]) -> None:
    ctx = laptop.ctx()
    try:
        for sponsor_id in sponsor_ids:
            findings.raise_finding(ctx, campaign_id=_campaign(laptop), sponsor_id=sponsor_id, category="other",
                                   description=f"{laptop.inspector}发现的问题", severity="medium")
    finally:
        ctx.conn.close()


def _issue(laptop: Laptop, sponsor_id: str) -> str:
    ctx = laptop.ctx()
    try:
        return notices.issue_notice(ctx, sponsor_id).record.doc_number
    finally:
        ctx.conn.close()


def _assign(lead: Laptop, to: str, count: int) -> number_blocks.NumberBlock:
    ctx = lead.ctx()
    try:
        return number_blocks.assign(ctx, _campaign(lead), to, count=count)
    finally:
        ctx.conn.close()


def _rows(laptop: Laptop, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(laptop.db)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def _ledger(laptop: Laptop) -> list[tuple]:
    return _rows(laptop, "SELECT doc_number, seq, status, reason, notice_id, block_id, inspector FROM doc_number"
                         " ORDER BY seq")


def test_blocks_keep_one_sequence_across_three_laptops(office, tmp_path):
    lead, a, b = office
    year = _rows(lead, "SELECT year FROM doc_number")[0][0]
    block_a = _assign(lead, "laptop-a", 3)
    block_b = _assign(lead, "乙", 4)           # by inspector name
    assert (block_a.first_seq, block_a.last_seq, block_b.first_seq, block_b.last_seq) == (3, 5, 6, 9)
    for laptop in (a, b):
        exchange(lead, laptop, "blocks")
    free = _sponsors(lead)
    mine_a, mine_b, mine_lead = free[:4], free[4:9], free[9:10]
    _with_finding(a, mine_a)
    _with_finding(b, mine_b)
    _with_finding(lead, mine_lead)

    # A, offline: three notices from its block, then the block is used up — said clearly.
    issued_a = [_issue(a, s) for s in mine_a[:3]]
    assert issued_a == [format_doc_number(PREFIX, year, n) for n in (3, 4, 5)]
    with pytest.raises(NumbersExhausted) as err:
        _issue(a, mine_a[3])
    text = str(err.value)
    assert "本机的文号段已用完" in text and f"{PREFIX}〔{year}〕3–5号" in text and "已签发 3 个" in text
    assert "负责人组长（lead-pc）" in text and "workbench numbers assign" in text and "导入" in text

    # B, offline: a batch of two is interrupted — the first number stays unused and is voided
    # (recorded with who and why), never reused; then B issues on.
    ctx = b.ctx()
    try:
        entries, new = notice_issuing.claim_numbers(ctx, _campaign(b), mine_b[:2])
        assert [e.seq for e in entries] == [6, 7]
        first, second = entries
        record = notices.issue_notice(ctx, second.sponsor_id).record      # takes up its reserved 7
        assert record.doc_number == second.doc_number
        notice_issuing.give_back(ctx, [first.doc_number])                # 6 is below 7: void, not released
        assert doc_number_repo.get(ctx.conn, first.doc_number).status == "void"
        with pytest.raises(NumbersExhausted) as err:                      # a batch bigger than what is left
            notice_issuing.claim_numbers(ctx, _campaign(b), mine_b)
        assert "本次需要 4 个文号，只剩 2 个" in str(err.value)
        assert doc_number_repo.reserved(ctx.conn, _campaign(b), "rectification") == []   # nothing reserved
    finally:
        ctx.conn.close()
    issued_b = [_issue(b, s) for s in (mine_b[0], mine_b[2])]
    assert issued_b == [format_doc_number(PREFIX, year, n) for n in (8, 9)]   # 6 is never reused

    # The lead draws outside every block: after 1–2 comes 10 (3–9 are the laptops').
    assert _issue(lead, mine_lead[0]) == format_doc_number(PREFIX, year, 10)

    for src, dst in ((a, lead), (b, lead), (lead, a), (lead, b), (a, b), (b, a)):
        exchange(src, dst, f"back-{src.name}{dst.name}")

    ledgers = [_ledger(x) for x in (lead, a, b)]
    assert ledgers[0] == ledgers[1] == ledgers[2]
    assert [row[1] for row in ledgers[0]] == list(range(1, 11))          # gapless, every number accounted for
    void = [row for row in ledgers[0] if row[2] == "void"]
    assert [(r[1], r[3], r[6]) for r in void] == [(6, notice_issuing.VOID_UNUSED, "乙")]
    for laptop in (lead, a, b):
        per_notice = _rows(laptop, "SELECT doc_number, count(*) FROM notice GROUP BY doc_number HAVING count(*) > 1")
        assert per_notice == []
        assert _rows(laptop, "SELECT count(*) FROM notice")[0][0] == 2 + 3 + 3 + 1
        logged = _rows(laptop, "SELECT action, inspector, after FROM audit_log WHERE entity = 'doc_number'"
                               " AND entity_id = ? AND action = 'status'", format_doc_number(PREFIX, year, 6))
        assert [(act, who) for act, who, _ in logged] == [("status", "乙")] and "作废" in logged[0][2]
        for block in (block_a, block_b):
            seqs = [r[0] for r in _rows(laptop, "SELECT seq FROM doc_number WHERE block_id = ? ORDER BY seq", block.id)]
            assert seqs == list(range(block.first_seq, block.first_seq + len(seqs)))
        assert check_database(laptop.db, laptop.evidence).ok


def test_a_laptop_without_a_block_is_told_whom_to_ask(office):
    lead, a, b = office
    sponsors = _sponsors(b)[:2]
    _with_finding(b, sponsors)
    with pytest.raises(NumbersExhausted) as err:        # no block anywhere yet: B may not number
        _issue(b, sponsors[0])
    assert "本机没有分得" in str(err.value) and "演示检查员" in str(err.value)
    _assign(lead, "laptop-a", 2)
    exchange(lead, b, "blocks")
    with pytest.raises(NumbersExhausted) as err:        # blocks exist, none is B's
        _issue(b, sponsors[0])
    assert "本机没有分得" in str(err.value) and "组长（lead-pc）" in str(err.value)
    ctx = b.ctx()
    try:
        with pytest.raises(NumbersExhausted):
            notice_issuing.claim_numbers(ctx, _campaign(b), sponsors)
    finally:
        ctx.conn.close()
    assert _rows(b, "SELECT count(*) FROM doc_number WHERE status != 'issued'") == [(0,)]
    own = _sponsors(lead)[-1]                            # the lead, who created the campaign, numbers on,
    _with_finding(lead, [own])                           # outside every block (1–2 taken, 3–4 are A's)
    year = _rows(lead, "SELECT year FROM doc_number")[0][0]
    assert _issue(lead, own) == format_doc_number(PREFIX, year, 5)


def test_assigning_refuses_overlaps_used_numbers_and_unknown_laptops(office):
    lead, a, _b = office
    ctx = lead.ctx()
    campaign = _campaign(lead)
    try:
        number_blocks.assign(ctx, campaign, "laptop-a", count=10)                    # 3–12
        with pytest.raises(ValidationError, match="重叠.*下一个空闲的起号是 13"):
            number_blocks.assign(ctx, campaign, "laptop-b", first=10, last=20)
        with pytest.raises(ValidationError, match="已使用的文号.*〔\\d+〕1号"):
            number_blocks.assign(ctx, campaign, "laptop-b", first=1, last=2)
        with pytest.raises(NotFoundError, match="不认识电脑“laptop-z”"):
            number_blocks.assign(ctx, campaign, "laptop-z", count=5)
        mine = number_blocks.assign(ctx, campaign, "本机", count=5)
        assert (mine.first_seq, mine.holder_replica) == (13, number_blocks.holders(ctx)[0].replica)
    finally:
        ctx.conn.close()
    exchange(lead, a, "blocks")                  # A knows the lead's blocks and may not hand out more
    ctx = a.ctx()
    try:
        with pytest.raises(ValidationError, match="由负责人组长（lead-pc）分配，本机不能再分配"):
            number_blocks.assign(ctx, campaign, "本机", count=5)
    finally:
        ctx.conn.close()


def _forge_block(laptop: Laptop, first: int, last: int, assigned_by: str | None = None) -> None:
    conn = laptop.ctx().conn
    try:
        me = conn.execute("SELECT id FROM sync_replica").fetchone()[0]
        year = conn.execute("SELECT year FROM doc_number").fetchone()[0]
        now = utc_now()
        conn.execute(
            "INSERT INTO doc_number_block (id, campaign_id, prefix, year, first_seq, last_seq, holder_replica,"
            " holder_device, holder_inspector, assigned_by_replica, created_at, updated_at, device, inspector)"
            " VALUES (?, (SELECT id FROM campaign), ?, ?, ?, ?, ?, 'laptop-b', '乙', ?, ?, ?, 'laptop-b', '乙')",
            (new_id(), PREFIX, year, first, last, me, assigned_by or me, now, now))
    finally:
        conn.close()


@pytest.mark.parametrize("forgery", ["overlap", "issued", "second_lead"])
def test_hostile_blocks_are_refused_and_nothing_changes(office, forgery):
    lead, a, b = office
    _assign(lead, "laptop-a", 5)                  # 3–7
    exchange(lead, b, "blocks")
    exchange(lead, a, "blocks")
    lead_replica = _rows(lead, "SELECT id FROM sync_replica")[0][0]
    if forgery == "overlap":                      # B claims part of A's block, as if from the lead
        _forge_block(b, 6, 9, assigned_by=lead_replica)
        expected = "重叠"
    elif forgery == "issued":                     # B claims numbers the lead already issued
        _forge_block(b, 1, 2, assigned_by=lead_replica)
        expected = "1号 已由 演示检查员（演示数据）（lead-pc） 使用（已签发给"
    else:                                         # B hands out blocks itself
        _forge_block(b, 20, 30)
        expected = "由两台电脑分配"
    for target in (lead, a):
        before = target.state()
        with pytest.raises(packages.PackageRefused) as err:
            exchange(b, target, f"forged-{target.name}")
        assert expected in str(err.value) and "工作包未合并" in str(err.value)
        assert target.state() == before
    report = check_database(b.db, b.evidence)          # the forger's own file fails workbench check
    (numbers,) = [r for r in report.results if r.key == "numbers"]
    assert not report.ok and any(expected in p for p in numbers.problems), numbers.problems


def test_one_number_void_here_and_issued_there_is_refused_naming_both(office):
    lead, a, _b = office
    year = _rows(lead, "SELECT year FROM doc_number")[0][0]
    sponsors = _sponsors(lead)
    _with_finding(lead, sponsors[:1])
    number = _issue(lead, sponsors[0])                  # the lead issues 〔year〕3号 (no blocks)
    assert number == format_doc_number(PREFIX, year, 3)
    conn = a.ctx().conn                                  # A's ledger says 3 was voided (forged)
    try:
        now = utc_now()
        conn.execute(
            "INSERT INTO doc_number (id, prefix, year, seq, doc_number, campaign_id, sponsor_id, kind, status, reason,"
            " created_at, updated_at, device, inspector, replica) VALUES (?, ?, ?, 3, ?, (SELECT id FROM campaign),"
            " ?, 'rectification', 'void', '填错单位', ?, ?, 'laptop-a', '甲', (SELECT id FROM sync_replica))",
            (number, PREFIX, year, number, sponsors[1], now, now))
    finally:
        conn.close()
    before = lead.state()
    with pytest.raises(packages.PackageRefused) as err:
        exchange(a, lead, "clash")
    text = str(err.value)
    assert f"同一文号 {number}" in text and "已作废" in text and "填错单位" in text and "甲" in text
    assert "签发给“" in text and "工作包未合并" in text
    assert lead.state() == before


def test_numbers_commands(office, capsys):
    from workbench.cli import main

    lead, _a, _b = office
    assert main(["numbers", "assign", "--db", str(lead.db), "--to", "laptop-a", "--count", "50",
                 "--inspector", "组长"]) == 0
    out = capsys.readouterr().out
    assert "已把文号段" in out and "3–52号" in out and "甲（laptop-a）" in out and "工作包送达" in out
    assert main(["numbers", "list", "--db", str(lead.db)]) == 0
    out = capsys.readouterr().out
    assert "3–52号" in out and "剩 50" in out and "下一个 3号" in out
    assert main(["numbers", "assign", "--db", str(lead.db), "--to", "nobody", "--count", "5",
                 "--inspector", "组长"]) == 2
    assert "不认识电脑“nobody”" in capsys.readouterr().err
    assert main(["numbers", "assign", "--db", str(lead.db), "--to", "本机", "--count", "5", "--inspector", "组长"]) == 0
    assert "53–57号" in (out := capsys.readouterr().out) and "本机现在即可使用" in out


def test_removals_and_restores_travel_in_packages(office):
    """Item 3 of issue 13: the 回收站 (removal rows, migration 0008) goes with the work."""
    from tests.services.test_packages_three_laptops import _add_evidence
    from workbench.services import inspection_service, removals

    lead, a, b = office
    campaign = _campaign(a)
    sponsor = _rows(a, "SELECT id FROM sponsor ORDER BY id LIMIT 1")[0][0]
    now = utc_now()
    writer = a.ctx()
    writer.conn.execute(
        "INSERT INTO checklist_template (id, code, title, version, content, sha256, created_at, updated_at)"
        " VALUES ('tpl-1', 'demo', '演示模板', '1.0', '{}', ?, ?, ?)", ("0" * 64, now, now))
    writer.conn.close()
    evidence = _add_evidence(a, sponsor, campaign, b"shot" * 20)
    inspection = _rows(a, "SELECT inspection_id FROM evidence WHERE id = ?", evidence)[0][0]
    exchange(a, b, "work")
    ctx = a.ctx()
    try:
        removal = removals.remove(ctx, removals.plan_inspection(ctx, inspection))
    finally:
        ctx.conn.close()
    exchange(a, b, "removed")
    ctx = b.ctx()
    try:
        assert [r.id for r in removals.removed(ctx)] == [removal.id]
        assert inspection not in {i.id for i in inspection_service.list_inspections(ctx, campaign)}
        removals.restore(ctx, removal.id)                 # B takes it out of the 回收站 again
    finally:
        ctx.conn.close()
    exchange(b, a, "restored")
    ctx = a.ctx()
    try:
        assert removals.removed(ctx) == []
        assert inspection in {i.id for i in inspection_service.list_inspections(ctx, campaign)}
        restored = _rows(a, "SELECT restored_by FROM removal WHERE id = ?", removal.id)
        assert restored == [("乙",)]
    finally:
        ctx.conn.close()
    assert a.state() == b.state()
