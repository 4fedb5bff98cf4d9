"""Re-importing an unchanged list records the outcome without reading it again, only when that
outcome is certain (services/import_shortcut.py, issue 12).

The shortcut's run is compared with the full path's on two copies of one database: same report,
problems, run rows, stored sites and undo behaviour. Every change that could make reading the
list give another outcome must make the import read it: another file, other options, another
importer, another day for a list with dates after today, any write to the campaign's sites,
sponsors or domains (by hand, by an undo or its redo, by removing and restoring the campaign,
or merged from another laptop's package).
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wbtest import make_ctx
from workbench.domain.review_record import FieldCheck
from workbench.services import (
    campaigns,
    import_shortcut,
    import_undo,
    removals,
    reviews,
    site_import,
)
from workbench.storage import import_basis_repo
from workbench.storage.database import open_database

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_import_fast_path import messy_list, stored  # noqa: E402

sys.path.remove(str(Path(__file__).resolve().parent))

ROWS = 300


@pytest.fixture(scope="module")
def lists(tmp_path_factory) -> dict[str, Path]:
    """``list``: a messy list; ``older``: the same with 40 more sites and other values in
    some cells, imported first so that the list's re-import has changes, kept sites and
    missing ones; ``no_phone``: the list without its 联系电话 column."""
    root = tmp_path_factory.mktemp("shortcut")
    listing = messy_list(root / "list.xlsx", ROWS)
    older = messy_list(root / "older.xlsx", ROWS + 40)
    book = load_workbook(older)
    sheet = book.active
    for r in range(10, 20):
        sheet.cell(r, 7).value = f"旧名称{r}"
    book.save(older)
    book = load_workbook(listing)
    sheet = book.active
    column = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(2, c).value == "联系电话")
    sheet.delete_cols(column)
    book.save(root / "no_phone.xlsx")
    return {"list": listing, "older": older, "no_phone": root / "no_phone.xlsx"}


def _ctx(db: Path):
    return make_ctx(open_database(db))


def _copy(ctx, to: Path):
    dest = sqlite3.connect(to)
    ctx.conn.backup(dest)
    dest.close()
    return _ctx(to)


def _prepared(tmp_path, lists, first: str = "older", then: str = "list"):
    """A campaign that imported ``first`` and then ``then``."""
    ctx = _ctx(tmp_path / "base.sqlite3")
    campaign = campaigns.create_campaign(ctx, "快捷")
    site_import.import_site_list(ctx, campaign.id, lists[first])
    site_import.import_site_list(ctx, campaign.id, lists[then])
    return ctx, campaign


def _import(ctx, campaign, path, **kw):
    report = site_import.import_site_list(ctx, campaign.id, path, **kw)
    return report


def _no_reading(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("the list was read")
    monkeypatch.setattr(site_import, "read_site_list", refuse)


def _run_rows(ctx, run_id):
    run = ctx.conn.execute("SELECT file_name, file_sha256, sheet, header_row, stats, device, inspector"
                           " FROM import_run WHERE id = ?", (run_id,)).fetchone()
    problems = ctx.conn.execute("SELECT row, column_name, code, severity, message, value FROM import_problem"
                                " WHERE import_run_id = ? ORDER BY rowid", (run_id,)).fetchall()
    return tuple(run), [tuple(p) for p in problems]


def _problems(report):
    return [(p.row, p.column, p.code, p.severity, p.message, p.value) for p in report.problems]


@pytest.mark.parametrize(("first", "then"), [("older", "list"), ("list", "no_phone")])
def test_an_unchanged_reimport_records_what_the_full_path_records(lists, tmp_path, monkeypatch, first, then):
    ctx, campaign = _prepared(tmp_path, lists, first, then)
    full_ctx = _copy(ctx, tmp_path / "full.sqlite3")
    full = _import(full_ctx, campaign, lists[then], shortcut=False)
    with monkeypatch.context() as m:
        _no_reading(m)
        quick = _import(ctx, campaign, lists[then])
    assert quick.reread is False and full.reread is True
    assert quick.summary == full.summary
    assert list(quick.summary) == list(full.summary)
    assert quick.summary["unchanged"] == quick.summary["sites"] > 0
    assert quick.summary["added"] == quick.summary["changed"] == 0
    assert _problems(quick) == _problems(full)
    assert (quick.changes.added, quick.changes.changed, quick.changes.unchanged, quick.changes.missing) == \
        (full.changes.added, full.changes.changed, full.changes.unchanged, full.changes.missing)
    if first == "older":
        assert len(quick.changes.missing) == 40
    else:
        assert any(p.code == "column_absent" for p in quick.problems)   # kept values, reported again
    assert _run_rows(ctx, quick.run_id) == _run_rows(full_ctx, full.run_id)
    a, b = stored(ctx.conn, campaign.id), stored(full_ctx.conn, campaign.id)
    for key in a:
        assert a[key] == b[key], key
    assert quick.result.file == full.result.file and quick.result.sheet == full.result.sheet
    assert quick.result.header_row == full.result.header_row and quick.result.format == full.result.format
    assert quick.result.sha256 == full.result.sha256
    # its undo takes back what the full path's undo takes back, and nothing is trusted after it
    assert import_undo.counts(ctx, quick.run_id) == import_undo.counts(full_ctx, full.run_id)
    for c in (ctx, full_ctx):
        run = import_undo.get_run(c, quick.run_id if c is ctx else full.run_id)
        import_undo.undo(c, run, run.label, "撤销")
    assert stored(ctx.conn, campaign.id) == stored(full_ctx.conn, campaign.id)
    assert import_basis_repo.current(ctx.conn, campaign.id) is None
    # and a second unchanged re-import after a full one takes the shortcut as well
    assert _import(full_ctx, campaign, lists[then]).reread is True     # after the undo: read
    assert _import(full_ctx, campaign, lists[then]).reread is False


def test_a_review_does_not_stop_the_shortcut(lists, tmp_path, monkeypatch):
    """A review (and the finding it raises) is never read or written by an import."""
    ctx, campaign = _prepared(tmp_path, lists)
    site = ctx.conn.execute("SELECT id, name FROM site WHERE campaign_id = ? AND present = 1 LIMIT 1",
                            (campaign.id,)).fetchone()
    reviews.record_review(ctx, site[0], [FieldCheck("site_name", site[1], site[1], "match")], "accurate")
    full_ctx = _copy(ctx, tmp_path / "full.sqlite3")
    with monkeypatch.context() as m:
        _no_reading(m)
        quick = _import(ctx, campaign, lists["list"])
    full = _import(full_ctx, campaign, lists["list"], shortcut=False)
    assert quick.summary == full.summary
    assert stored(ctx.conn, campaign.id) == stored(full_ctx.conn, campaign.id)


def _taken(ctx, campaign, path, **kw) -> bool:
    return not _import(ctx, campaign, path, **kw).reread


def _first_site(ctx, campaign):
    return ctx.conn.execute("SELECT id FROM site WHERE campaign_id = ? AND present = 1 ORDER BY source_row LIMIT 1",
                            (campaign.id,)).fetchone()[0]


CHANGES = {
    "site value": lambda ctx, c: ctx.conn.execute(
        "UPDATE site SET contact_phone = '13800000000' WHERE id = ?", (_first_site(ctx, c),)),
    "site absent": lambda ctx, c: ctx.conn.execute(
        "UPDATE site SET present = 0 WHERE id = ?", (_first_site(ctx, c),)),
    "site flags": lambda ctx, c: ctx.conn.execute(
        "UPDATE site SET flags = '[]' WHERE campaign_id = ? AND flags <> '[]'", (c.id,)),
    "domain": lambda ctx, c: ctx.conn.execute(
        "UPDATE site_domain SET domain = 'x.cn' WHERE site_id = ? AND position = 0", (_first_site(ctx, c),)),
    "domain removed": lambda ctx, c: ctx.conn.execute(
        "DELETE FROM site_domain WHERE site_id = ?", (_first_site(ctx, c),)),
    "sponsor": lambda ctx, c: ctx.conn.execute(
        "UPDATE sponsor SET name = '改名有限公司' WHERE id = (SELECT sponsor_id FROM site WHERE id = ?)",
        (_first_site(ctx, c),)),
    "site removed": lambda ctx, c: ctx.conn.execute(
        "DELETE FROM site WHERE id = (SELECT id FROM site WHERE campaign_id = ? AND present = 0 LIMIT 1)", (c.id,)),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_write_to_the_campaigns_sites_makes_the_import_read_the_list(lists, tmp_path, change):
    ctx, campaign = _prepared(tmp_path, lists)
    CHANGES[change](ctx, campaign)
    ctx.conn.commit()
    full_ctx = _copy(ctx, tmp_path / "full.sqlite3")
    report = _import(ctx, campaign, lists["list"])
    assert report.reread is True
    assert report.summary == _import(full_ctx, campaign, lists["list"], shortcut=False).summary
    assert _taken(ctx, campaign, lists["list"])        # and once read, the next one is unchanged again


def test_another_file_or_other_options_make_the_import_read_the_list(lists, tmp_path, monkeypatch):
    ctx, campaign = _prepared(tmp_path, lists)
    changed = tmp_path / "one_cell.xlsx"
    book = load_workbook(lists["list"])
    book.active.cell(5, 17).value = "改了一个单元格"
    book.save(changed)
    report = _import(ctx, campaign, changed)
    assert report.reread is True and report.summary["changed"] == 1
    assert not _taken(ctx, campaign, lists["list"])     # the list again: read (the last import was another file)
    assert _taken(ctx, campaign, lists["list"])
    assert not _taken(ctx, campaign, lists["list"], sheet="核查名单")     # a sheet asked for by name
    assert _taken(ctx, campaign, lists["list"], sheet="核查名单")
    mapping = dict(site_import.preview(ctx, lists["list"]).mapping)
    assert not _taken(ctx, campaign, lists["list"], mapping=mapping)   # a mapping given (and now remembered)
    assert _taken(ctx, campaign, lists["list"], mapping=mapping)
    assert not _taken(ctx, campaign, lists["list"])    # no mapping: depends on the remembered ones
    assert _taken(ctx, campaign, lists["list"])
    ctx.conn.execute("UPDATE column_mapping SET mapping = '{\"0\": \"site_filing_no\"}'")
    ctx.conn.commit()
    assert not _taken(ctx, campaign, lists["list"])
    monkeypatch.setattr(import_shortcut, "importer_version", lambda: "another importer")
    assert not _taken(ctx, campaign, lists["list"])
    assert _taken(ctx, campaign, lists["list"])
    ctx.settings.import_unpacked_limit_mb += 1
    assert not _taken(ctx, campaign, lists["list"])


def test_a_list_with_dates_after_today_is_read_again_the_next_day(lists, tmp_path, monkeypatch):
    future = tmp_path / "future.xlsx"
    book = load_workbook(lists["list"])
    column = next(c for c in range(1, book.active.max_column + 1) if book.active.cell(2, c).value == "审核通过日期")
    book.active.cell(6, column).value = (date.today() + timedelta(days=3)).isoformat()
    book.save(future)
    ctx, campaign = _prepared(tmp_path, lists, "older", "list")
    assert _import(ctx, campaign, future).reread
    assert _taken(ctx, campaign, future)
    assert _taken(ctx, campaign, lists["list"]) is False
    assert _taken(ctx, campaign, lists["list"])
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    monkeypatch.setattr(import_shortcut, "today", lambda: tomorrow)
    assert _taken(ctx, campaign, lists["list"])     # no date after today in it: the day does not matter
    assert not _taken(ctx, campaign, future)
    assert _taken(ctx, campaign, future)


def test_undo_redo_and_a_restored_campaign_make_the_import_read_the_list(lists, tmp_path):
    ctx, campaign = _prepared(tmp_path, lists)
    quick = _import(ctx, campaign, lists["list"])
    assert quick.reread is False
    removal = removals.remove(ctx, removals.plan_import(ctx, quick.run_id))   # undo of the shortcut's run
    assert not _taken(ctx, campaign, lists["list"])
    last = _import(ctx, campaign, lists["list"])
    assert last.reread is False
    removal = removals.remove(ctx, removals.plan_import(ctx, last.run_id))
    removals.restore(ctx, removal.id)                                          # redo
    assert not _taken(ctx, campaign, lists["list"])
    assert _taken(ctx, campaign, lists["list"])
    removal = removals.remove(ctx, removals.plan_campaign(ctx, campaign.id))
    removals.restore(ctx, removal.id)
    assert not _taken(ctx, campaign, lists["list"])
    assert _taken(ctx, campaign, lists["list"])


def test_a_streamed_first_import_is_a_basis_too(lists, tmp_path, monkeypatch):
    ctx = _ctx(tmp_path / "db.sqlite3")
    campaign = campaigns.create_campaign(ctx, "首次")
    first = _import(ctx, campaign, lists["list"])
    full_ctx = _copy(ctx, tmp_path / "full.sqlite3")
    with monkeypatch.context() as m:
        _no_reading(m)
        quick = _import(ctx, campaign, lists["list"])
    full = _import(full_ctx, campaign, lists["list"], shortcut=False)
    assert first.summary["added"] == quick.summary["unchanged"] == full.summary["unchanged"]
    assert quick.summary == full.summary and _problems(quick) == _problems(full)


def test_a_campaign_without_a_basis_is_imported_without_hashing_the_file_first(lists, tmp_path, monkeypatch):
    """A first import (or one after an undo) has nothing to compare with: the file was read whole
    and hashed, and every workbench source hashed, only to find no basis."""
    def refuse(_path):
        raise AssertionError("the file was read for the shortcut")

    ctx = _ctx(tmp_path / "db.sqlite3")
    campaign = campaigns.create_campaign(ctx, "首次")
    with monkeypatch.context() as m:
        m.setattr(import_shortcut, "identify", refuse)
        first = _import(ctx, campaign, lists["list"])
    assert first.reread and first.summary["added"] > 0
    assert import_shortcut.has_basis(ctx, campaign.id)   # the next import of this list may skip reading it


def test_the_triggers_count_every_write_of_compared_values(conn):
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "计数")

    def version():
        row = conn.execute("SELECT data_version FROM import_basis WHERE campaign_id = ?", (campaign.id,)).fetchone()
        return row[0] if row else 0

    now = "2026-12-03T00:00:00+00:00"
    steps = [
        f"INSERT INTO sponsor (id, campaign_id, name, created_at, updated_at) VALUES ('p', '{campaign.id}', 'a', '{now}', '{now}')",
        f"INSERT INTO site (id, campaign_id, sponsor_id, site_filing_no, created_at, updated_at)"
        f" VALUES ('s', '{campaign.id}', 'p', 'x-1', '{now}', '{now}')",
        "INSERT INTO site_domain (id, site_id, domain, ascii, position) VALUES ('d', 's', 'a.cn', 'a.cn', 0)",
        "UPDATE site_domain SET ascii = 'b.cn'",
        "UPDATE site SET remark = 'r'",
        "UPDATE sponsor SET uscc = 'u'",
        "DELETE FROM site_domain",
        "DELETE FROM site",
        "DELETE FROM sponsor",
    ]
    for sql in steps:
        before = version()
        conn.execute(sql)
        assert version() > before, sql
    silent = ["UPDATE site SET sort_conclusion = 'x', search_text = 'y', updated_at = 'z'"]
    conn.execute(steps[0])
    conn.execute(steps[1])
    for sql in silent:
        before = version()
        conn.execute(sql)
        assert version() == before, sql


def test_a_merged_package_that_changed_a_site_makes_the_import_read_the_list(lists, tmp_path):
    """Laptop B changes one site of the campaign (its own import of the list without one row
    marks that site absent); once A merges B's package, A's re-import of the list it imported
    reads it again."""
    from workbench.services import packages

    def run(name, db, **kw):
        return packages.run_isolated(name, db=str(db), device=f"{db.stem}-pc", inspector=db.stem,
                                     evidence_dir=str(tmp_path / f"{db.stem}.evidence"), **kw)

    a_db, b_db = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    a = _ctx(a_db)
    campaign = campaigns.create_campaign(a, "合并")
    site_import.import_site_list(a, campaign.id, lists["list"])
    assert _taken(a, campaign, lists["list"])
    run("export_package", a_db, out=str(tmp_path / "a.wbpkg"), campaign=None, to=None)
    open_database(b_db).close()
    run("import_package", b_db, pkg=str(tmp_path / "a.wbpkg"))
    edited = tmp_path / "edited.xlsx"
    book = load_workbook(lists["list"])
    book.active.delete_rows(5)
    book.save(edited)
    b = _ctx(b_db)
    assert site_import.import_site_list(b, campaign.id, edited).summary["missing"] == 1
    b.conn.close()
    run("export_package", b_db, out=str(tmp_path / "b.wbpkg"), campaign=None, to="a-pc")   # what A lacks
    a.conn.close()
    run("import_package", a_db, pkg=str(tmp_path / "b.wbpkg"))
    a = _ctx(a_db)
    assert a.conn.execute("SELECT count(*) FROM site WHERE present = 0").fetchone()[0] == 1   # merged
    full = _copy(a, tmp_path / "full.sqlite3")
    report = _import(a, campaign, lists["list"])
    assert report.reread is True and report.summary["unchanged"] == report.summary["sites"]
    assert report.summary == _import(full, campaign, lists["list"], shortcut=False).summary


def test_a_bulk_import_counts_itself_and_puts_the_counting_triggers_back(lists, tmp_path, monkeypatch):
    from workbench.storage import site_repo, site_stream

    monkeypatch.setattr(site_repo, "BULK_MIN_SITES", 10)
    monkeypatch.setattr(site_stream, "BULK_MIN_SITES", 10)
    ctx = _ctx(tmp_path / "db.sqlite3")
    seen = []
    begin = site_stream.deferred_begin
    monkeypatch.setattr(site_stream, "deferred_begin", lambda conn, *names: seen.extend(names) or begin(conn, *names))
    for name in ("一", "二"):
        campaign = campaigns.create_campaign(ctx, name)
        _import(ctx, campaign, lists["list"])        # streamed, in bulk mode
        assert set(site_repo.BULK_COUNTERS) <= set(seen)
        triggers = {r[0] for r in ctx.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(site_repo.BULK_COUNTERS) <= triggers
        assert _taken(ctx, campaign, lists["list"])
        CHANGES["site value"](ctx, campaign)
        assert not _taken(ctx, campaign, lists["list"])


def test_the_cli_says_when_it_did_not_read_the_list_and_rereads_on_request(lists, tmp_path, capsys):
    from workbench.cli import main

    db = tmp_path / "cli.sqlite3"
    argv = ["import", str(lists["list"]), "--db", str(db), "--campaign", "命令行", "--inspector", "甲"]
    outputs = []
    for extra in ([], [], ["--reread"], []):
        assert main([*argv, *extra]) == 0
        outputs.append(capsys.readouterr().out)
    said = [import_shortcut.UNCHANGED_NOTE in out for out in outputs]
    assert said == [False, True, False, True]
    assert "未变 " in outputs[1] and "新增 0，变更 0" in outputs[1]
