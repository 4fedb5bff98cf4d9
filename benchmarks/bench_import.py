"""`workbench import` as whole processes against a bare python-calamine read of the same file (issue 12).

Usage: python benchmarks/bench_import.py [--rows 100000] [--peak-rows 300000] [--repeat 1]
                                         [--file F.xlsx] [--peak-file G.xlsx] [--keep DIR]

Every number is a child process timed from spawn to exit, measured in this run:

1. the baseline: a plain calamine read (open, load the first sheet, every cell to Python);
2. ``workbench import`` of the same --rows list into a new database (the first import);
3. the same command again on that database (a re-import of the same list: nothing changes, so
   the import finds the list unchanged since the last one and does not read it again), and once
   more with ``--reread`` (the list read and compared site by site, as when anything changed);
4. ``workbench import`` of a --peak-rows list into a new database, for its peak memory.

Peak memory is that of the command's whole process tree (a first import reads a big list in a
process of its own): the sum of each process's peak resident set (VmHWM), see :func:`run`. The lists are messy (benchmarks/generate_site_list.py) unless
--file/--peak-file are given. With --repeat R, each timing is the median of R runs (every
first import into a fresh database). The load average is printed before and after: the
ratios compare processes run under the same load, but on a shared machine they still move.

Targets (issue 12): import ≤ 2.5 × calamine; re-import ≤ 0.4 × first import; peak < 500 MB at
300,000 rows. The last line printed is one JSON object with every number.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CALAMINE_READ = ("import sys, python_calamine; b = python_calamine.CalamineWorkbook.from_path(sys.argv[1]); "
                 "print(len(b.get_sheet_by_index(0).to_python()))")


def run(args: list[str]) -> tuple[float, float, float]:
    """Run a child to completion; returns (seconds from spawn to exit, peak memory in MB, CPU
    seconds of it and its children).

    Peak memory is that of the whole process tree: a first import reads a big list in a child
    process of its own (importers/reader_process.py). It is the sum of each process's peak
    resident set (``VmHWM``, sampled every 20 ms while it runs), so it never undercounts two peaks
    that came at different times. (``os.wait4``'s ``ru_maxrss`` is the largest single process's,
    used only where there is no /proc.)

    Raises:
        SystemExit: the child failed (its stderr's end is shown).
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, env=env)
        peaks: dict[int, int] = {}
        done = threading.Event()
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peaks, done))
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(args)} failed:\n{err.read()[-2000:]}")
    if proc.pid not in peaks:   # no /proc: the command's own peak (Linux: KiB; the largest of its tree)
        peaks[proc.pid] = usage.ru_maxrss
    return seconds, sum(peaks.values()) / 1024, usage.ru_utime + usage.ru_stime


def _sample_tree(pid: int, peaks: dict[int, int], done: threading.Event) -> None:
    """Note the peak resident set (KiB) of ``pid`` and of every process below it until ``done``."""
    while not done.wait(0.02):
        for each in _tree(pid):
            try:
                with open(f"/proc/{each}/status") as f:
                    hwm = next((int(line.split()[1]) for line in f if line.startswith("VmHWM:")), 0)
            except OSError:   # ended meanwhile (or no /proc: the command's own peak still counts)
                continue
            peaks[each] = max(peaks.get(each, 0), hwm)


def _tree(pid: int) -> list[int]:
    """``pid`` and the processes below it (Linux /proc)."""
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    out += _tree(int(child))
    except OSError:
        pass
    return out


def wb_import(listing: Path, db: Path) -> list[str]:
    """The command line of one import of ``listing`` into ``db``."""
    return [sys.executable, "-m", "workbench", "import", str(listing), "--db", str(db), "--campaign", "基准",
            "--inspector", "基准"]


def fresh(db: Path) -> Path:
    """``db`` with any earlier database file (and its WAL) removed."""
    for f in db.parent.glob(db.name + "*"):
        f.unlink()
    return db


def median(values: list[float]) -> float:
    """The median (the upper one of an even count)."""
    return sorted(values)[len(values) // 2]


def load() -> str:
    """The 1/5/15-minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def listing(rows: int, given: Path | None, tmp: Path) -> Path:
    """The list to import: ``given``, or a generated messy list of ``rows`` rows."""
    if given is not None:
        return given
    path = tmp / f"list_{rows}.xlsx"
    run([sys.executable, str(HERE / "generate_site_list.py"), str(path), "--rows", str(rows)])
    return path


def measure(rows: int, peak_rows: int, repeat: int, tmp: Path, file: Path | None = None,
            peak_file: Path | None = None) -> dict:
    """The import numbers (see the module docstring) as a dict of plain values."""
    first_list = listing(rows, file, tmp)
    big = listing(peak_rows, peak_file, tmp) if peak_rows and (peak_rows != rows or peak_file) else None
    out: dict = {"rows": rows, "load_before": load()}
    db = tmp / "import.sqlite3"
    bare, first, again, reread, peaks = [], [], [], [], []
    for _ in range(repeat):
        bare.append(run([sys.executable, "-c", CALAMINE_READ, str(first_list)]))
        first.append(run(wb_import(first_list, fresh(db))))
        again.append(run(wb_import(first_list, db)))
        reread.append(run([*wb_import(first_list, db), "--reread"]))
    out["calamine_s"] = round(median([s for s, _, _ in bare]), 2)
    out["calamine_peak_mb"] = round(median([m for _, m, _ in bare]))
    out["calamine_cpu_s"] = round(median([c for _, _, c in bare]), 2)
    out["import_s"] = round(median([s for s, _, _ in first]), 2)
    out["import_ratio"] = round(out["import_s"] / out["calamine_s"], 2)
    out["import_cpu_s"] = round(median([c for _, _, c in first]), 2)
    out["reimport_s"] = round(median([s for s, _, _ in again]), 2)
    out["reimport_ratio"] = round(out["reimport_s"] / out["import_s"], 2)
    out["reread_s"] = round(median([s for s, _, _ in reread]), 2)
    out["reread_ratio"] = round(out["reread_s"] / out["import_s"], 2)
    out[f"import_peak_mb_{rows}"] = round(max(m for _, m, _ in first))
    out["reimport_peak_mb"] = round(max(m for _, m, _ in again))
    if big is not None:
        peaks.append(run([sys.executable, "-c", CALAMINE_READ, str(big)]))
        peaks.append(run(wb_import(big, fresh(tmp / "peak.sqlite3"))))
        out[f"calamine_peak_mb_{peak_rows}"] = round(peaks[0][1])
        out[f"import_s_{peak_rows}"] = round(peaks[1][0], 2)
        out[f"import_peak_mb_{peak_rows}"] = round(peaks[1][1])
    out["load_after"] = load()
    return out


def table(n: dict) -> str:
    """The numbers as the Markdown rows of benchmarks/README.md's table."""
    rows = n["rows"]
    lines = [f"| import {rows:,} rows (spawn → exit) | {n['import_s']} s = {n['import_ratio']} × calamine "
             f"{n['calamine_s']} s (CPU of the process tree {n['import_cpu_s']} s, calamine {n['calamine_cpu_s']} s)"
             " | ≤ 2.5 × |",
             f"| re-import same list | {n['reimport_s']} s = {n['reimport_ratio']} × first (read again with"
             f" --reread: {n['reread_s']} s = {n['reread_ratio']} ×) | ≤ 0.4 × |"]
    peaks = [f"{v} MB at {k.rsplit('_', 1)[1]}" for k, v in n.items() if k.startswith("import_peak_mb_")]
    lines.append(f"| import peak memory | {'; '.join(peaks)} | < 500 MB at 300,000 |")
    lines.append(f"(load average {n['load_before']} before, {n['load_after']} after)")
    return "\n".join(lines)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--peak-rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--file", type=Path, help="import this list instead of a generated one")
    parser.add_argument("--peak-file", type=Path, help="measure peak memory on this list")
    parser.add_argument("--keep", type=Path, help="generate lists and databases in this folder and keep them")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        numbers = measure(args.rows, args.peak_rows, args.repeat, args.keep, args.file, args.peak_file)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            numbers = measure(args.rows, args.peak_rows, args.repeat, Path(tmp), args.file, args.peak_file)
    print(table(numbers))
    print(json.dumps(numbers, ensure_ascii=False))


if __name__ == "__main__":
    main()
