"""Time and memory of a work package between two large databases (issue 13's numbers).

Usage: python benchmarks/bench_packages.py [--sites 100000] [--reviews 10000] [--findings 2000]

Builds laptop A with N sites (SQL inserts), hands the campaign to laptop B through a full
package, lets B answer (so A knows what B has), then records R reviews and F findings on A.
Then times, as whole commands (process start to exit, including the merge child process):
  baseline: ``workbench backup`` of A (an online copy of the whole file, verified),
  export:   ``workbench package export --to B`` on A,
  import:   ``workbench package import`` on B.
peak_mb is the peak resident set of the command and its child processes (ru_maxrss of
RUSAGE_CHILDREN in a fresh wrapper process). Targets: export and import < 10 s each, < 300 MB.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_WRAP = ("import resource, subprocess, sys, time\n"
         "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
         "d = time.perf_counter() - t\n"
         "print(d, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
         "sys.stderr.write(r.stdout[-2000:] + r.stderr[-2000:])\n")


def run(*argv) -> tuple[float, float, str]:
    """Run ``python -m workbench argv`` in a wrapper; returns (seconds, peak MiB, its output)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-c", _WRAP, sys.executable, "-m", "workbench", *map(str, argv)],
                         capture_output=True, text=True, env=env)
    secs, rss, code = res.stdout.split()
    if code != "0":
        raise SystemExit(f"workbench {' '.join(map(str, argv))} failed:\n{res.stderr}")
    return float(secs), int(rss) / 1024, res.stderr


def build_lead(db: Path, sites: int) -> None:
    """A campaign with ``sites`` sites (one sponsor per five sites), written with plain SQL."""
    from workbench.storage.connection import transaction
    from workbench.storage.database import open_database

    conn = open_database(db)
    now = "2026-11-01T08:00:00+00:00"
    w = (now, now, "lead-pc", "组长")
    with transaction(conn):
        conn.execute("INSERT INTO campaign (id, name, kind, doc_prefix, created_at, updated_at, device, inspector)"
                     " VALUES ('c1', '全省网站备案核查', 'icp_review', '某网信整改', ?, ?, ?, ?)", w)
        conn.executemany(
            "INSERT INTO sponsor (id, campaign_id, name, created_at, updated_at, device, inspector)"
            " VALUES (?, 'c1', ?, ?, ?, ?, ?)", ((f"p{i}", f"单位{i}", *w) for i in range(sites // 5 + 1)))
        conn.executemany(
            "INSERT INTO site (id, campaign_id, sponsor_id, site_filing_no, name, homepage, city, source_row,"
            " created_at, updated_at, device, inspector) VALUES (?, 'c1', ?, ?, ?, ?, '济南', ?, ?, ?, ?, ?)",
            ((f"s{i}", f"p{i // 5}", f"鲁ICP备{10000000 + i}号-1", f"网站{i}", f"https://site{i}.example.cn", i, *w)
             for i in range(sites)))
    conn.close()


def work_on(db: Path, reviews: int, findings: int) -> None:
    """Record ``reviews`` reviews and ``findings`` findings on laptop ``db`` (audited rows)."""
    from workbench.storage.connection import transaction
    from workbench.storage.database import open_database

    conn = open_database(db)
    from workbench.storage import audit

    audit.set_author(conn, "laptop-a", "甲")
    now = "2026-11-20T08:00:00+00:00"
    w = (now, now, "laptop-a", "甲")
    with transaction(conn):
        conn.executemany(
            "INSERT INTO review (id, site_id, conclusion, notes, reviewed_on, created_at, updated_at, device,"
            " inspector) VALUES (?, ?, ?, '', '2026-11-20', ?, ?, ?, ?)",
            ((str(uuid.uuid4()), f"s{i}", "accurate" if i >= findings else "contacts_inaccurate", *w)
             for i in range(reviews)))
        conn.executemany(
            "INSERT INTO finding (id, campaign_id, sponsor_id, site_id, category, description, severity,"
            " term_days, term_unit, start_on, deadline, status, created_at, updated_at, device, inspector)"
            " VALUES (?, 'c1', ?, ?, 'contacts_inaccurate', '联系电话无法接通', 'medium', 10, 'working',"
            " '2026-11-20', '2026-12-04', 'pending', ?, ?, ?, ?)",
            ((str(uuid.uuid4()), f"p{i // 5}", f"s{i}", *w) for i in range(findings)))
    conn.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=10_000)
    ap.add_argument("--findings", type=int, default=2_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        a, b = tmp / "a.sqlite3", tmp / "b.sqlite3"
        t0 = time.perf_counter()
        build_lead(a, args.sites)
        handout, answer, pkg = tmp / "handout.wbpkg", tmp / "answer.wbpkg", tmp / "work.wbpkg"
        full_export = run("package", "export", handout, "--db", a, "--inspector", "甲")
        full_import = run("package", "import", handout, "--db", b, "--inspector", "乙")
        run("package", "export", answer, "--db", b, "--to", _device(), "--inspector", "乙")
        run("package", "import", answer, "--db", a, "--inspector", "甲")
        work_on(a, args.reviews, args.findings)
        setup = time.perf_counter() - t0
        baseline = run("backup", tmp / "copy.sqlite3", "--db", a)
        export = run("package", "export", pkg, "--db", a, "--to", _device(), "--inspector", "甲")
        imported = run("package", "import", pkg, "--db", b, "--json", "--inspector", "乙")
        counts = json.loads(imported[2][imported[2].index("{"):imported[2].rindex("}") + 1])
        result = {
            "sites": args.sites, "reviews": args.reviews, "findings": args.findings,
            "db_mb": round(a.stat().st_size / 2**20, 1), "package_kb": round(pkg.stat().st_size / 1024),
            "baseline_backup_s": round(baseline[0], 2), "export_s": round(export[0], 2),
            "import_s": round(imported[0], 2), "export_ratio": round(export[0] / baseline[0], 2),
            "import_ratio": round(imported[0] / baseline[0], 2), "export_peak_mb": round(export[1]),
            "import_peak_mb": round(imported[1]), "backup_peak_mb": round(baseline[1]),
            "added": counts["added"], "conflicts": counts["conflicts"],
            "full_handout": {"export_s": round(full_export[0], 2), "import_s": round(full_import[0], 2),
                             "import_peak_mb": round(full_import[1])},
            "setup_s": round(setup, 1),
        }
        print(f"export {result['export_s']} s ({result['export_ratio']}× a backup), import {result['import_s']} s "
              f"({result['import_ratio']}×), peak {result['export_peak_mb']} / {result['import_peak_mb']} MB; "
              f"targets < 10 s and < 300 MB each")
        print(json.dumps(result, ensure_ascii=False))


def _device() -> str:
    import platform

    return platform.node()


if __name__ == "__main__":
    main()
