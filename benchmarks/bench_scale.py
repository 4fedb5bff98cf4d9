"""Province scale, whole processes, ratios against bare baselines measured in the same run (issue 12).

Usage: python benchmarks/bench_scale.py [--sites 300000] [--findings 100000] [--rows 100000]
                                         [--peak-rows 300000] [--db F] [--reuse] [--skip-import]
                                         [--repeat N] [--no-compile]

1. ``workbench demo --sites N --findings M`` builds the database (timed; --reuse keeps an existing --db).
2. Window (workbench/ byte-compiled first, as installed: see compile_tree; --no-compile times it
   from source): a bare Qt window showing the same first page of sites (benchmarks/bare_table_window.py)
   against ``workbench gui --smoke``, both from process spawn to first rows shown (WORKBENCH_T0);
   the smoke run also gives each screen's first rows, filter keystrokes, sorts, scroll to the end,
   Ctrl+Enter to the next site (WORKBENCH_SMOKE_REVIEW=1) and the longest GUI-thread stall.
3. Import: a plain python-calamine read of a messy --rows list (whole process) against
   ``workbench import`` of the same file into a new database, then the same list again (re-import);
   peak resident memory (ru_maxrss of the child) of an import of --peak-rows rows.
Prints a Markdown table (for benchmarks/README.md) and, last, one JSON line with every number.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

def run(args: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run a child; returns (seconds from spawn to exit, its peak RSS in MB, stdout). Exits on failure."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), **(env or {})}
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True, env=full_env)
        out = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err.read()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out


def wb(*args: str) -> list[str]:
    return [sys.executable, "-m", "workbench", *args]


def spawn_json(args: list[str], env: dict | None = None) -> dict:
    """Run a child that prints one JSON line last, with WORKBENCH_T0 = its spawn time."""
    env = {**(env or {}), "WORKBENCH_T0": repr(time.time())}
    _s, _p, out = run(args, env)
    return json.loads(out.strip().splitlines()[-1])


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def compile_tree() -> None:
    """Byte-compile workbench/ before timing, as users run it (the bundle ships bytecode, a pip
    install compiles at install time): where PYTHONDONTWRITEBYTECODE is set, as on the machines
    these benchmarks ran on, every start would otherwise compile each module it imports again
    (about 35 ms of CPU of the window's opening and more on each screen's first showing)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "workbench")], check=True,
                   stdout=subprocess.DEVNULL)


def window_numbers(db: Path, repeat: int) -> dict:
    bare = [spawn_json([sys.executable, str(HERE / "bare_table_window.py"), str(db)])["open_from_spawn_ms"]
            for _ in range(repeat)]
    smokes = [spawn_json(wb("gui", "--db", str(db), "--smoke", "--inspector", "基准"), {"WORKBENCH_SMOKE_REVIEW": "1"})
              for _ in range(repeat)]
    # Like with like: the median run of each (the smoke shown is the run with the median opening).
    # Until 2026-12-03 the best smoke was divided by the median bare window, which flattered the ratio.
    smoke = sorted(smokes, key=lambda s: s["open_from_spawn_ms"])[len(smokes) // 2]
    return {"bare_open_ms": median(bare), "open_ms": smoke["open_from_spawn_ms"],
            "open_ratio": round(smoke["open_from_spawn_ms"] / median(bare), 2),
            "open_runs_ms": sorted(s["open_from_spawn_ms"] for s in smokes), "bare_runs_ms": sorted(bare),
            "stall_runs_ms": sorted(s["stall_ms"] for s in smokes), "smoke": smoke}


def import_numbers(rows: int, peak_rows: int, tmp: Path) -> dict:
    """The import part, measured by benchmarks/bench_import.py (whole processes, same run)."""
    sys.path.insert(0, str(HERE))
    import bench_import

    n = bench_import.measure(rows, peak_rows, 1, tmp)
    return {"import_rows": rows, **{k: v for k, v in n.items() if k != "rows"}}


def table(numbers: dict) -> str:
    s = numbers.get("smoke", {})
    screens = s.get("screens", {})
    lines = ["| measure | value | target |", "|---|---|---|"]
    if "open_ratio" in numbers:
        lines += [f"| window open → first rows (spawn) | {numbers['open_ms']} ms = {numbers['open_ratio']} × bare "
                  f"{numbers['bare_open_ms']} ms | ≤ 2 × |",
                  f"| slowest screen first rows | {max(v for v in screens.values() if v is not None)} ms "
                  f"({', '.join(f'{k} {v}' for k, v in screens.items())}) | < 300 ms |",
                  f"| filter keystroke p95 | {s.get('filter_p95_ms')} ms | < 100 ms |",
                  f"| slowest sort | {max(s.get('sort_ms', {}).values())} ms | < 300 ms |",
                  f"| scroll to end | {s.get('scroll_end_ms')} ms | < 100 ms |",
                  f"| Ctrl+Enter to next site | {s.get('review_next_ms')} ms | < 50 ms |",
                  f"| longest GUI-thread stall | {s.get('stall_ms')} ms | < 100 ms |"]
    if "import_ratio" in numbers:
        lines += [f"| import {numbers['import_rows']} rows | {numbers['import_s']} s = {numbers['import_ratio']} × "
                  f"calamine {numbers['calamine_s']} s | ≤ 2.5 × |",
                  f"| re-import same list | {numbers['reimport_s']} s = {numbers['reimport_ratio']} × first | ≤ 0.4 × |"]
        lines += [f"| import peak memory ({k.rsplit('_', 1)[1]} rows) | {v} MB | < 500 MB at 300,000 |"
                  for k, v in numbers.items() if k.startswith("import_peak_mb_")]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=300_000)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--peak-rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--db")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-window", action="store_true")
    parser.add_argument("--no-compile", action="store_true",
                        help="time the window from source, without byte-compiling workbench/ first")
    args = parser.parse_args()
    numbers: dict = {"sites": args.sites, "findings": args.findings}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = Path(args.db) if args.db else tmp / "scale.sqlite3"
        if not (args.reuse and db.exists()):
            for f in db.parent.glob(db.name + "*"):
                f.unlink()
            demo_s, _p, _o = run(wb("demo", "--db", str(db), "--sites", str(args.sites),
                                    "--findings", str(args.findings), "--inspector", "基准"))
            numbers["demo_s"] = round(demo_s, 1)
        if not args.skip_window:
            if not args.no_compile:
                compile_tree()
            numbers["bytecode"] = "source" if args.no_compile else "compiled"
            numbers.update(window_numbers(db, args.repeat))
        if not args.skip_import:
            numbers.update(import_numbers(args.rows, args.peak_rows, tmp))
    print(table(numbers))
    print(json.dumps(numbers, ensure_ascii=False))


if __name__ == "__main__":
    main()
