"""The 问题 and 文书 lists page through SQL: orders, filters and counts checked against plain SQL.

A scale demo (1,500 sites, 600 findings) with notices issued and served, some findings moved on,
a sponsor renamed: every order of the ledger equals the order an independent query gives, every
filter's count equals an independent count, the documents' lists hold the sponsors and notices
plain SQL finds. Pages are read inline (the session's test mode), so every row is reachable.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from workbench.domain import finding_status as fs
from workbench.gui.models.finding_table_model import SORT_KEYS, FindingColumn, LedgerModel
from workbench.gui.models.paged_model import PAGE_SIZE
from workbench.gui.views.documents_view import DocumentsView
from workbench.services import findings, notices
from workbench.services.demo_scale import build_scale_demo

TODAY = date(2026, 11, 30)
RANK = {"high": 0, "medium": 1, "low": 2}
STATUS_RANK = {s: i for i, s in enumerate((fs.PENDING, fs.RECTIFYING, fs.AWAITING, fs.FAILED, fs.CLOSED,
                                           fs.WITHDRAWN))}


@pytest.fixture
def scale_session(session):
    """The session on a scale demo with 4 notices (2 served long ago: overdue), findings reported,
    withdrawn and closed, and one sponsor renamed after its findings were raised."""
    ctx = session.ctx
    ctx.today_override = TODAY - timedelta(days=70)   # notices served long ago: overdue by TODAY
    made = build_scale_demo(ctx, sites=1500, findings=600)
    cid = made.campaign_id
    sponsor_ids = [r[0] for r in ctx.conn.execute(
        "SELECT DISTINCT sponsor_id FROM finding WHERE campaign_id = ? ORDER BY sponsor_id LIMIT 4", (cid,))]
    numbers = [notices.issue_notice(ctx, sid).record.doc_number for sid in sponsor_ids]
    ctx.today_override = TODAY - timedelta(days=65)
    for number in numbers[:2]:
        notices.record_service(ctx, number, TODAY - timedelta(days=65))
    ctx.today_override = TODAY
    ids = [r[0] for r in ctx.conn.execute(
        "SELECT id FROM finding WHERE campaign_id = ? AND status = 'pending' ORDER BY id LIMIT 6", (cid,))]
    findings.apply_action(ctx, ids[0], fs.WITHDRAW, reason="重复")
    findings.apply_action(ctx, ids[1], fs.NOTIFY, on=TODAY - timedelta(days=2))
    findings.apply_action(ctx, ids[1], fs.REPORT)
    findings.apply_action(ctx, ids[1], fs.PASS_REINSPECTION, reason="已改")
    findings.apply_action(ctx, ids[2], fs.NOTIFY, on=TODAY)
    with ctx.conn:
        ctx.conn.execute("UPDATE sponsor SET name = '龙腾改名有限公司' WHERE id = ?", (sponsor_ids[3],))
    session.set_campaign(cid)
    return session


def _expected(ctx, cid: str, where: str = "", params: tuple = ()) -> list[dict]:
    """Ledger lines by an independent query: joins instead of finding_sort."""
    rows = ctx.conn.execute(
        f"""SELECT f.id, f.rowid AS seq, f.status, f.deadline, f.category, f.severity, p.name AS sponsor,
                   coalesce(s.site_filing_no, '') AS site_no,
                   coalesce((SELECT n.doc_number FROM notice_finding nf JOIN notice n ON n.id = nf.notice_id
                             WHERE nf.finding_id = f.id AND n.kind = 'rectification'
                             ORDER BY n.year DESC, n.seq DESC LIMIT 1), '') AS notice
            FROM finding f JOIN sponsor p ON p.id = f.sponsor_id LEFT JOIN site s ON s.id = f.site_id
            WHERE f.campaign_id = ? {where}""", (cid, *params)).fetchall()
    return [dict(r) for r in rows]


def _key(line: dict, sort: str):
    running = line["status"] in fs.TERM_RUNNING_STATUSES
    return {
        "sponsor": (line["sponsor"],), "site_no": (line["site_no"],), "category": (line["category"],),
        "severity": (RANK[line["severity"]],), "deadline": (line["deadline"],),
        "days_left": (0 if running else 1 if line["status"] == fs.PENDING else 2, line["deadline"]),
        "status": (STATUS_RANK[line["status"]],), "notice": (line["notice"],),
    }[sort]


def _all_ids(model) -> list[str]:
    return [model.view_at(r).finding.id for r in range(model.rowCount())]


@pytest.fixture
def ledger(scale_session):
    model = LedgerModel(scale_session)
    model.set_filter(scale_session.campaign_id, "all", "")
    return model


def test_ledger_model_passes_the_model_tester(qtmodeltester, ledger):
    qtmodeltester.check(ledger)
    assert ledger.rowCount() == 600 > PAGE_SIZE and not ledger.loading and not ledger.counting


def test_every_column_sorts_as_an_independent_query_both_ways(ledger, scale_session):
    lines = _expected(scale_session.ctx, scale_session.campaign_id)
    for column, order in ((c, o) for c in FindingColumn for o in (Qt.AscendingOrder, Qt.DescendingOrder)):
        sort = SORT_KEYS[column]
        ledger.sort(column, order)
        got = _all_ids(ledger)
        want = sorted(lines, key=lambda x: (*_key(x, sort), x["seq"]), reverse=order == Qt.DescendingOrder)
        assert got == [x["id"] for x in want], f"{sort} {order}"
        assert ledger.rowCount() == 600   # a new order keeps the count


def test_renamed_sponsor_and_issued_notices_reach_the_sort_keys(ledger, scale_session):
    ledger.sort(FindingColumn.SPONSOR, Qt.DescendingOrder)
    assert ledger.index(0, FindingColumn.SPONSOR).data() == "龙腾改名有限公司"
    ledger.sort(FindingColumn.NOTICE, Qt.DescendingOrder)
    assert ledger.index(0, FindingColumn.NOTICE).data().startswith("鲁网信整改〔")


@pytest.mark.parametrize("key", ["all", "open", "overdue", "due_soon"])
def test_filters_count_as_an_independent_query(ledger, scale_session, key):
    for text in ("", "鲁ICP备1000", "内容", "待整改", "整改中", "高", "2026-12", "没有这样的单位", "%"):
        _check_filter(ledger, scale_session, key, text)


def _check_filter(ledger, scale_session, key, text):
    running = tuple(sorted(fs.TERM_RUNNING_STATUSES))
    opened = tuple(sorted(fs.OPEN_STATUSES))
    soon = (TODAY + timedelta(days=3)).isoformat()
    status_sql = {
        "all": ("", ()),
        "open": (f" AND f.status IN ({','.join('?' * len(opened))})", opened),
        "overdue": (f" AND f.status IN ({','.join('?' * len(running))}) AND f.deadline < ?", (*running, TODAY.isoformat())),
        "due_soon": (f" AND f.status IN ({','.join('?' * len(running))}) AND f.deadline BETWEEN ? AND ?",
                     (*running, TODAY.isoformat(), soon)),
    }[key]
    lines = _expected(scale_session.ctx, scale_session.campaign_id, *status_sql)
    labels = {**fs.STATUS_LABELS}
    from workbench.domain.severity import SEVERITY_LABELS

    def shown(x):   # what the table shows in its columns, as the old in-memory filter saw it
        cells = (x["sponsor"], x["site_no"], x["category"], x["notice"], x["deadline"], labels[x["status"]],
                 SEVERITY_LABELS[x["severity"]])
        return any(text.lower() in c.lower() for c in cells)

    want = [x for x in lines if shown(x)]
    ledger.set_filter(scale_session.campaign_id, key, text)
    assert ledger.rowCount() == len(want)
    assert set(_all_ids(ledger)) == {x["id"] for x in want}
    assert ledger.totals == (len(want), len(lines))
    if key == "overdue":
        assert len(lines) > 0, "the fixture has overdue findings"
        assert all("逾期" in ledger.index(r, FindingColumn.DAYS_LEFT).data() for r in range(ledger.rowCount()))


def test_locate_finds_a_row_beyond_the_pages_in_memory(ledger, scale_session):
    ledger.sort(FindingColumn.SPONSOR, Qt.AscendingOrder)
    target = ledger.view_at(555).finding.id
    ledger.sort(FindingColumn.SPONSOR, Qt.AscendingOrder)   # forget the pages
    assert ledger.row_of(target) == -1 and ledger.cached_rows() == PAGE_SIZE
    found = []
    ledger.locate(target, found.append)
    assert found == [555]
    ledger.set_filter(scale_session.campaign_id, "overdue", "")
    ledger.locate(target, found.append)
    assert found[-1] == -1 or ledger.view_at(found[-1]).finding.id == target


def test_export_rows_give_every_row_in_order(ledger):
    ledger.sort(FindingColumn.DEADLINE, Qt.DescendingOrder)
    rows = list(ledger.export_rows(ledger.session.ctx, [FindingColumn.SITE_FILING_NO, FindingColumn.DEADLINE],
                                   batch=128))
    assert len(rows) == 600
    assert rows[0] == [ledger.index(0, FindingColumn.SITE_FILING_NO).data(), ledger.index(0, FindingColumn.DEADLINE).data()]
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)


def test_documents_lists_hold_what_plain_sql_finds(qtbot, scale_session):
    view = DocumentsView(scale_session)
    qtbot.addWidget(view)
    view.show()
    ctx, cid = scale_session.ctx, scale_session.campaign_id
    needing = (fs.PENDING, fs.RECTIFYING, fs.FAILED)
    want = ctx.conn.execute(
        f"""SELECT p.id, p.name, sum(f.status IN ({','.join('?' * len(fs.OPEN_STATUSES))})) AS open_count
            FROM sponsor p JOIN finding f ON f.sponsor_id = p.id
            WHERE p.campaign_id = ? AND p.id IN (SELECT sponsor_id FROM finding WHERE status IN (?, ?, ?))
            GROUP BY p.id ORDER BY p.name, p.id""",
        (*sorted(fs.OPEN_STATUSES), cid, *needing)).fetchall()
    model = view.sponsor_model
    assert model.rowCount() == len(want) > PAGE_SIZE
    got = [model.record_at(r) for r in range(model.rowCount())]
    assert [(g.sponsor.id, g.open_findings) for g in got] == [(w["id"], w["open_count"]) for w in want]
    assert sum(1 for g in got if g.latest_notice) == 4   # the four sponsors given a notice
    assert notices.sponsors_overview(ctx, cid) == got   # the whole-list service says the same
    numbers = [r[0] for r in ctx.conn.execute(
        "SELECT doc_number FROM notice WHERE campaign_id = ? ORDER BY year DESC, seq DESC", (cid,))]
    assert [view.notice_model.record_at(r).record.doc_number for r in range(view.notice_model.rowCount())] == numbers
    assert "（4）" in view.notice_label.text() and f"（{len(want)}）" in view.sponsor_label.text()
    view.select_notice(numbers[-1])
    assert view.selected_notice().record.doc_number == numbers[-1]
