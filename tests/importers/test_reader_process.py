"""Reading a site list in a child process gives what reading it in-process gives (issue 12).

importers/reader_process.py runs read_site_list in a spawned child so that, on two cores, the
reading overlaps the writing. Here: the same progress, records, result and errors as in-process
on every shared sample and on a messy list with hostile rows; the same stored data through a
whole first import; a cancel, a killed child and a child error leave nothing stored; a child
never outlives its parent.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wbtest import make_ctx
from workbench.domain.progress import Cancelled
from workbench.errors import InputFileError
from workbench.importers import reader_process
from workbench.importers.site_list import read_site_list
from workbench.importers.xlsx_guard import ReadLimits
from workbench.services import campaigns, import_undo, site_import
from workbench.storage.database import open_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from test_import_fast_path import messy_list, problems, stored  # noqa: E402

sys.path.pop(0)

SAMPLES = ["site_list_clean.xlsx", "site_list_2026Q4_messy.xlsx", "site_list_2026Q4_messy.xls",
           "site_list_gb18030.csv"]


@pytest.fixture(scope="module")
def listing(tmp_path_factory) -> Path:
    return messy_list(tmp_path_factory.mktemp("child") / "messy.xlsx", rows=2_000)


def read_both(path: Path, streamed: bool = True, **options):
    """(in-process, in child) each as (progress reports, record chunks, result)."""
    out = []
    for read in (read_site_list, reader_process.read_site_list_in_child):
        reports, chunks = [], []
        result = read(path, on_progress=reports.append,
                      on_records=(lambda records, chunks=chunks: chunks.append(list(records))) if streamed else None,
                      **options)
        out.append((reports, chunks, result))
    return out


@pytest.mark.parametrize("name", SAMPLES)
def test_a_sample_read_in_a_child_gives_what_it_gives_in_process(samples, name):
    (reports, chunks, result), child = read_both(samples / name)
    assert child == (reports, chunks, result)
    assert sum(map(len, chunks)) == result.sites > 0 and reports


def test_a_messy_list_read_in_a_child_gives_what_it_gives_in_process(listing):
    here, child = read_both(listing)
    assert child == here
    assert {p.code for p in here[2].problems} >= {"sponsor_mismatch", "conflicting_row", "formula_no_value",
                                                   "hidden_chars", "duplicate_row"}
    assert here[2].added_flags   # flags added after the records were handed over travel too
    # the records kept (not handed over) come back in the result
    here, child = read_both(listing, streamed=False, sheet="核查名单", limits=ReadLimits(ratio=50))
    assert child == here and len(here[2].records) > 2_000 and not here[1]


def import_into(path: Path, db: Path, child: bool, monkeypatch, cancel=None, on_progress=None):
    """A first import of ``path`` into a new campaign of a new database, its list read in a child
    or in-process; returns (ctx, campaign, report or the error raised)."""
    conn = open_database(db)
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "子进程")
    used = []
    in_child = reader_process.read_site_list_in_child
    with monkeypatch.context() as m:
        m.setattr(reader_process, "CHILD_MIN_BYTES", 0 if child else 1 << 62)
        m.setattr(reader_process, "CHILD_MAX_BYTES", 1 << 62)
        m.setattr(reader_process, "read_site_list_in_child", lambda *a, **k: used.append(1) or in_child(*a, **k))
        try:
            outcome = site_import.import_site_list(ctx, campaign.id, path, cancel=cancel, on_progress=on_progress)
        except Exception as err:   # the test looks at it
            outcome = err
    assert bool(used) is child
    return ctx, campaign, outcome


def test_a_first_import_read_in_a_child_stores_what_the_in_process_read_stores(listing, tmp_path, monkeypatch):
    a_ctx, a_campaign, a = import_into(listing, tmp_path / "child.sqlite3", True, monkeypatch)
    b_ctx, b_campaign, b = import_into(listing, tmp_path / "here.sqlite3", False, monkeypatch)
    assert a.summary == b.summary and problems(a) == problems(b)
    mine, theirs = stored(a_ctx.conn, a_campaign.id), stored(b_ctx.conn, b_campaign.id)
    for key in mine:
        assert mine[key] == theirs[key], key
    assert import_undo.counts(a_ctx, a.run_id) == import_undo.counts(b_ctx, b.run_id)
    for ctx in (a_ctx, b_ctx):
        ctx.conn.close()
    assert not multiprocessing.active_children()


def test_only_lists_of_a_middle_size_are_read_in_a_child(tmp_path, monkeypatch):
    monkeypatch.setattr(reader_process, "CHILD_MIN_BYTES", 10)
    monkeypatch.setattr(reader_process, "CHILD_MAX_BYTES", 20)
    sizes = {n: tmp_path / f"{n}.csv" for n in (9, 10, 20, 21)}
    for n, path in sizes.items():
        path.write_bytes(b"x" * n)
    assert [reader_process.use_child(p) for p in sizes.values()] == [False, True, True, False]
    assert not reader_process.use_child(tmp_path / "none.csv")


def nothing_stored(ctx, campaign) -> bool:
    return all(ctx.conn.execute(f"SELECT count(*) FROM {table} WHERE campaign_id = ?", (campaign.id,)).fetchone()[0]
               == 0 for table in ("site", "sponsor", "import_run"))


def test_a_cancel_terminates_the_child_and_stores_nothing(listing, tmp_path, monkeypatch):
    cancel, seen = threading.Event(), []

    def progress(p):
        seen.append(p)
        if len(seen) == 3:   # records were stored meanwhile by then
            cancel.set()

    ctx, campaign, outcome = import_into(listing, tmp_path / "c.sqlite3", True, monkeypatch, cancel, progress)
    assert isinstance(outcome, Cancelled)
    assert not multiprocessing.active_children()
    assert nothing_stored(ctx, campaign)
    ctx.conn.close()


def test_a_child_killed_by_the_system_gives_a_clear_error_and_stores_nothing(listing, tmp_path, monkeypatch):
    def progress(p):
        for child in multiprocessing.active_children():
            if child.name == "site-list-reader":
                os.kill(child.pid, signal.SIGKILL)
                child.join()

    ctx, campaign, outcome = import_into(listing, tmp_path / "k.sqlite3", True, monkeypatch, on_progress=progress)
    assert isinstance(outcome, reader_process.ChildReadError)
    assert str(outcome) == (f"文件 {listing.name}：读取名单的进程被结束（信号 9），可能是内存不足或被其他程序结束；"
                            "未导入任何内容，数据库保持原样，可以重新导入")
    assert nothing_stored(ctx, campaign)
    assert not multiprocessing.active_children()
    ctx.conn.close()


def test_an_error_in_the_child_names_file_row_and_column_as_in_process(tmp_path, monkeypatch):
    bad = tmp_path / "名单.csv"
    rows = ["序号,主办单位名称,网站备案号,网站域名"] + [f"{n},某公司,鲁ICP备1234567{n}号-1,a{n}.cn" for n in range(1, 6)]
    bad.write_bytes("\n".join(rows).encode("utf-8") + b"\n6,\x00,x,y\n")
    errors = []
    for read in (read_site_list, reader_process.read_site_list_in_child):
        with pytest.raises(InputFileError) as caught:
            read(bad, on_records=lambda records: None)
        errors.append(caught.value)
    here, child = errors
    assert (str(child), child.path, child.row, child.column) == (str(here), here.path, here.row, here.column)
    assert child.row == 7 and child.path == str(bad)
    assert "Traceback" in str(child.__cause__)    # the child's traceback, for a developer
    ctx, campaign, outcome = import_into(bad, tmp_path / "e.sqlite3", True, monkeypatch)
    assert isinstance(outcome, InputFileError) and str(outcome) == str(here)
    assert nothing_stored(ctx, campaign)
    ctx.conn.close()


PARENT = """
import multiprocessing, sys, time
from workbench.importers.reader_process import read_site_list_in_child

def progress(p):
    child = multiprocessing.active_children()[0]
    print(child.pid, flush=True)
    time.sleep(120)   # killed meanwhile

if __name__ == "__main__":   # the spawned child imports this script again
    read_site_list_in_child(sys.argv[1], on_progress=progress, on_records=lambda r: None)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_the_child_does_not_outlive_a_killed_parent(listing, tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen([sys.executable, str(script), str(listing)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        child = int(parent.stdout.readline())
        assert _running(child)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 20
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(child)
    finally:
        parent.kill()
        parent.stdout.close()


def _running(pid: int) -> bool:
    """True while ``pid`` exists and is no zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
