"""A changed site list re-imported on two laptops of one campaign: their packages still merge
(bug of 2026-12-03: "工作包中表 site_domain 的记录 … 与本机数据的唯一性约束冲突；工作包未合并")."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from tests.services.test_packages_cli import rows, wb
from workbench.services.integrity import check_database

HEADER = "网站备案号,网站名称,主办单位名称,网站域名"


def _site_list(path: Path, changed: bool) -> Path:
    """Five sites; ``changed``: site 2 gets a domain more and its domains in another order,
    site 3 a new name (its domains stay)."""
    lines = [HEADER]
    for i in range(5):
        domains = f"site{i}.example.cn;m.site{i}.example.cn"
        name = f"网站{i}"
        if changed and i == 2:
            domains = "m.site2.example.cn;site2.example.cn;new2.example.cn"
        if changed and i == 3:
            name = "网站三"
        lines.append(f"鲁ICP备{10000000 + i}号-1,{name},单位{i},{domains}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _domains(db: Path) -> list[tuple]:
    """(site name, domain, position) of every domain, sorted."""
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("SELECT s.name, d.domain, d.position FROM site_domain d"
                                   " JOIN site s ON s.id = d.site_id"))
    finally:
        conn.close()


def _domain_rows(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("SELECT id, site_id, domain, ascii, position FROM site_domain"))
    finally:
        conn.close()


def _replica(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id FROM sync_replica").fetchone()[0]
    finally:
        conn.close()


def _ok(res) -> str:
    assert res.returncode == 0, (res.returncode, res.stdout, res.stderr)
    return res.stdout


def test_both_laptops_reimport_a_changed_list_and_the_packages_merge(tmp_path):
    a, b = tmp_path / "A.sqlite3", tmp_path / "B.sqlite3"
    first, second = _site_list(tmp_path / "名单1.csv", False), _site_list(tmp_path / "名单2.csv", True)
    _ok(wb("import", first, "--db", a, "--campaign", "甲", data_dir=tmp_path))
    _ok(wb("package", "export", tmp_path / "a.wbpkg", "--db", a, data_dir=tmp_path))
    _ok(wb("package", "import", tmp_path / "a.wbpkg", "--db", b, data_dir=tmp_path))
    first_domains = _domains(a)
    # the changed list reaches both laptops; each imports it (its new domain rows get new ids)
    _ok(wb("import", second, "--db", b, "--campaign", "甲", data_dir=tmp_path))
    out = _ok(wb("import", second, "--db", a, "--campaign", "甲", "--json", data_dir=tmp_path))
    a_run = json.loads(out)["import_run"]
    expected = _domains(b)
    assert ("网站2", "new2.example.cn", 2) in expected and ("网站三", "site3.example.cn", 0) in expected

    pkg = tmp_path / "b.wbpkg"
    _ok(wb("package", "export", pkg, "--db", b, "--to", _replica(a), data_dir=tmp_path))
    before = rows(a)
    res = wb("package", "import", pkg, "--db", a, crash="merge-applied", data_dir=tmp_path)
    assert res.returncode == 2 and "意外终止" in res.stderr, (res.returncode, res.stderr)
    assert rows(a) == before and check_database(a).ok          # a killed merge leaves nothing

    out = json.loads(_ok(wb("package", "import", pkg, "--db", a, "--json", data_dir=tmp_path)))
    assert out["conflicts"] == 0, out
    assert _domains(a) == expected
    assert check_database(a).ok
    # A's own import of the changed list can still be undone after the merge (which may have
    # re-keyed A's row of new2.example.cn to B's id): the first list's domains are back
    undo = tmp_path / "A-undo.sqlite3"
    shutil.copyfile(a, undo)
    _ok(wb("remove", "import", a_run[:8], "--db", undo, data_dir=tmp_path))
    assert _domains(undo) == first_domains
    assert check_database(undo).ok

    # and back: both laptops end with the very same domain rows (one id per site and domain)
    _ok(wb("package", "export", tmp_path / "a2.wbpkg", "--db", a, "--to", _replica(b), data_dir=tmp_path))
    out = json.loads(_ok(wb("package", "import", tmp_path / "a2.wbpkg", "--db", b, "--json", data_dir=tmp_path)))
    assert out["conflicts"] == 0, out
    assert _domain_rows(a) == _domain_rows(b)
    assert check_database(b).ok


def test_only_one_laptop_reimports_and_its_package_merges(tmp_path):
    a, b = tmp_path / "A.sqlite3", tmp_path / "B.sqlite3"
    _ok(wb("import", _site_list(tmp_path / "名单1.csv", False), "--db", a, "--campaign", "甲", data_dir=tmp_path))
    _ok(wb("package", "export", tmp_path / "a.wbpkg", "--db", a, data_dir=tmp_path))
    _ok(wb("package", "import", tmp_path / "a.wbpkg", "--db", b, data_dir=tmp_path))
    _ok(wb("import", _site_list(tmp_path / "名单2.csv", True), "--db", b, "--campaign", "甲", data_dir=tmp_path))
    _ok(wb("package", "export", tmp_path / "b.wbpkg", "--db", b, "--to", _replica(a), data_dir=tmp_path))
    out = json.loads(_ok(wb("package", "import", tmp_path / "b.wbpkg", "--db", a, "--json", data_dir=tmp_path)))
    assert out["conflicts"] == 0, out
    assert _domain_rows(a) == _domain_rows(b)
    assert check_database(a).ok


def test_a_domain_rekeyed_by_a_merge_does_not_block_undoing_the_import(tmp_path, monkeypatch):
    from tests.support.cli_run import named_data_dir
    from workbench.storage import import_undo_repo
    from workbench.storage.records import new_id

    named_data_dir(tmp_path, monkeypatch)
    db = tmp_path / "A.sqlite3"
    _ok(wb("import", _site_list(tmp_path / "名单1.csv", False), "--db", db, "--campaign", "甲", data_dir=tmp_path))
    first = _domains(db)
    run = json.loads(_ok(wb("import", _site_list(tmp_path / "名单2.csv", True), "--db", db, "--campaign", "甲",
                            "--json", data_dir=tmp_path)))["import_run"]
    conn = sqlite3.connect(db)
    with conn:
        site_id, old = conn.execute("SELECT site_id, id FROM site_domain WHERE domain = 'new2.example.cn'").fetchone()
        import_undo_repo.rekey_domain(conn, site_id, old, new_id())
        assert import_undo_repo.moved(conn, run, "after") == []
    conn.execute("UPDATE site_domain SET position = 5 WHERE domain = 'new2.example.cn'")   # a real change
    assert import_undo_repo.moved(conn, run, "after") != []
    conn.rollback()
    conn.close()
    _ok(wb("remove", "import", run[:8], "--db", db, data_dir=tmp_path))
    assert _domains(db) == first
    assert check_database(db).ok


def _list_columns(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("SELECT site_filing_no, present, source_row, flags, flag_count FROM site"))
    finally:
        conn.close()


def test_a_full_package_brings_where_the_newest_list_has_each_site(tmp_path):
    """B re-imports a list in another order without site 3: its full package moves A's rows and
    ``present`` (the newest list is B's) instead of opening conflicts; A's full package back
    leaves B as it is."""
    a, b = tmp_path / "A.sqlite3", tmp_path / "B.sqlite3"
    _ok(wb("import", _site_list(tmp_path / "名单1.csv", False), "--db", a, "--campaign", "甲", data_dir=tmp_path))
    _ok(wb("package", "export", tmp_path / "a.wbpkg", "--db", a, data_dir=tmp_path))
    _ok(wb("package", "import", tmp_path / "a.wbpkg", "--db", b, data_dir=tmp_path))
    lines = (tmp_path / "名单1.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "名单3.csv").write_text("\n".join([lines[0], lines[5], *lines[1:4]]), encoding="utf-8")
    _ok(wb("import", tmp_path / "名单3.csv", "--db", b, "--campaign", "甲", data_dir=tmp_path))
    newest = _list_columns(b)
    assert newest != _list_columns(a) and ("鲁ICP备10000003号-1", 0) in [r[:2] for r in newest]

    _ok(wb("package", "export", tmp_path / "b.wbpkg", "--db", b, data_dir=tmp_path))   # full
    out = json.loads(_ok(wb("package", "import", tmp_path / "b.wbpkg", "--db", a, "--json", data_dir=tmp_path)))
    assert out["conflicts"] == 0, out
    assert _list_columns(a) == newest
    _ok(wb("package", "export", tmp_path / "a2.wbpkg", "--db", a, data_dir=tmp_path))  # full, back
    out = json.loads(_ok(wb("package", "import", tmp_path / "a2.wbpkg", "--db", b, "--json", data_dir=tmp_path)))
    assert out["conflicts"] == 0, out
    assert _list_columns(b) == newest
    assert check_database(a).ok and check_database(b).ok
