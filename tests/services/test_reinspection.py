"""Re-inspection opinions follow a notice, report each finding's result, keep their number."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from wbtest import campaign_with_sites, make_ctx, record
from workbench.domain.review_record import FieldCheck
from workbench.errors import ValidationError
from workbench.services import findings, notices, reinspection, reviews, sites


def _finding(ctx, site_id, conclusion):
    detail = sites.detail(ctx, site_id)
    checks = [FieldCheck(k, v, v, "match") for k, v in detail.filed.items()]
    return reviews.record_review(ctx, site_id, checks, conclusion).finding


def test_opinion_numbering_results_and_reprint(conn, tmp_path):
    ctx = make_ctx(conn)
    campaign = campaign_with_sites(ctx, [record(1), record(2)])
    a, b = sites.page(ctx, campaign.id)
    fa, fb = _finding(ctx, a.id, "filing_no_display"), _finding(ctx, b.id, "contact_inaccurate")
    notice = notices.issue_notice(ctx, fa.sponsor_id).record
    for f in (fa, fb):
        findings.apply_action(ctx, f.id, "notify", on=date(2026, 12, 1))
        findings.apply_action(ctx, f.id, "report")
    findings.apply_action(ctx, fa.id, "pass_reinspection")   # no reason given
    with pytest.raises(ValidationError, match="尚未复查"):
        reinspection.issue_opinion(ctx, notice.doc_number)
    findings.apply_action(ctx, fb.id, "fail_reinspection", reason="电话仍为空号")
    with pytest.raises(ValidationError, match="晚于今天"):
        reinspection.issue_opinion(ctx, notice.doc_number, date(2026, 12, 20))
    first = reinspection.write_opinion(ctx, notice.doc_number, tmp_path / "o.pdf", date(2026, 11, 30))
    assert first.record.doc_number == "鲁网信复查〔2026〕1号" and not first.reprint
    results = dict(first.document.items)
    assert results[fa.description] == "已整改"    # never an earlier step's reason (e.g. 送达)
    assert results[fb.description] == "未整改到位，电话仍为空号"
    assert "1项问题未整改到位" in first.document.conclusion
    again = reinspection.issue_opinion(ctx, notice.doc_number)
    assert again.reprint and again.record.doc_number == first.record.doc_number
    findings.apply_action(ctx, fb.id, "resume", new_deadline=date(2026, 12, 31))
    findings.apply_action(ctx, fb.id, "report")
    findings.apply_action(ctx, fb.id, "pass_reinspection")
    third = reinspection.issue_opinion(ctx, notice.doc_number)
    assert third.record.doc_number == "鲁网信复查〔2026〕2号"
    assert third.document.conclusion == "经复查，你单位已按要求完成整改。"
    assert third.document.notice_title == "责令限期改正通知书"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "o.pdf"), "-"], capture_output=True, text=True).stdout
        assert notice.doc_number in text.replace(" ", "").replace("\n", "")  # pdftotext cuts at squeezed 》（


def test_opinion_prefix():
    assert reinspection.opinion_prefix("鲁网信整改") == "鲁网信复查"
    assert reinspection.opinion_prefix("济网安") == "济网安复查"
