"""Two laptops re-import one changed list that adds the same new site (and sponsor): each gave it
an id of its own, and B's package was refused on A ("工作包中表 site 的记录 … 与本机数据的唯一性约束
冲突；工作包未合并", 2026-12-03). Now the merge finds the site by its natural key (campaign +
备案号) and the sponsor by its (campaign + 主体备案号 / name), keeps the smaller id on both
laptops and moves what points at the other (storage/identities.py)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from tests.services.test_packages_cli import rows, wb
from workbench.services.integrity import check_database

HEADER = "网站备案号,网站名称,主办单位名称,网站域名"
NEW_NO = "鲁ICP备20000000号-1"


def _list(path: Path, new: str | None = None, domain: str = "new.example.cn") -> Path:
    lines = [HEADER] + [f"鲁ICP备{10000000 + i}号-1,网站{i},单位{i},site{i}.example.cn" for i in range(3)]
    if new:
        lines.append(f"{NEW_NO},{new},新单位,{domain}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _ok(res) -> str:
    assert res.returncode == 0, (res.returncode, res.stdout, res.stderr)
    return res.stdout


def _q(db: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(sql, params), key=repr)
    finally:
        conn.close()


def _replica(db: Path) -> str:
    return _q(db, "SELECT id FROM sync_replica")[0][0]


def _send(tmp_path: Path, src: Path, dst: Path, name: str) -> dict:
    """``src``'s package for ``dst`` merged into ``dst``: the merge's JSON report."""
    pkg = tmp_path / f"{name}.wbpkg"
    _ok(wb("package", "export", pkg, "--db", src, "--to", _replica(dst), data_dir=tmp_path))
    return json.loads(_ok(wb("package", "import", pkg, "--db", dst, "--json", data_dir=tmp_path)))


def _two_laptops(tmp_path: Path, new_a: str = "新网站", new_b: str = "新网站", domain_b: str = "new.example.cn"):
    """A and B share the first list; then each imports a second list adding the site NEW_NO."""
    a, b = tmp_path / "A.sqlite3", tmp_path / "B.sqlite3"
    _ok(wb("import", _list(tmp_path / "名单1.csv"), "--db", a, "--campaign", "甲", data_dir=tmp_path))
    pkg = tmp_path / "first.wbpkg"
    _ok(wb("package", "export", pkg, "--db", a, data_dir=tmp_path))
    _ok(wb("package", "import", pkg, "--db", b, data_dir=tmp_path))
    _ok(wb("package", "export", tmp_path / "b0.wbpkg", "--db", b, "--to", _replica(a), data_dir=tmp_path))
    _ok(wb("package", "import", tmp_path / "b0.wbpkg", "--db", a, data_dir=tmp_path))   # partners know each other
    out = _ok(wb("import", _list(tmp_path / "名单2A.csv", new_a), "--db", a, "--campaign", "甲", "--json",
                 data_dir=tmp_path))
    _ok(wb("import", _list(tmp_path / "名单2B.csv", new_b, domain_b), "--db", b, "--campaign", "甲", data_dir=tmp_path))
    return a, b, json.loads(out)["import_run"]


def _sites(db: Path) -> list[tuple]:
    return _q(db, "SELECT s.id, s.site_filing_no, s.name, s.sponsor_id, p.name, s.sort_conclusion, s.first_domain"
                  " FROM site s JOIN sponsor p ON p.id = s.sponsor_id")


def _ids(db: Path, table: str) -> list[tuple]:
    return _q(db, f"SELECT id FROM {table}")


def _same_rows(a: Path, b: Path, settled: bool = True) -> None:
    """The two laptops hold the same sites, sponsors, domains, reviews and findings, ids and all
    (``settled``: also the same review values; while a conflict is open each keeps its own)."""
    for sql in ("SELECT id, campaign_id, name, nature, uscc, subject_filing_no, city, created_at FROM sponsor",
                "SELECT id, campaign_id, sponsor_id, site_filing_no, name, created_at,"
                " first_domain, sort_sponsor FROM site", "SELECT * FROM site_domain", "SELECT id, site_id FROM review",
                "SELECT id, review_id, field FROM review_field",
                "SELECT id, site_id, sponsor_id, review_id, category, status FROM finding",
                *(["SELECT id, sort_conclusion FROM site", "SELECT * FROM review_field",
                   "SELECT id, conclusion, notes FROM review"] if settled else [])):
        assert _q(a, sql) == _q(b, sql), sql


def test_both_laptops_add_the_same_new_site_and_the_packages_merge_both_ways(tmp_path):
    a, b, a_run = _two_laptops(tmp_path)
    out = _send(tmp_path, b, a, "b1")                    # refused before: UNIQUE (campaign_id, site_filing_no)
    assert out["conflicts"] == 0, out
    assert [s[1] for s in _sites(a)].count(NEW_NO) == 1
    assert _q(a, "SELECT count(*) FROM sponsor WHERE name = '新单位'") == [(1,)]    # not two 新单位
    assert _q(a, "SELECT count(*) FROM site_domain WHERE domain = 'new.example.cn'") == [(1,)]
    assert check_database(a).ok
    # A's import of the second list can still be undone: its log follows the ids kept (a merge
    # that changed only ids is no change of the rows it imported)
    undo = tmp_path / "A-undo.sqlite3"
    shutil.copyfile(a, undo)
    _ok(wb("remove", "import", a_run[:8], "--db", undo, data_dir=tmp_path))
    assert NEW_NO not in [s[1] for s in _sites(undo)]
    assert _q(undo, "SELECT count(*) FROM sponsor WHERE name = '新单位'") == [(0,)]
    assert check_database(undo).ok

    out = _send(tmp_path, a, b, "a1")
    assert out["conflicts"] == 0, out
    _same_rows(a, b)
    assert check_database(b).ok
    # the one id kept is the smaller of the two, on both laptops
    unified = _q(a, "SELECT entity, entity_id, after FROM audit_log WHERE action = 'unify'")
    assert {e for e, _g, _k in unified} >= {"site", "sponsor"}
    for _entity, gone, kept in unified:
        assert json.loads(kept)["id"] < gone

    for n in range(2):                                   # and again, both ways: nothing left to do
        assert _send(tmp_path, b, a, f"b{n + 2}")["conflicts"] == 0
        assert _send(tmp_path, a, b, f"a{n + 2}")["conflicts"] == 0
    _same_rows(a, b)
    assert check_database(a).ok and check_database(b).ok
    assert _q(a, "SELECT count(*) FROM sync_conflict") == [(0,)] == _q(b, "SELECT count(*) FROM sync_conflict")



def test_a_killed_merge_of_the_same_new_site_changes_nothing(tmp_path):
    a, b, _run = _two_laptops(tmp_path)
    pkg = tmp_path / "b.wbpkg"
    _ok(wb("package", "export", pkg, "--db", b, "--to", _replica(a), data_dir=tmp_path))
    before = rows(a)
    res = wb("package", "import", pkg, "--db", a, crash="merge-applied", data_dir=tmp_path)
    assert res.returncode == 2 and "意外终止" in res.stderr, (res.returncode, res.stderr)
    assert rows(a) == before and check_database(a).ok
    assert json.loads(_ok(wb("package", "import", pkg, "--db", a, "--json", data_dir=tmp_path)))["conflicts"] == 0


def _review(db: Path, conclusion: str, notes: str) -> None:
    from wbtest import make_ctx
    from workbench.domain.review_record import FieldCheck
    from workbench.services import reviews
    from workbench.storage.database import open_database

    conn = open_database(db)
    try:
        site_id = conn.execute("SELECT id FROM site WHERE site_filing_no = ?", (NEW_NO,)).fetchone()[0]
        verdict = "match" if conclusion == "accurate" else "mismatch"
        reviews.record_review(make_ctx(conn), site_id, [FieldCheck("site_name", "新网站", "新网站", verdict)],
                              conclusion, notes)
    finally:
        conn.close()


def _conflicts_name_the_site(db: Path) -> None:
    """What 合并冲突 shows: the review's site, and conclusions by their Chinese names."""
    from wbtest import make_ctx
    from workbench.services import conflicts
    from workbench.storage.database import open_database

    conn = open_database(db)
    try:
        shown = conflicts.list_conflicts(make_ctx(conn))
    finally:
        conn.close()
    assert {c.title for c in shown} == {f"核查：新网站（{NEW_NO}）"}
    conclusion = next(c for c in shown if c.column == "conclusion")
    assert {conflicts.value_label(c.column, v.value) for c in [conclusion] for v in c.candidates} == \
        {"空壳网站", "网站无法访问"}


def test_both_laptops_review_the_same_new_site_and_neither_review_is_lost(tmp_path):
    a, b, _run = _two_laptops(tmp_path)
    _review(a, "shell_site", "甲看到的是空壳")
    _review(b, "unreachable", "乙打不开")
    findings = {r[1] for db in (a, b) for r in _q(db, "SELECT id, category FROM finding")}
    assert len(findings) == 2
    assert _send(tmp_path, b, a, "b1")["conflicts"] > 0          # the two conclusions: for a person
    assert _send(tmp_path, a, b, "a1")["conflicts"] >= 0
    for db in (a, b):
        site = [s for s in _sites(db) if s[1] == NEW_NO]
        assert len(site) == 1
        # one review of the one site; both findings kept, on that site and review
        assert _q(db, "SELECT count(*) FROM review WHERE site_id = ?", site[0][0]) == [(1,)]
        assert {r[0] for r in _q(db, "SELECT category FROM finding WHERE site_id = ?", site[0][0])} == findings
        assert _q(db, "SELECT count(DISTINCT review_id) FROM finding WHERE site_id = ?", site[0][0]) == [(1,)]
        # both conclusions are in the open conflict, with who wrote them
        conflict = _q(db, "SELECT candidates FROM sync_conflict WHERE entity = 'review' AND column_name = 'conclusion'"
                          " AND status = 'open'")
        assert len(conflict) == 1
        assert {c["value"] for c in json.loads(conflict[0][0])} == {"shell_site", "unreachable"}
        notes = _q(db, "SELECT candidates FROM sync_conflict WHERE entity = 'review' AND column_name = 'notes'")
        assert {c["value"] for c in json.loads(notes[0][0])} == {"甲看到的是空壳", "乙打不开"}
        # each laptop keeps its own conclusion until a person decides (docs/sync.md)
        assert _q(db, "SELECT conclusion FROM review r JOIN site s ON s.id = r.site_id WHERE s.site_filing_no = ?",
                  NEW_NO)[0][0] in ("shell_site", "unreachable")
        assert _q(db, "SELECT s.sort_conclusion = r.conclusion FROM review r JOIN site s ON s.id = r.site_id") == \
            [(1,)] * 1
        assert check_database(db).ok
    _same_rows(a, b, settled=False)
    _conflicts_name_the_site(a)
    open_conflicts = "SELECT id, entity_id, column_name FROM sync_conflict WHERE status = 'open'"
    assert _q(a, open_conflicts) == _q(b, open_conflicts)
    for n in range(2):
        _send(tmp_path, b, a, f"b{n + 2}")
        _send(tmp_path, a, b, f"a{n + 2}")
    assert len(_q(a, open_conflicts)) == 2 and _q(a, open_conflicts) == _q(b, open_conflicts)
    # the lead decides on A (B's conclusion and notes); B takes the decision with the next package
    for cid, _entity, column in _q(a, open_conflicts):
        candidates = json.loads(_q(a, "SELECT candidates FROM sync_conflict WHERE id = ?", cid)[0][0])
        take = [c["value"] for c in candidates].index("unreachable" if column == "conclusion" else "乙打不开") + 1
        _ok(wb("conflicts", "--db", a, "--decide", cid[:8], "--take", take, "--inspector", "组长", data_dir=tmp_path))
    _send(tmp_path, a, b, "a9")
    assert _q(a, open_conflicts) == [] == _q(b, open_conflicts)
    _same_rows(a, b)
    assert _q(b, "SELECT conclusion, notes FROM review") == [("unreachable", "乙打不开")]
    assert check_database(a).ok and check_database(b).ok


def test_the_same_filing_number_with_different_content_is_a_conflict_not_a_loss(tmp_path):
    a, b, _run = _two_laptops(tmp_path, new_a="甲的名字", new_b="乙的名字", domain_b="other.example.cn")
    assert _send(tmp_path, b, a, "b1")["conflicts"] >= 1
    _send(tmp_path, a, b, "a1")
    for db in (a, b):
        names = _q(db, "SELECT candidates FROM sync_conflict WHERE entity = 'site' AND column_name = 'name'")
        assert len(names) == 1 and {c["value"] for c in json.loads(names[0][0])} == {"甲的名字", "乙的名字"}
        domains = _q(db, "SELECT d.domain FROM site_domain d JOIN site s ON s.id = d.site_id"
                         " WHERE s.site_filing_no = ?", NEW_NO)
        assert domains == [("new.example.cn",), ("other.example.cn",)]    # both lists' domains are kept
        assert check_database(db).ok
    assert _ids(a, "site") == _ids(b, "site") and _ids(a, "sponsor") == _ids(b, "sponsor")


def _raise_finding(db: Path, description: str) -> None:
    from wbtest import make_ctx
    from workbench.services import findings
    from workbench.storage.database import open_database

    conn = open_database(db)
    try:
        site_id, sponsor_id, campaign_id = conn.execute(
            "SELECT id, sponsor_id, campaign_id FROM site WHERE site_filing_no = ?", (NEW_NO,)).fetchone()
        findings.raise_finding(make_ctx(conn), campaign_id=campaign_id, sponsor_id=sponsor_id, site_id=site_id,
                               category="其他", description=description, severity="low")
    finally:
        conn.close()


def test_a_later_package_still_naming_the_given_up_ids_is_brought_to_the_kept_ones(tmp_path):
    """The laptop whose ids were given up works on and sends again before it hears of it: its
    new finding on the site, its review's new notes reach the kept rows (not refused as orphans,
    not a "removed here" conflict), and both laptops converge once it has A's package."""
    a, b, _run = _two_laptops(tmp_path)
    _review(a, "accurate", "")
    _review(b, "accurate", "")
    site = f"SELECT id FROM site WHERE site_filing_no = '{NEW_NO}'"
    # "late" is the laptop holding the larger site id: its site, sponsor… are given up
    late, early = (a, b) if _q(a, site)[0][0] > _q(b, site)[0][0] else (b, a)
    late_site, late_review = _q(late, site)[0][0], _q(late, "SELECT id FROM review")[0][0]
    assert _send(tmp_path, late, early, "l1")["conflicts"] == 0
    assert _q(early, site)[0][0] != late_site
    _raise_finding(late, "后来发现的问题")
    from wbtest import make_ctx
    from workbench.domain.review_record import FieldCheck
    from workbench.services import reviews
    from workbench.storage.database import open_database

    conn = open_database(late)
    try:
        reviews.record_review(make_ctx(conn), late_site, [FieldCheck("site_name", "新网站", "新网站", "match")],
                              "accurate", "复核后补充的说明")
    finally:
        conn.close()
    out = _send(tmp_path, late, early, "l2")                       # still names late_site / its review
    assert out["conflicts"] == 0, out
    kept_site = _q(early, site)[0][0]
    assert _q(early, "SELECT description FROM finding WHERE site_id = ?", kept_site) == [("后来发现的问题",)]
    assert _q(early, "SELECT count(*) FROM site WHERE id = ?", late_site) == [(0,)]
    review = _q(early, "SELECT id, notes FROM review WHERE site_id = ?", kept_site)
    assert len(review) == 1 and review[0][1] == "复核后补充的说明"
    assert late_review not in [r[0] for r in _q(early, "SELECT id FROM review")] or review[0][0] == late_review
    assert check_database(early).ok
    assert _send(tmp_path, early, late, "e1")["conflicts"] == 0
    _same_rows(a, b)
    assert _q(late, site)[0][0] == kept_site and check_database(late).ok
    for n in range(2):
        assert _send(tmp_path, late, early, f"l{n + 3}")["conflicts"] == 0
        assert _send(tmp_path, early, late, f"e{n + 2}")["conflicts"] == 0
    _same_rows(a, b)
    assert check_database(a).ok and check_database(b).ok
