"""Benchmark the forwarded exports, whole process (start to exit), on a synthetic campaign.

Usage: python benchmarks/bench_exports.py [--findings 100000] [--sites 100000] [--keep DIR]

Builds one database (not timed) with ``--sites`` sites, sponsors, a review for four sites in
five, ``--findings`` findings with their history events and served notices. Then runs, each in
a fresh process, timed from start to exit with its peak resident memory (ru_maxrss):

* ledger   ``python -m workbench export ledger OUT.xlsx`` (整改台账, streamed);
* baseline a plain openpyxl write-only dump of the same cells: the same SQL (the ledger query),
           each row made into the same 16 values and appended (no styles, sizing, masking);
* report   ``python -m workbench export report OUT.pdf`` (汇总报告).

Targets (issue 11): ledger ≤ 1.5 × baseline and < 300 MB; report < 10 s and < 300 MB.
Each command's CPU seconds (user + system) are printed too: on a machine shared with other
work they vary less than the wall time. The last line is one JSON object with the seconds, MB,
CPU seconds and the ledger/baseline ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 12, 3)
CITIES = ("济南市", "青岛市", "淄博市", "烟台市", "潍坊市", "济宁市", "临沂市", "威海市")
PROVIDERS = ("中国电信股份有限公司山东分公司", "阿里云计算有限公司", "腾讯云计算（北京）有限责任公司",
             "浪潮云信息技术股份公司", "中国联合网络通信有限公司山东省分公司")
CATEGORIES = ("联系方式不准确", "未悬挂或错误悬挂备案号", "主办单位信息不准确", "空壳网站")
STATUSES = ("pending", "rectifying", "awaiting_reinspection", "closed", "failed_reinspection", "withdrawn")


def build(db: Path, sites: int, findings: int) -> None:
    """Fill a migrated database with one campaign of synthetic rows (fast raw inserts)."""
    from workbench.storage.database import open_database

    conn = open_database(db)
    conn.execute("PRAGMA synchronous = OFF")  # a throw-away database: no fsync per statement
    conn.execute("BEGIN")
    rnd = random.Random(11)
    now = "2026-11-01T02:00:00.000000+00:00"
    stamp = (now, now, "bench", "基准")
    conn.execute("INSERT INTO campaign (id, name, kind, authority, doc_prefix, period_start, period_end,"
                 " created_at, updated_at, device, inspector) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 ("c1", "基准任务", "icp_review", "某市互联网信息办公室", "鲁网信整改", "2026-10-01",
                  "2026-12-31", *stamp))
    sponsors = (sites + 2) // 3
    conn.executemany(
        "INSERT INTO sponsor (id, campaign_id, name, uscc, city, created_at, updated_at, device, inspector)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        ((f"p{i}", "c1", f"山东某某{i:06d}科技有限公司", f"91370100MA{i:08d}", CITIES[i % 8], *stamp)
         for i in range(sponsors)))
    conn.executemany(
        "INSERT INTO site (id, campaign_id, sponsor_id, site_filing_no, name, access_provider, city,"
        " contact_name, contact_phone, source_row, created_at, updated_at, device, inspector)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ((f"s{i}", "c1", f"p{i // 3}", f"鲁ICP备{20000000 + i // 3}号-{i % 3 + 1}", f"网站{i:06d}",
          PROVIDERS[i % 5], CITIES[(i // 3) % 8], "张三", f"138{i:08d}", i + 2, *stamp)
         for i in range(sites)))
    conn.executemany(
        "INSERT INTO review (id, site_id, conclusion, notes, reviewed_on, created_at, updated_at, device,"
        " inspector) VALUES (?,?,?,?,?,?,?,?,?)",
        ((f"r{i}", f"s{i}", "accurate" if rnd.random() < 0.8 else "contact_inaccurate",
          "", "2026-10-20", *stamp) for i in range(sites) if i % 5))
    notices = max(findings // 4, 1)
    conn.executemany(
        "INSERT INTO notice (id, campaign_id, sponsor_id, kind, prefix, year, seq, doc_number, issued_on,"
        " served_on, created_at, updated_at, device, inspector) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ((f"n{i}", "c1", f"p{i % sponsors}", "rectification", "鲁网信整改", 2026, i + 1,
          f"鲁网信整改〔2026〕{i + 1}号", "2026-10-25", "2026-10-28", *stamp) for i in range(notices)))
    rows, events, links = [], [], []
    for i in range(findings):
        status = STATUSES[i % 6]
        deadline = (TODAY + timedelta(days=rnd.randint(-40, 30))).isoformat()
        site = i % sites
        rows.append((f"f{i}", "c1", f"p{site // 3}", f"s{site}", CATEGORIES[i % 4],
                     f"网站备案信息核查发现问题，负责人电话 138{i:08d} 无法接通。", ("high", "medium", "low")[i % 3],
                     "《非经营性互联网信息服务备案管理办法》第七条", "请在整改期限内更新备案信息。", 10, "working",
                     "2026-10-28", deadline, status, *stamp))
        events.append((f"e{i}a", f"f{i}", "create", None, "pending", "", None, now, *stamp))
        if status != "pending":
            events.append((f"e{i}b", f"f{i}", "notify", "pending", "rectifying", "送达", None,
                           "2026-10-28T02:00:00.000000+00:00", *stamp))
            links.append((f"n{i % notices}", f"f{i}"))
    conn.executemany(
        "INSERT INTO finding (id, campaign_id, sponsor_id, site_id, category, description, severity,"
        " legal_basis, requirement, term_days, term_unit, start_on, deadline, status, created_at,"
        " updated_at, device, inspector) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany(
        "INSERT INTO finding_event (id, finding_id, action, from_status, to_status, reason, deadline,"
        " occurred_at, created_at, updated_at, device, inspector) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", events)
    conn.executemany("INSERT INTO notice_finding (notice_id, finding_id) VALUES (?,?)", links)
    conn.execute("COMMIT")
    conn.close()


def baseline_child(db: Path, out: Path) -> None:
    """The plain dump of the same cells: the ledger query, each row turned into the ledger's 16
    values (序号, real dates, days left, Chinese labels, history text) with the least possible
    code, appended to a write-only openpyxl sheet. No styles, sizing, wrapping, masking,
    conditional formats or print setup — what the ledger adds is what the ratio measures."""
    import sqlite3

    from openpyxl import Workbook

    from workbench.domain.finding_status import ACTION_LABELS, STATUS_LABELS, TERM_RUNNING_STATUSES
    from workbench.domain.severity import SEVERITY_LABELS
    from workbench.storage.ledger_query import _SQL, FIELD_SEP, RECORD_SEP

    conn = sqlite3.connect(db)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("整改台账")
    for index, r in enumerate(conn.execute(_SQL, {"campaign": "c1"}), 1):
        deadline = date.fromisoformat(r[10])
        events = [e.split(FIELD_SEP) for e in r[12].split(RECORD_SEP)] if r[12] else []
        history = "\n".join(f"{e[0][:10]} {ACTION_LABELS.get(e[1], e[1])}" + (f"：{e[2]}" if e[2] else "")
                            for e in events)
        ws.append([index, r[0], r[1], r[2], r[3], r[4], SEVERITY_LABELS[r[5]], r[6], r[7], r[8],
                   date.fromisoformat(r[9]) if r[9] else None, deadline,
                   (deadline - TODAY).days if r[11] in TERM_RUNNING_STATUSES else None,
                   STATUS_LABELS[r[11]], "", history])
    wb.save(out)


def run(argv: list[str]) -> tuple[float, float, float]:
    """Run ``argv`` in a fresh wrapper process; (wall seconds, peak RSS MiB, CPU seconds (user +
    system) of the command). On a machine shared with other work the CPU seconds vary less."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter();"
               " subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
               " u = resource.getrusage(resource.RUSAGE_CHILDREN);"
               " print(time.perf_counter() - t, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", wrapper, *argv], check=True, capture_output=True,
                         text=True, env=env).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    parser.add_argument("--baseline-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_child:
        baseline_child(*args.baseline_child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "bench.sqlite3"
        if not db.exists():
            start = time.perf_counter()
            build(db, args.sites, args.findings)
            print(f"built {args.sites} sites, {args.findings} findings in {time.perf_counter() - start:.1f} s")
        cli = [sys.executable, "-m", "workbench"]
        common = ["--db", str(db), "--today", TODAY.isoformat(), "--force"]
        results: dict[str, tuple[float, float, float]] = {}
        for _ in range(args.repeat):  # best of --repeat, interleaved so load affects both alike
            for name, argv in (
                ("baseline", [sys.executable, str(Path(__file__).resolve()), "--baseline-child",
                              str(db), str(folder / "plain.xlsx")]),
                ("ledger", [*cli, "export", "ledger", str(folder / "ledger.xlsx"), *common]),
                ("report", [*cli, "export", "report", str(folder / "report.pdf"), *common]),
            ):
                seconds, mb, cpu = run(argv)
                best = results.get(name)
                results[name] = (seconds, mb, cpu) if best is None else \
                    (min(seconds, best[0]), max(mb, best[1]), min(cpu, best[2]))
        for name, (seconds, mb, cpu) in results.items():
            print(f"{name:9s} {seconds:7.2f} s  peak {mb:6.0f} MB  cpu {cpu:7.2f} s")
        ratio = results["ledger"][0] / results["baseline"][0]
        cpu_ratio = results["ledger"][2] / results["baseline"][2]
        print(f"ledger / baseline = {ratio:.2f} (target ≤ 1.5); in CPU seconds {cpu_ratio:.2f}")
        print(json.dumps({
            "findings": args.findings, "sites": args.sites, "ratio": round(ratio, 2),
            "cpu_ratio": round(cpu_ratio, 2),
            **{f"{k}_s": round(v[0], 2) for k, v in results.items()},
            **{f"{k}_mb": round(v[1]) for k, v in results.items()},
            **{f"{k}_cpu_s": round(v[2], 2) for k, v in results.items()},
        }))


if __name__ == "__main__":
    main()
