"""Benchmark: paging the site table of a province-scale campaign (default 300,000 sites).

Builds a database of N synthetic sites, then times ``site_query.page_sites`` at the start, the
middle and the end of the list, sorted by import order and by name, and with a text filter. The
baseline, measured in the same run, is reading the first page of bare ids. Prints one line per
case and, last, one JSON object {"rows", "cases": {name: ratio}, "worst_ms"}.

    python benchmarks/bench_site_table.py [--rows 300000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.domain.site import Domain, SiteRecord  # noqa: E402
from workbench.storage import site_query  # noqa: E402
from workbench.storage.connection import transaction  # noqa: E402
from workbench.storage.database import open_database  # noqa: E402
from workbench.storage.records import Author, new_id, utc_now  # noqa: E402
from workbench.storage.site_repo import store_site_list  # noqa: E402


def _records(n: int):
    for i in range(n):
        subject = f"鲁ICP备{20000000 + i // 3}号"
        yield SiteRecord(
            source_row=i + 2, site_filing_no=f"{subject}-{i % 3 + 1}", subject_filing_no=subject,
            sponsor_name=f"单位{i // 3:06d}有限公司", city=("济南市", "青岛市", "淄博市")[i % 3],
            site_name=f"网站{i:06d}", domains=(Domain(f"s{i}.example.cn", f"s{i}.example.cn"),),
            access_provider=("阿里云计算有限公司", "浪潮云信息技术股份公司")[i % 2], approved_on=date(2020, 1, 1),
        )


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        conn = open_database(Path(tmp) / "bench.sqlite3")
        cid, now = new_id(), utc_now()
        conn.execute("INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES (?,?,?,?,?)",
                     (cid, "基准", "icp_review", now, now))
        built = time.perf_counter()
        with transaction(conn):
            store_site_list(conn, cid, _records(args.rows), Author("bench", "bench"))
        print(f"built {args.rows} sites in {time.perf_counter() - built:.1f} s")
        base = _time(lambda: conn.execute(
            "SELECT id FROM site WHERE campaign_id = ? LIMIT 200", (cid,)).fetchall())
        cases = {
            "count": lambda: site_query.count_sites(conn, cid),
            "first_page": lambda: site_query.page_sites(conn, cid),
            "middle_page": lambda: site_query.page_sites(conn, cid, offset=args.rows // 2),
            "last_page_by_name": lambda: site_query.page_sites(conn, cid, sort="site_name", offset=args.rows - 200),
            "filter_text": lambda: site_query.page_sites(conn, cid, text="网站01234"),
            "count_filter": lambda: site_query.count_sites(conn, cid, text="网站01234"),
        }
        ratios, worst = {}, 0.0
        for name, fn in cases.items():
            t = _time(fn)
            ratios[name] = round(t / base, 1)
            worst = max(worst, t)
            print(f"{name:20s} {t * 1000:8.1f} ms  ratio {ratios[name]:8.1f} (baseline {base * 1000:.2f} ms)")
        conn.close()
    print(json.dumps({"rows": args.rows, "cases": ratios, "worst_ms": round(worst * 1000, 1)}))


if __name__ == "__main__":
    main()
