"""summary.figures stops when its cancel event is set (the overview's worker, issue 12)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from wbtest import make_ctx
from workbench.domain.progress import Cancelled
from workbench.services import campaigns, summary
from workbench.services.demo_scale import build_scale_demo


class CancelAfter(threading.Event):
    """An event that reads as set from its ``n``-th look on (as if set while the work runs)."""

    def __init__(self, n: int):
        super().__init__()
        self.n, self.looks = n, 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks >= self.n


SITES = 3000   # enough for a statement to run longer than CANCEL_CHECK_STEPS


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from workbench.storage.database import open_database

    path = tmp_path_factory.mktemp("figures") / "demo.sqlite3"
    conn = open_database(path)
    build_scale_demo(make_ctx(conn, today=date(2026, 12, 3)), sites=SITES, findings=300)
    conn.close()
    return path


@pytest.fixture
def demo(demo_db):
    from workbench.storage.database import open_database

    conn = open_database(demo_db)
    ctx = make_ctx(conn, today=date(2026, 12, 3))
    yield ctx, campaigns.list_campaigns(ctx)[0].id
    conn.close()


def test_figures_run_to_the_end_without_a_cancel(demo):
    ctx, cid = demo
    event = CancelAfter(10**9)
    assert summary.figures(ctx, cid, cancel=event).sites == SITES
    assert event.looks > 1                       # the statements looked at the event while running
    ctx.conn.execute("SELECT count(*) FROM site").fetchone()   # the handler is gone afterwards


def test_a_cancel_set_while_running_stops_the_statement(demo):
    ctx, cid = demo
    with pytest.raises(Cancelled):
        summary.figures(ctx, cid, cancel=CancelAfter(2))   # set after the first look
    assert ctx.conn.execute("SELECT count(*) FROM site").fetchone()[0] == SITES   # the connection still works
    assert ctx.conn.execute("PRAGMA temp_store").fetchone()[0] != 1            # low_memory restored


def test_a_cancel_set_before_it_starts(demo):
    ctx, cid = demo
    event = threading.Event()
    event.set()
    with pytest.raises(Cancelled):
        summary.figures(ctx, cid, cancel=event)
