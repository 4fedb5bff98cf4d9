"""Work packages through the command line (real child processes), and SIGKILL mid-write."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.faults import ENV
from workbench.services.integrity import check_database

ROOT = Path(__file__).resolve().parents[2]


def wb(*argv, crash: str | None = None, data_dir: Path):
    from workbench.app import settings_path
    from workbench.paths import AppPaths
    from workbench.settings import Settings

    settings = settings_path(AppPaths.for_user(data_dir))
    if not settings.exists():   # every write needs the inspector's name (storage.records.Author)
        Settings(inspector="测试检查员", unit="某市互联网信息办公室").save(settings)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_DATA_DIR": str(data_dir)}
    env.pop(ENV, None)
    if crash:
        env[ENV] = crash
    if argv[0] in ("package", "import", "demo", "campaign"):
        argv = (*argv, "--inspector", "测试员")
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, argv)], env=env, capture_output=True,
                          text=True, timeout=120)


def rows(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'sync_partner')")]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}
    finally:
        conn.close()


@pytest.fixture
def lead(tmp_path):
    db = tmp_path / "lead.sqlite3"
    assert wb("demo", "--db", db, "--sites", 12, data_dir=tmp_path).returncode == 0
    return db


def test_export_and_import_print_counts(tmp_path, lead):
    pkg = tmp_path / "任务.wbpkg"
    res = wb("package", "export", pkg, "--db", lead, data_dir=tmp_path)
    assert res.returncode == 0 and "已导出工作包" in res.stdout, res.stderr
    laptop = tmp_path / "laptop.sqlite3"
    res = wb("package", "import", pkg, "--db", laptop, "--json", data_dir=tmp_path)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert {"added", "updated", "unchanged", "conflicts"} <= set(out) and out["added"] > 0
    res = wb("package", "import", pkg, "--db", laptop, "--json", data_dir=tmp_path)
    again = json.loads(res.stdout)
    assert (again["added"], again["updated"], again["conflicts"]) == (0, 0, 0)
    assert again["unchanged"] == out["added"]
    assert check_database(laptop).ok


def test_a_broken_package_is_refused_with_the_reason(tmp_path, lead):
    bad = tmp_path / "bad.wbpkg"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    res = wb("package", "import", bad, "--db", lead, data_dir=tmp_path)
    assert res.returncode == 2 and "不是有效的工作包" in res.stderr and "bad.wbpkg" in res.stderr


def test_sigkill_in_the_middle_of_a_merge_leaves_nothing_half_done(tmp_path, lead):
    pkg = tmp_path / "p.wbpkg"
    assert wb("package", "export", pkg, "--db", lead, data_dir=tmp_path).returncode == 0
    laptop = tmp_path / "laptop.sqlite3"
    assert wb("campaign", "list", "--db", laptop, data_dir=tmp_path).returncode == 0   # an empty database
    before = rows(laptop)
    res = wb("package", "import", pkg, "--db", laptop, crash="merge-applied", data_dir=tmp_path)
    assert res.returncode == 2 and "意外终止" in res.stderr, (res.returncode, res.stderr)   # its merge process died
    report = check_database(laptop)
    assert report.ok, report.as_dict()                      # integrity_check and the audit chain
    assert rows(laptop) == before                           # nothing of the package is there
    res = wb("package", "import", pkg, "--db", laptop, "--json", data_dir=tmp_path)
    assert res.returncode == 0 and json.loads(res.stdout)["added"] > 0
    assert check_database(laptop).ok


def test_sigkill_in_the_middle_of_a_site_list_import_leaves_nothing_half_done(tmp_path):
    db = tmp_path / "x.sqlite3"
    csv = tmp_path / "名单.csv"
    lines = ["网站备案号,网站名称,主办单位名称,网站域名"]
    lines += [f"鲁ICP备{10000000 + i}号-1,网站{i},单位{i},site{i}.example.cn" for i in range(300)]
    csv.write_text("\n".join(lines), encoding="utf-8")
    assert wb("campaign", "create", "甲", "--db", db, data_dir=tmp_path).returncode == 0
    before = rows(db)
    res = wb("import", csv, "--db", db, "--campaign", "甲", crash="transaction-commit", data_dir=tmp_path)
    assert res.returncode == -9, (res.returncode, res.stdout, res.stderr)
    report = check_database(db)
    assert report.ok, report.as_dict()
    assert rows(db) == before
    res = wb("import", csv, "--db", db, "--campaign", "甲", data_dir=tmp_path)
    assert res.returncode == 0, res.stderr
    assert len(rows(db)["site"]) == 300
    assert check_database(db).ok
