"""Time read_site_list against a plain python-calamine read of the same file, and its peak memory.

Usage: python benchmarks/bench_import.py [--rows N] [--file F.xlsx] [--repeat R]

Generates an N-row messy list (benchmarks/generate_site_list.py, in a child process so its
memory is not counted) unless --file is given, then, in one process, times a plain calamine
read (open, load the sheet, all cells to Python) and a full import, best of R runs each.
peak_mb is the peak resident set (resource.getrusage ru_maxrss) of a fresh child process
that runs one import, so it counts calamine's native memory and the interpreter, but not
the plain read; py_peak_mb is tracemalloc's peak of Python allocations during one import. Targets: ratio ≤ 2.5, peak_mb < 400 for 100,000 rows.
The last line printed is one JSON object with keys rows (--rows, or the data rows of --file),
ratio, peak_mb (and the details).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import python_calamine

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from workbench.importers.site_list import read_site_list  # noqa: E402


def plain_read(path: Path) -> int:
    """The baseline: every cell of the first sheet as Python values; returns the row count."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return len(book.get_sheet_by_index(0).to_python())


def best_time(func, path: Path, repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``func(path)``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(path)
        times.append(time.perf_counter() - start)
    return min(times)


def peak_import_mb(path: Path) -> float:
    """Peak Python memory traced by tracemalloc during one import, in MiB."""
    tracemalloc.start()
    read_site_list(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def peak_rss_mb(path: Path) -> float:
    """Peak RSS of a child process that imports ``path`` once, in MiB."""
    child = [sys.executable, str(Path(__file__).resolve()), "--rss-child", str(path)]
    return float(subprocess.run(child, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rss-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        read_site_list(args.rss_child)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # Linux: KiB
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / f"site_list_{args.rows}.xlsx"
        if args.file is None:
            print(f"generating {args.rows} rows → {path}", flush=True)
            script = HERE / "generate_site_list.py"
            subprocess.run([sys.executable, str(script), "--rows", str(args.rows), str(path)], check=True)
        # First, while this process is small: Linux keeps ru_maxrss across fork and exec, so a
        # child started later would inherit this process's peak.
        rss_mb = peak_rss_mb(path)
        plain = best_time(plain_read, path, args.repeat)
        full = best_time(read_site_list, path, args.repeat)
        result = read_site_list(path).summary()
        py_peak_mb = peak_import_mb(path)
    print(f"plain calamine read: {plain:.2f} s; read_site_list: {full:.2f} s")
    print(f"sites {result['sites']}, problems {len(result['problems'])}")
    report = {
        "rows": args.rows if args.file is None else result["data_rows"],
        "ratio": round(full / plain, 2), "peak_mb": round(rss_mb, 1),
        "py_peak_mb": round(py_peak_mb, 1), "plain_s": round(plain, 3), "full_s": round(full, 3),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
