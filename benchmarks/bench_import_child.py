"""A first import with the list read in a child process against the same import read in-process.

Usage: python benchmarks/bench_import_child.py --file LIST.xlsx [--rounds 4] [--keep DIR]

Alternates, round by round, two whole ``workbench import`` commands of the same list into a fresh
database, each from spawn to exit: as shipped (a list of 1–20 MiB is read in a child process,
importers/reader_process.py) and with the child switched off (``CHILD_MAX_BYTES = 0``: read
in-process, as before). Prints each run's seconds, the CPU seconds of the process tree and its
peak memory (the sum of each process's peak, see bench_import.run), then the medians and their
ratio. On a shared machine run it with the session's scheduler priority raised (benchmarks/README.md).
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench_import import fresh, load, median, run, wb_import

IN_PROCESS = ("import sys; import workbench.importers.reader_process as r; r.CHILD_MAX_BYTES = 0; "
              "from workbench.cli import main; sys.exit(main(sys.argv[1:]))")


def measure(listing: Path, rounds: int, tmp: Path) -> dict:
    """The runs and medians (see the module docstring) as a dict of plain values."""
    runs: dict[str, list] = {"child": [], "in_process": []}
    out: dict = {"file": str(listing), "load_before": load()}
    for _ in range(rounds):
        for name in runs:
            args = wb_import(listing, fresh(tmp / "import.sqlite3"))
            if name == "in_process":
                args = [sys.executable, "-c", IN_PROCESS, *args[3:]]
            seconds, peak, cpu = run(args)
            runs[name].append((round(seconds, 2), round(cpu, 2), round(peak)))
            print(f"{name:10s} {seconds:6.2f} s  CPU {cpu:6.2f} s  peak {peak:4.0f} MB", flush=True)
    for name, values in runs.items():
        out[name] = values
        out[f"{name}_s"] = median([s for s, _, _ in values])
        out[f"{name}_cpu_s"] = median([c for _, c, _ in values])
        out[f"{name}_peak_mb"] = max(p for _, _, p in values)
    out["ratio"] = round(out["child_s"] / out["in_process_s"], 2)
    out["load_after"] = load()
    return out


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True, help="the list to import")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="keep the database in this folder")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        numbers = measure(args.file, args.rounds, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            numbers = measure(args.file, args.rounds, Path(tmp))
    print(f"median: child {numbers['child_s']} s, in-process {numbers['in_process_s']} s = {numbers['ratio']} ×;"
          f" CPU {numbers['child_cpu_s']} / {numbers['in_process_cpu_s']} s;"
          f" peak {numbers['child_peak_mb']} / {numbers['in_process_peak_mb']} MB")
    print(json.dumps(numbers, ensure_ascii=False))


if __name__ == "__main__":
    main()
