"""Reviews raise findings; findings move through their lifecycle with recorded history."""

from __future__ import annotations

from datetime import date

import pytest

from wbtest import campaign_with_sites, make_ctx, record
from workbench.domain import finding_status as fs
from workbench.domain.review_record import FieldCheck
from workbench.errors import IllegalTransitionError, ValidationError
from workbench.services import findings, reviews, sites


@pytest.fixture
def ctx(conn):
    return make_ctx(conn)


def _checks(detail, mismatch: str | None = None):
    return [
        FieldCheck(k, v, "空号" if k == mismatch else v, "mismatch" if k == mismatch else "match")
        for k, v in detail.filed.items()
    ]


def test_accurate_review_raises_no_finding(ctx):
    campaign = campaign_with_sites(ctx, [record(1)])
    site = sites.page(ctx, campaign.id)[0]
    outcome = reviews.record_review(ctx, site.id, _checks(sites.detail(ctx, site.id)), "accurate")
    assert outcome.finding is None
    assert reviews.get_review(ctx, site.id).conclusion == "accurate"
    assert sites.reviewed_count(ctx, campaign.id) == 1


def test_inaccurate_review_raises_finding_with_working_day_deadline(ctx):
    campaign = campaign_with_sites(ctx, [record(1)])
    site = sites.page(ctx, campaign.id)[0]
    detail = sites.detail(ctx, site.id)
    outcome = reviews.record_review(ctx, site.id, _checks(detail, "contact_phone"), "contact_inaccurate", "空号")
    f = outcome.finding
    assert f is not None and f.status == fs.PENDING
    assert f.sponsor_id == detail.sponsor_id
    # 10 working days after Mon 2026-11-30 (start not counted): Dec 1..4, 7..11, 14 -> 2026-12-14.
    assert f.deadline == date(2026, 12, 14)
    # plain Chinese, not "备案信息核查结论：…" (issue 10)
    assert f.description.endswith("联系方式不准确：备案的联系电话为“13900000000”，实际为“空号”。空号。")
    history = findings.history(ctx, f.id)
    assert [e.action for e in history] == ["create"]
    assert history[0].inspector == "李检查"


def test_re_saving_review_updates_pending_finding_and_accurate_withdraws(ctx):
    campaign = campaign_with_sites(ctx, [record(1)])
    site = sites.page(ctx, campaign.id)[0]
    detail = sites.detail(ctx, site.id)
    first = reviews.record_review(ctx, site.id, _checks(detail, "contact_phone"), "contact_inaccurate").finding
    second = reviews.record_review(ctx, site.id, _checks(detail), "filing_no_display").finding
    assert second.id == first.id
    assert second.category == "未悬挂或错误悬挂备案号"
    third = reviews.record_review(ctx, site.id, _checks(detail), "accurate").finding
    assert third.status == fs.WITHDRAWN
    assert len(findings.ledger(ctx, campaign.id)) == 1
    assert findings.ledger(ctx, campaign.id, open_only=True) == []


def test_full_lifecycle_with_failed_reinspection_and_extension(ctx):
    campaign = campaign_with_sites(ctx, [record(1)])
    site = sites.page(ctx, campaign.id)[0]
    f = reviews.record_review(ctx, site.id, _checks(sites.detail(ctx, site.id)), "shell_site").finding
    f, _ = findings.apply_action(ctx, f.id, "notify", on=date(2026, 12, 1))
    assert f.status == fs.RECTIFYING
    assert f.start_on == date(2026, 12, 1)
    with pytest.raises(ValidationError):
        findings.apply_action(ctx, f.id, "extend", new_deadline=date(2026, 12, 30))  # no reason
    f, _ = findings.apply_action(ctx, f.id, "extend", reason="单位申请", new_deadline=date(2026, 12, 30))
    assert f.deadline == date(2026, 12, 30) and f.status == fs.RECTIFYING
    f, _ = findings.apply_action(ctx, f.id, "report")
    f, _ = findings.apply_action(ctx, f.id, "fail_reinspection", reason="首页仍无内容")
    assert f.status == fs.FAILED
    with pytest.raises(IllegalTransitionError):
        findings.apply_action(ctx, f.id, "pass_reinspection")
    f, _ = findings.apply_action(ctx, f.id, "resume", term_days=5, term_unit="working", on=date(2026, 12, 31))
    # 5 working days after Thu 2026-12-31: Jan 1-3 2027? 2027 is outside the package's data; the
    # calendar falls back to weekends only: Jan 1 (Fri), 4, 5, 6, 7 -> 2027-01-07.
    assert f.status == fs.RECTIFYING and f.deadline == date(2027, 1, 7)
    f, _ = findings.apply_action(ctx, f.id, "report")
    f, _ = findings.apply_action(ctx, f.id, "pass_reinspection")
    assert f.status == fs.CLOSED
    actions = [e.action for e in findings.history(ctx, f.id)]
    assert actions == ["create", "notify", "extend", "report", "fail_reinspection", "resume", "report",
                       "pass_reinspection"]


def test_overdue_and_due_soon(ctx):
    campaign = campaign_with_sites(ctx, [record(1), record(2)])
    a, b = sites.page(ctx, campaign.id)
    fa = reviews.record_review(ctx, a.id, _checks(sites.detail(ctx, a.id)), "unreachable").finding
    fb = reviews.record_review(ctx, b.id, _checks(sites.detail(ctx, b.id)), "unreachable").finding
    # never served (no notice): the deadline is provisional, nothing is overdue or due soon
    assert findings.ledger(ctx, campaign.id, overdue_on=date(2027, 3, 1)) == []
    assert findings.due_soon(ctx, campaign.id, date(2026, 12, 11)) == []
    unserved = findings.ledger(ctx, campaign.id)[0]
    assert findings.as_json(unserved, date(2027, 3, 1))["overdue"] is False
    assert findings.as_json(unserved, date(2027, 3, 1))["days_left"] is None
    for f in (fa, fb):
        findings.apply_action(ctx, f.id, "notify", on=date(2026, 11, 30))   # served: the term runs
    assert findings.ledger(ctx, campaign.id, overdue_on=date(2026, 12, 14)) == []
    overdue = findings.ledger(ctx, campaign.id, overdue_on=date(2026, 12, 15))
    assert {v.finding.id for v in overdue} >= {fa.id} and len(overdue) == 2
    assert len(findings.due_soon(ctx, campaign.id, date(2026, 12, 11))) == 2
    row = findings.as_json(overdue[0], date(2026, 12, 16))
    assert row["overdue"] is True and row["days_left"] == -2
