"""Three laptops of one campaign exchange work packages in different orders and converge."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from workbench.services import conflicts, packages
from workbench.services.context import Context
from workbench.services.demo import build_demo
from workbench.services.integrity import check_database
from workbench.storage.database import open_database
from workbench.storage.evidence_store import EvidenceStore
from workbench.storage.records import Author, new_id, utc_now
from workbench.storage.sync_tables import BOOKKEEPING, SYNCED_TABLES

NAMES = {"L": ("lead-pc", "组长"), "A": ("laptop-a", "甲"), "B": ("laptop-b", "乙"), "C": ("laptop-c", "丙")}


class Laptop:
    """One laptop: its database file, evidence folder and author."""

    def __init__(self, root: Path, name: str):
        self.name, (self.device, self.inspector) = name, NAMES[name]
        self.db = root / f"{name}.sqlite3"
        self.evidence = root / f"{name}.sqlite3.evidence"
        self.root = root

    def ctx(self) -> Context:
        return Context(conn=open_database(self.db), author=Author(self.device, self.inspector),
                       evidence_dir=self.evidence)

    def export(self, to: Laptop | None, tag: str) -> Path:
        out = self.root / f"{self.name}-to-{to.name if to else 'all'}-{tag}.wbpkg"
        known = to is not None and self._knows(to)
        packages.run_isolated("export_package", db=str(self.db), out=str(out), campaign=None,
                              to=to.device if known else None, device=self.device,
                              inspector=self.inspector, evidence_dir=str(self.evidence))
        return out

    def _knows(self, other: Laptop) -> bool:
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute("SELECT 1 FROM sync_partner WHERE device = ?", (other.device,)).fetchone() is not None
        finally:
            conn.close()

    def import_(self, pkg: Path) -> packages.ImportResult:
        open_database(self.db).close()     # create / migrate, as the CLI does
        return packages.run_isolated("import_package", db=str(self.db), pkg=str(pkg), device=self.device,
                                     inspector=self.inspector, evidence_dir=str(self.evidence))

    def state(self, masked: set[tuple[str, str]] = frozenset()) -> dict:
        """Every synced table as sorted rows; the log as (replica, seq, hash); rows in ``masked``
        ((table, id)) without the values a person has yet to decide."""
        conn = sqlite3.connect(self.db)
        out = {}
        try:
            for table in SYNCED_TABLES:
                cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                if table == "audit_log":   # each exchange logs itself after the package is made
                    out[table] = sorted(conn.execute(
                        "SELECT replica, seq, hash FROM audit_log WHERE action NOT IN ('export', 'merge')"))
                    continue
                if table == "sync_conflict":
                    out[table] = sorted(conn.execute("SELECT id, status, decided_value FROM sync_conflict"))
                    continue
                rows = []
                for row in conn.execute(f"SELECT * FROM {table}"):
                    values = dict(zip(cols, row, strict=True))
                    if (table, values.get("id")) in masked:
                        values = {c: v for c, v in values.items() if c not in masked_cols(table) | set(BOOKKEEPING)}
                    rows.append(tuple(sorted(values.items())))
                out[table] = sorted(rows)
        finally:
            conn.close()
        return out


def _chain(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {(r, s): h for r, s, h in conn.execute("SELECT replica, seq, hash FROM audit_log")}
    finally:
        conn.close()


Laptop.chain = lambda self: _chain(self.db)


def masked_cols(table: str) -> set[str]:
    return {"description"} if table == "finding" else set()


def exchange(src: Laptop, dst: Laptop, tag: str) -> packages.ImportResult:
    return dst.import_(src.export(dst, tag))


def _add_evidence(laptop: Laptop, inspection_sponsor: str, campaign_id: str, content: bytes) -> str:
    ctx = laptop.ctx()
    try:
        source = laptop.root / f"{laptop.name}-截图.png"
        source.write_bytes(b"\x89PNG\r\n\x1a\n" + content)
        stored = EvidenceStore(laptop.evidence).add(source)
        now = utc_now()
        inspection_id, evidence_id = new_id(), new_id()
        ctx.conn.execute(
            "INSERT INTO inspection (id, campaign_id, sponsor_id, target, template_id, inspected_on, status,"
            " created_at, updated_at, device, inspector) VALUES (?, ?, ?, '', 'tpl-1', '2026-11-20', 'in_progress',"
            " ?, ?, ?, ?)", (inspection_id, campaign_id, inspection_sponsor, now, now, laptop.device, laptop.inspector))
        ctx.conn.execute(
            "INSERT INTO evidence (id, inspection_id, sha256, size, original_name, stored_path, created_at,"
            " updated_at, device, inspector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (evidence_id, inspection_id, stored.sha256, stored.size, source.name, stored.stored_path, now, now,
             laptop.device, laptop.inspector))
        return evidence_id
    finally:
        ctx.conn.close()


def _set(laptop: Laptop, sql: str, *params) -> None:
    ctx = laptop.ctx()
    try:
        ctx.conn.execute(sql, params)
    finally:
        ctx.conn.close()


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    """Run the package work in this process (a child process costs ~0.7 s each). Safe here: the
    tests close every sqlite3 connection to a file before the package work opens it with APSW.
    tests/services/test_packages_cli.py goes through the real child process."""
    monkeypatch.setattr(packages, "run_isolated", lambda name, **kw: getattr(packages, name)(**kw))


@pytest.fixture
def fleet(tmp_path):
    lead, a, b, c = (Laptop(tmp_path, n) for n in "LABC")
    ctx = lead.ctx()
    build_demo(ctx, sites=16)
    now = utc_now()
    ctx.conn.execute(
        "INSERT INTO checklist_template (id, code, title, version, content, sha256, created_at, updated_at)"
        " VALUES ('tpl-1', 'demo', '演示模板', '1.0', '{}', ?, ?, ?)", ("0" * 64, now, now))
    ctx.conn.close()
    handout = lead.export(None, "handout")
    for laptop in (a, b, c):
        first = laptop.import_(handout)
        assert first.added > 0 and first.conflicts == 0
    return lead, a, b, c


def _ids(laptop: Laptop):
    conn = sqlite3.connect(laptop.db)
    try:
        campaign = conn.execute("SELECT id FROM campaign").fetchone()[0]
        free = [r[0] for r in conn.execute(
            "SELECT id FROM finding WHERE id NOT IN (SELECT finding_id FROM notice_finding) ORDER BY id")]
        sponsor = conn.execute("SELECT id FROM sponsor ORDER BY id").fetchone()[0]
        return campaign, free, sponsor
    finally:
        conn.close()


ORDERS = [
    ["AB", "BC", "CA", "BA", "AC", "CB"],
    ["CB", "BA", "AC", "CA", "AB", "BC"],
]


@pytest.mark.parametrize("order", ORDERS, ids=["order1", "order2"])
def test_three_laptops_converge_apart_from_listed_conflicts(fleet, order, capsys):
    _lead, a, b, c = fleet
    by_name = {"A": a, "B": b, "C": c}
    campaign, free, sponsor = _ids(a)
    f1, f2, f3 = free[:3]
    _set(a, "UPDATE finding SET description = '甲：首页未显示备案号', updated_at = ? WHERE id = ?", utc_now(), f1)
    _set(b, "UPDATE finding SET description = '乙：首页底部无备案号', updated_at = ? WHERE id = ?", utc_now(), f1)
    _set(b, "UPDATE finding SET requirement = '乙：限期整改并书面报告', updated_at = ? WHERE id = ?", utc_now(), f2)
    _set(c, "DELETE FROM finding_event WHERE finding_id = ?", f3)
    _set(c, "DELETE FROM finding WHERE id = ?", f3)
    evidence = {_add_evidence(x, sponsor, campaign, x.name.encode() * 50) for x in (a, b, c)}

    for rnd in range(2):
        for pair in order:
            exchange(by_name[pair[0]], by_name[pair[1]], f"r{rnd}{pair}")

    masked = {("finding", f1)}
    states = [x.state(masked) for x in (a, b, c)]
    assert states[0] == states[1] == states[2]
    chains = [x.chain() for x in (a, b, c)]
    for one, other in itertools.combinations(chains, 2):   # no laptop's log diverges anywhere
        assert all(one[k] == other[k] for k in one.keys() & other.keys())
    for x in (a, b, c):
        ctx = x.ctx()
        try:
            listed = conflicts.list_conflicts(ctx)
            assert [(k.entity, k.entity_id, k.column) for k in listed] == [("finding", f1, "description")]
            assert {cand.value for cand in listed[0].candidates} == {"甲：首页未显示备案号", "乙：首页底部无备案号"}
            assert {cand.inspector for cand in listed[0].candidates} == {"甲", "乙"}
            row = ctx.conn.execute("SELECT requirement FROM finding WHERE id = ?", (f2,)).fetchone()
            assert row[0] == "乙：限期整改并书面报告"
            assert ctx.conn.execute("SELECT count(*) FROM finding WHERE id = ?", (f3,)).fetchone()[0] == 0
            assert {r[0] for r in ctx.conn.execute("SELECT id FROM evidence")} == evidence
        finally:
            ctx.conn.close()
        report = check_database(x.db, x.evidence)
        assert report.ok, report.as_dict()

    from workbench.cli import main

    assert main(["conflicts", "--db", str(a.db)]) == 0      # the command line lists them too
    listing = capsys.readouterr().out
    assert "问题描述" in listing and "甲：首页未显示备案号" in listing and "乙：首页底部无备案号" in listing
    ctx = c.ctx()                              # a person decides on laptop C
    try:
        (pending,) = conflicts.list_conflicts(ctx)
        conflicts.decide(ctx, pending.id, "甲：首页未显示备案号")
    finally:
        ctx.conn.close()
    for pair in ["CA", "CB", "AB", "BA", "BC", "AC"]:
        exchange(by_name[pair[0]], by_name[pair[1]], f"d{pair}")
    final = [x.state() for x in (a, b, c)]
    assert final[0] == final[1] == final[2]
    for x in (a, b, c):
        ctx = x.ctx()
        try:
            assert conflicts.open_count(ctx) == 0
            assert ctx.conn.execute("SELECT description FROM finding WHERE id = ?", (f1,)).fetchone()[0] \
                == "甲：首页未显示备案号"
        finally:
            ctx.conn.close()
        assert check_database(x.db, x.evidence).ok


def test_importing_the_same_package_twice_changes_nothing(fleet):
    _lead, a, b, _c = fleet
    _set(a, "UPDATE finding SET requirement = '甲要求', updated_at = ? WHERE id = (SELECT min(id) FROM finding)",
         utc_now())
    pkg = a.export(b, "once")
    first = b.import_(pkg)
    assert first.updated >= 1 and first.conflicts == 0
    before = b.state()
    again = b.import_(pkg)
    assert (again.added, again.updated, again.conflicts) == (0, 0, 0) and again.unchanged >= 1
    after = b.state()
    assert {t: v for t, v in after.items() if t != "audit_log"} == {t: v for t, v in before.items() if t != "audit_log"}


def test_packages_of_later_rounds_hold_only_new_work(fleet):
    _lead, a, b, _c = fleet
    exchange(a, b, "1")
    exchange(b, a, "1")                         # acknowledges a's package
    _set(a, "UPDATE finding SET requirement = '甲要求', updated_at = ? WHERE id = (SELECT min(id) FROM finding)",
         utc_now())
    res = exchange(a, b, "2")
    assert (res.added, res.updated) == (0, 1), res.as_dict()


@pytest.mark.parametrize("damage", ["hash", "format", "campaign", "own"])
def test_refused_packages_change_nothing(fleet, tmp_path, damage):
    import json
    import zipfile

    lead, a, b, _c = fleet
    pkg = a.export(b, "x")
    if damage in ("hash", "format"):
        bad = tmp_path / f"{damage}.wbpkg"
        with zipfile.ZipFile(pkg) as src, zipfile.ZipFile(bad, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if damage == "hash" and item.filename == packages.CHANGES:
                    data = data[:-1] + bytes([data[-1] ^ 1])
                if damage == "format" and item.filename == packages.MANIFEST:
                    data = json.dumps({**json.loads(data), "format": packages.FORMAT + 1}).encode()
                dst.writestr(item, data)
        pkg, target = bad, b
    elif damage == "campaign":
        other = Laptop(tmp_path, "L")
        other.db = tmp_path / "other.sqlite3"
        ctx = other.ctx()
        ctx.conn.execute("INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES"
                         " ('x', '别的任务', 'icp_review', '', '')")
        ctx.conn.close()
        target = other
    else:
        target = a
    before = target.state()
    with pytest.raises(packages.PackageRefused) as err:
        target.import_(pkg)
    expected = {"hash": "SHA-256", "format": "更新版本", "campaign": "别的任务", "own": "本机自己导出"}[damage]
    assert expected in str(err.value)
    assert target.state() == before


def test_one_doc_number_on_two_documents_is_refused_naming_both(fleet):
    _lead, a, b, _c = fleet
    for laptop, org in ((a, 0), (b, 1)):
        conn = sqlite3.connect(laptop.db)
        sponsor, campaign = conn.execute(
            "SELECT id, campaign_id FROM sponsor ORDER BY id LIMIT 1 OFFSET ?", (org,)).fetchone()
        prefix, year, seq = conn.execute("SELECT prefix, year, max(seq) + 1 FROM notice").fetchone()
        conn.close()
        _set(laptop, "INSERT INTO notice (id, campaign_id, sponsor_id, kind, prefix, year, seq, doc_number, issued_on,"
             " created_at, updated_at) VALUES (?, ?, ?, 'rectification', ?, ?, ?, ?, '2026-11-20', ?, ?)",
             new_id(), campaign, sponsor, prefix, year, seq, f"{prefix}〔{year}〕{seq}号", utc_now(), utc_now())
    before = b.state()
    with pytest.raises(packages.PackageRefused) as err:
        exchange(a, b, "num")
    assert "会被用在两份文书上" in str(err.value) and "本机已签发给" in str(err.value)
    assert b.state() == before



def test_a_removal_to_the_recycle_bin_is_logged_and_travels(fleet):
    _lead, a, b, _c = fleet
    campaign, _free, _sponsor = _ids(a)
    _set(a, "INSERT INTO removal (id, entity, entity_id, label, removed_at, device, inspector)"
         " VALUES ('r1', 'campaign', ?, '演示任务', ?, 'laptop-a', '甲')", campaign, utc_now())
    exchange(a, b, "bin")
    ctx = b.ctx()
    try:
        assert ctx.conn.execute("SELECT entity_id FROM removal WHERE id = 'r1'").fetchone()[0] == campaign
        logged = ctx.conn.execute("SELECT action, inspector FROM audit_log WHERE entity = 'removal'").fetchall()
        assert [tuple(r) for r in logged] == [("remove", "甲")]
    finally:
        ctx.conn.close()
