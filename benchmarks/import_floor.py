"""The floor of a first import's writing side: the cheapest way SQLite allows to store a list's
already-normalised rows into a new database with the workbench's schema (issue 12).

Usage: python benchmarks/import_floor.py --file LIST.xlsx [--repeat 3] [--undo-log] [--keep DIR]
       python benchmarks/import_floor.py --from-db IMPORTED.sqlite3 --file LIST.xlsx ...

It first imports the list once with ``workbench import`` (untimed; or takes the rows of a
database it was imported into, ``--from-db``) and saves the stored sponsor, site and domain rows
(every column, ids included) with pickle. Then, as whole child processes timed from spawn to
exit, alternately:

1. the baseline: a plain calamine read of the list (as benchmarks/bench_import.py);
2. the floor: a new database with the full schema (migrations, indexes, FTS5 trigram search
   index, triggers), then in one transaction: the indexes and insert triggers a bulk import sets
   aside dropped, one prepared INSERT per table (executemany), the search index filled with one
   INSERT … SELECT, the indexes and triggers created again, COMMIT, close. With ``--undo-log``
   also one undo-log row per created sponsor and site (import_change, hashes precomputed).

No Python per row beyond executemany's own: no normalising, no ids, no hashing. The child prints
its parts (wall and thread CPU seconds): python start to first line, loading the pickled rows,
schema, inserts, search index, indexes, undo log, commit, close. The parent prints the whole
process against the calamine read: the ratio no writer can go under with this schema, and what
is left of the 2.5 × target for reading and normalising. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CALAMINE_READ = ("import sys, python_calamine; b = python_calamine.CalamineWorkbook.from_path(sys.argv[1]); "
                 "print(len(b.get_sheet_by_index(0).to_python()))")
TABLES = ("campaign", "sponsor", "site", "site_domain")


def run(args: list[str]) -> tuple[float, str]:
    """Run a child to completion; returns (seconds from spawn to exit, its stdout).

    Raises:
        SystemExit: the child failed (its stderr's end is shown).
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return seconds, proc.stdout


def extract(db: Path, out: Path) -> dict[str, int]:
    """Save every row of the campaign, sponsor, site and site_domain tables of ``db`` (rowid
    order, all columns) to ``out`` with pickle; returns the row count of each table."""
    conn = sqlite3.connect(db)
    data = {}
    for table in TABLES:
        cur = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
        data[table] = ([d[0] for d in cur.description], cur.fetchall())
    changes = conn.execute("SELECT entity, entity_id, after_hash FROM import_change ORDER BY rowid").fetchall()
    data["import_change"] = (["entity", "entity_id", "after_hash"], changes)
    conn.close()
    with out.open("wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    return {table: len(rows) for table, (_cols, rows) in data.items()}


def child(rows_file: Path, db: Path, undo_log: bool, threads: int = 0) -> None:
    """The timed floor (see the module docstring); prints one JSON object of its parts."""
    parts: dict[str, list[float]] = {}
    started = [time.perf_counter(), time.thread_time()]

    def part(name: str) -> None:
        now = [time.perf_counter(), time.thread_time()]
        parts[name] = [round(now[0] - started[0], 3), round(now[1] - started[1], 3)]
        started[:] = now

    with rows_file.open("rb") as f:
        data = pickle.load(f)
    part("load_rows")
    from workbench.storage.bulk import deferred_begin, deferred_end
    from workbench.storage.connection import IMPORT_CACHE_KIB
    from workbench.storage.database import open_database
    from workbench.storage.site_repo import BULK_OBJECTS, search_fill_begin, search_fill_end

    conn = open_database(db)
    part("schema")
    conn.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    conn.execute(f"PRAGMA threads={threads}")   # helper threads for CREATE INDEX's sorter
    conn.execute("BEGIN IMMEDIATE")
    saved = deferred_begin(conn, *BULK_OBJECTS)
    search_fill_begin(conn)
    for table in TABLES:
        columns, rows = data[table]
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         rows)
    part("inserts")
    conn.execute("INSERT INTO site_search (rowid, search_text) SELECT rowid, search_text FROM site")
    search_fill_end(conn)
    part("search_index")
    deferred_end(conn, saved)
    part("indexes")
    if undo_log:
        run_id = "00000000-0000-7000-8000-000000000000"
        conn.execute("INSERT INTO import_run (id, campaign_id, file_name, file_sha256, created_at, updated_at)"
                     " SELECT ?, id, 'floor', '', '', '' FROM campaign LIMIT 1", (run_id,))
        conn.execute("INSERT INTO import_log (import_run_id, recorded_at) VALUES (?, '')", (run_id,))
        conn.executemany("INSERT INTO import_change (import_run_id, entity, entity_id, after_hash)"
                         " VALUES (?, ?, ?, ?)", ((run_id, *r) for r in data["import_change"][1]))
    part("undo_log")
    conn.execute("COMMIT")
    part("commit")
    conn.close()
    part("close")
    print(json.dumps(parts))


def median(values: list[float]) -> float:
    """The median (the upper one of an even count)."""
    return sorted(values)[len(values) // 2]


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="the list (calamine baseline; imported once for its rows)")
    parser.add_argument("--from-db", type=Path, help="take the rows from this database the list was imported into")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--undo-log", action="store_true", help="also write the undo log's row per created row")
    parser.add_argument("--threads", type=int, default=0, help="PRAGMA threads (sorter helper threads)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep its files")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("ROWS", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.undo_log, args.threads)
        return
    if args.file is None:
        parser.error("--file is required")
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        source = args.from_db
        if source is None:
            source = tmp / "imported.sqlite3"
            run([sys.executable, "-m", "workbench", "import", str(args.file), "--db", str(source), "--campaign",
                 "基准", "--inspector", "基准"])
        counts = extract(source, tmp / "rows.pickle")
        bare, floor, parts = [], [], []
        for _ in range(args.repeat):
            bare.append(run([sys.executable, "-c", CALAMINE_READ, str(args.file)])[0])
            db = tmp / "floor.sqlite3"
            for f in tmp.glob("floor.sqlite3*"):
                f.unlink()
            seconds, out = run([sys.executable, __file__, "--child", str(tmp / "rows.pickle"), str(db),
                                *(["--undo-log"] if args.undo_log else []), "--threads", str(args.threads)])
            floor.append(seconds)
            parts.append(json.loads(out.strip().splitlines()[-1]))
    numbers = {"rows": counts, "calamine_s": round(median(bare), 2), "floor_s": round(median(floor), 2)}
    numbers["floor_ratio"] = round(numbers["floor_s"] / numbers["calamine_s"], 2)
    numbers["parts_wall_cpu_s"] = {k: [median([p[k][0] for p in parts]), median([p[k][1] for p in parts])]
                                   for k in parts[0]}
    numbers["runs"] = {"calamine": [round(s, 2) for s in bare], "floor": [round(s, 2) for s in floor]}
    numbers["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for name, (wall, cpu) in numbers["parts_wall_cpu_s"].items():
        print(f"{name:>13}: {wall:6.3f} s wall, {cpu:6.3f} s CPU")
    print(f"floor {numbers['floor_s']} s = {numbers['floor_ratio']} × calamine {numbers['calamine_s']} s"
          f" (2.5 × = {2.5 * numbers['calamine_s']:.2f} s)")
    print(json.dumps(numbers, ensure_ascii=False))


if __name__ == "__main__":
    main()
