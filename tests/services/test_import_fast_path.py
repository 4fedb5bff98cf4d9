"""The streamed first import stores what the reference path stores (issue 12).

A first import into an empty campaign writes its sites while the list is read
(storage/site_stream.py) and notes its undo log from the values it writes; any other import
reads the whole list, then stores it with ``site_repo.store_site_list`` while the undo triggers
of ``import_undo_repo.capture`` watch. Both run here on one messy list (the benchmark's
distortions plus hostile rows that make the streamed writer correct rows afterwards) and must
leave the same sites, sponsors, domains, search hits, report and undo behaviour.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from wbtest import make_ctx
from workbench.services import campaigns, import_undo, removals, site_import, sites
from workbench.storage import import_undo_repo, site_repo, site_stream
from workbench.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_site_list import HEADERS, clean_row, messy_row  # noqa: E402

sys.path.remove(str(ROOT / "benchmarks"))

#: More sites than site_repo.BULK_MIN_SITES, so both paths set indexes and triggers aside.
ROWS = 2_400
#: Site columns that differ between two imports of one list (keys and times).
VOLATILE = {"id", "campaign_id", "sponsor_id", "created_at", "updated_at"}
SEARCHES = ("测试12", "haiyue", "鲁icp备2016", "阿里云", "站", "xn--", "济南市", "1370102", "‮", "号-2")


def hostile_rows(rng: random.Random, written: list[list]) -> list[list]:
    """Rows that make the streamed writer put sites right after writing them: a sponsor whose
    first row has a wrong USCC check digit (a later row corrects it), another sponsor's later
    row naming it differently, a repeat with other data (conflicting_row), formulas without a
    cached value, hidden characters, quotes and backslashes, several and empty domain cells,
    and the first sponsor once more at the end of the list (the writer no longer holds it)."""
    base = clean_row(90_001, rng)
    subject = base[5]
    bad = [*base]
    bad[4] = bad[4][:17] + ("0" if bad[4][17] != "0" else "1")        # wrong check digit
    later = clean_row(90_001, rng)
    later[7] = f"{subject}-2"
    later[8] = "second90001.cn；第三.中国；m.second90001.cn"
    renamed = clean_row(90_001, rng)
    renamed[7], renamed[2], renamed[4] = f"{subject}-3", "另一个名字有限公司", ""
    far = [*later]   # the same sponsor again at the list's end, in another city
    far[1] = "威海市" if later[1] != "威海市" else "济南市"
    far[7], far[8], far[9] = f"{subject}-4", "far90001.cn", ""
    conflict = [*written[10]]
    conflict[9] = "https://conflict.example.com/"
    formula = clean_row(90_002, rng)
    formula[6], formula[17] = "=B2&C2", "=1/0"
    hidden = clean_row(90_003, rng)
    hidden[6] = "网站\u202e名称\u200b'\"\\"
    hidden[17] = "备注 \"引号\" 与 \\ 反斜杠\n换行"
    hidden[2] = "\u200b隐藏字符有限公司"
    no_domain = clean_row(90_004, rng)
    no_domain[8] = ""
    neither = clean_row(90_005, rng)
    neither[8] = neither[9] = ""
    return [bad, later, renamed, conflict, formula, hidden, no_domain, neither,
            [None, "", "（无备案号）"] + [""] * 15, far]


def messy_list(path: Path, rows: int = ROWS) -> Path:
    """A messy list as benchmarks/generate_site_list.py makes them, with :func:`hostile_rows`
    spread through it."""
    rng = random.Random(12)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("核查名单")
    sheet.append(["网站备案信息准确性核查名单"])
    sheet.append(list(HEADERS))
    written: list[list] = []
    hostile: list[list] = []
    for n in range(1, rows + 1):
        row = messy_row(n, rng)
        if n % 400 == 0:
            row = [n, *rng.choice(written)[1:]]            # duplicate but for 序号
        elif n == 50:
            hostile = hostile_rows(rng, written)
        sheet.append(row)
        written.append(row)
        if n in (60, 700, 1500) and hostile:
            sheet.append(hostile.pop(0))
            sheet.append(hostile.pop(0))
            sheet.append(hostile.pop(0))
        if n == 1000:
            sheet.append([])
    for row in hostile:
        sheet.append(row)
    sheet.append([f"合计：{rows} 条"])
    book.save(path)
    return path


def stored(conn, campaign_id: str) -> dict:
    """Everything the import stored, by natural keys (ids and times left out)."""
    site_cols = [r[1] for r in conn.execute("PRAGMA table_info(site)") if r[1] not in VOLATILE]
    sponsor_cols = [r[1] for r in conn.execute("PRAGMA table_info(sponsor)") if r[1] not in VOLATILE]
    out = {
        "sites": sorted(tuple(r) for r in conn.execute(
            f"SELECT {', '.join('s.' + c for c in site_cols)}, p.subject_filing_no, p.name FROM site s"
            " JOIN sponsor p ON p.id = s.sponsor_id WHERE s.campaign_id = ?", (campaign_id,))),
        "sponsors": sorted(tuple(r) for r in conn.execute(
            f"SELECT {', '.join(sponsor_cols)} FROM sponsor WHERE campaign_id = ?", (campaign_id,))),
        "domains": sorted(tuple(r) for r in conn.execute(
            "SELECT s.site_filing_no, d.position, d.domain, d.ascii FROM site_domain d JOIN site s ON s.id = d.site_id"
            " WHERE s.campaign_id = ?", (campaign_id,))),
        "searches": {text: (sites.count(sites_ctx(conn), campaign_id, text),
                            [s.site_filing_no for s in sites.page(sites_ctx(conn), campaign_id, text=text, limit=50)])
                     for text in SEARCHES},
        "schema": sorted(tuple(r) for r in conn.execute("SELECT type, name, sql FROM sqlite_master")),
    }
    conn.execute("INSERT INTO site_search(site_search) VALUES ('integrity-check')")
    return out


def sites_ctx(conn):
    return make_ctx(conn)


def import_list(path: Path, db: Path, monkeypatch, streamed: bool):
    """Import ``path`` into a new campaign of a new database ``db`` by one path or the other."""
    conn = open_database(db)
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "一致性")
    with monkeypatch.context() as m:
        if not streamed:
            m.setattr(site_stream, "campaign_is_empty", lambda *_: False)
        calls = []
        m.setattr(site_repo, "store_site_list", _counting(site_repo.store_site_list, calls))
        m.setattr(site_import, "store_site_list", _counting(site_import.store_site_list, calls))
        report = site_import.import_site_list(ctx, campaign.id, path)
    assert bool(calls) is not streamed            # the path asked for was taken
    return ctx, campaign, report


def _counting(func, calls: list):
    def wrapper(*args, **kwargs):
        calls.append(1)
        return func(*args, **kwargs)
    return wrapper


def problems(report) -> list[tuple]:
    return [(p.row, p.column, p.code, p.severity, p.message, p.value) for p in report.problems]


@pytest.fixture(scope="module")
def listing(tmp_path_factory) -> Path:
    return messy_list(tmp_path_factory.mktemp("fast") / "messy.xlsx")


@pytest.mark.parametrize("recent", [site_stream.RECENT_SPONSORS, 1])
def test_the_streamed_import_stores_what_the_reference_path_stores(listing, tmp_path, monkeypatch, recent):
    # recent=1: the writer reads back every earlier sponsor it meets again (as past 4,096 sponsors)
    monkeypatch.setattr(site_stream, "RECENT_SPONSORS", recent)
    fast_ctx, fast_campaign, fast = import_list(listing, tmp_path / "fast.sqlite3", monkeypatch, streamed=True)
    ref_ctx, ref_campaign, ref = import_list(listing, tmp_path / "ref.sqlite3", monkeypatch, streamed=False)
    assert fast.summary == ref.summary
    assert fast.summary["added"] > site_repo.BULK_MIN_SITES
    assert problems(fast) == problems(ref)
    codes = {p.code for p in fast.problems}
    assert {"sponsor_mismatch", "conflicting_row", "formula_no_value", "hidden_chars", "uscc_check_digit",
            "domain_from_homepage", "domain_missing", "duplicate_row"} <= codes
    a, b = stored(fast_ctx.conn, fast_campaign.id), stored(ref_ctx.conn, ref_campaign.id)
    for key in a:
        assert a[key] == b[key], key
    assert any(hits for hits, _ in a["searches"].values())
    # the undo log: the same counts, nothing moved since, and undo/redo give the same tables
    assert import_undo.counts(fast_ctx, fast.run_id) == import_undo.counts(ref_ctx, ref.run_id)
    for ctx, report in ((fast_ctx, fast), (ref_ctx, ref)):
        assert import_undo_repo.moved(ctx.conn, report.run_id, "after") == []
        assert ctx.conn.execute("SELECT count(*) FROM temp.sqlite_master WHERE name LIKE 'wb_undo_%'"
                                ).fetchone()[0] == 0
    hashes = dict(fast_ctx.conn.execute("SELECT entity_id, after_hash FROM import_change WHERE import_run_id = ?",
                                        (fast.run_id,)).fetchall())
    assert all(h.startswith(import_undo_repo.VALUES_HASH) for h in hashes.values())
    for ctx, report, campaign in ((fast_ctx, fast, fast_campaign), (ref_ctx, ref, ref_campaign)):
        after = _dump(ctx.conn)
        removal = removals.remove(ctx, removals.plan_import(ctx, report.run_id))
        assert ctx.conn.execute("SELECT count(*) FROM site WHERE campaign_id = ?", (campaign.id,)).fetchone()[0] == 0
        assert ctx.conn.execute("SELECT count(*) FROM sponsor WHERE campaign_id = ?", (campaign.id,)).fetchone()[0] == 0
        removals.restore(ctx, removal.id)
        assert _dump(ctx.conn) == after
        assert import_undo_repo.moved(ctx.conn, report.run_id, "after") == []
    for ctx in (fast_ctx, ref_ctx):
        ctx.conn.close()


def test_a_row_changed_after_a_streamed_import_stops_its_undo(listing, tmp_path, monkeypatch):
    ctx, campaign, report = import_list(listing, tmp_path / "fast.sqlite3", monkeypatch, streamed=True)
    site = ctx.conn.execute("SELECT id FROM site WHERE campaign_id = ? ORDER BY source_row LIMIT 1 OFFSET 7",
                            (campaign.id,)).fetchone()[0]
    ctx.conn.execute("UPDATE site SET contact_phone = '13800000000' WHERE id = ?", (site,))
    assert import_undo_repo.moved(ctx.conn, report.run_id, "after") == [("site", site)]
    ctx.conn.execute("UPDATE site_domain SET ascii = 'x.cn' WHERE site_id <> ? AND position = 0 AND id ="
                     " (SELECT min(id) FROM site_domain WHERE site_id <> ?)", (site, site))
    assert len(import_undo_repo.moved(ctx.conn, report.run_id, "after")) == 2
    with pytest.raises(Exception, match="又被修改过"):
        removals.plan_import(ctx, report.run_id)
    ctx.conn.close()


def _dump(conn) -> dict:
    return {t: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {t}")) for t in ("sponsor", "site", "site_domain")}


def test_ordered_ids_are_uuid_text_in_order():
    import uuid

    from workbench.storage.records import ordered_ids

    supply = ordered_ids()
    ids = [next(supply) for _ in range(3000)]
    assert ids == sorted(ids) and len(set(ids)) == 3000
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert next(ordered_ids())[:8] != "00000000" and date.today().year >= 2025


def test_a_streamed_read_keeps_no_record(listing):
    """Issue 12: records handed over while reading are not kept (a 300,000-row list's records
    took ~470 MB); the result counts the sites and names the late flags by first row."""
    import gc

    from workbench.domain.site import SiteRecord
    from workbench.importers.site_list import read_site_list

    handed: list[int] = []
    result = read_site_list(listing, on_records=lambda records: handed.append(len(records)))
    gc.collect()
    alive = sum(isinstance(o, SiteRecord) for o in gc.get_objects())
    assert result.records == () and result.site_count == sum(handed) > ROWS // 2
    assert alive < 50, f"{alive} records still alive after the read"
    whole = read_site_list(listing)
    assert result.sites == whole.sites and result.summary({"domains": 0, "subjects": 0})["problems"] == [
        p.as_dict() for p in whole.problems]
    late = {r.source_row: tuple(f for f in r.flags if f in ("conflicting_row", "formula_no_value"))
            for r in whole.records}
    assert result.added_flags == {row: flags for row, flags in late.items() if flags}
