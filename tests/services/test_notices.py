"""Rectification notices: numbering without gaps or reuse, re-prints keep their number."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from wbtest import campaign_with_sites, make_ctx, record
from workbench.domain.review_record import FieldCheck
from workbench.errors import NotFoundError, ValidationError
from workbench.services import notices, reviews, sites


def _inaccurate(ctx, site_id, conclusion="filing_no_display", notes=""):
    detail = sites.detail(ctx, site_id)
    checks = [FieldCheck(k, v, v, "match") for k, v in detail.filed.items()]
    return reviews.record_review(ctx, site_id, checks, conclusion, notes).finding


@pytest.fixture
def setup(conn):
    ctx = make_ctx(conn)
    campaign = campaign_with_sites(ctx, [
        record(1), record(2),
        record(1, org="青岛<b>&星河</b>有限公司", subject="鲁ICP备87654321号", source_row=9),
    ])
    return ctx, campaign, sites.page(ctx, campaign.id)


def test_numbers_run_per_prefix_and_year_and_reprint_keeps_number(setup, tmp_path):
    ctx, campaign, (a, b, c) = setup
    fa = _inaccurate(ctx, a.id)
    fc = _inaccurate(ctx, c.id, "unreachable", "打开首页显示 <script>")
    first = notices.issue_notice(ctx, fa.sponsor_id)
    second = notices.issue_notice(ctx, fc.sponsor_id)
    assert first.document.inspectors == (ctx.author.name,)  # who recorded the review (opening)
    assert first.record.doc_number == "鲁网信整改〔2026〕1号"
    assert second.record.doc_number == "鲁网信整改〔2026〕2号"
    again = notices.issue_notice(ctx, fa.sponsor_id)
    assert again.reprint and again.record.doc_number == first.record.doc_number
    # a new finding for the same sponsor gets the next number, covering only the new finding
    fb = _inaccurate(ctx, b.id, "contact_inaccurate")
    third = notices.issue_notice(ctx, fb.sponsor_id)
    assert third.record.doc_number == "鲁网信整改〔2026〕3号"
    assert third.record.finding_ids == (fb.id,)
    assert notices.notice_by_number(ctx, "鲁网信整改〔2026〕1号").record.finding_ids == (fa.id,)


def test_next_year_restarts_at_one(setup):
    ctx, campaign, (a, _, c) = setup
    notices.issue_notice(ctx, _inaccurate(ctx, a.id).sponsor_id)
    ctx.today_override = date(2027, 1, 4)
    assert notices.issue_notice(ctx, _inaccurate(ctx, c.id).sponsor_id).record.doc_number == "鲁网信整改〔2027〕1号"


def test_no_findings_or_no_prefix_is_refused(conn):
    ctx = make_ctx(conn)
    campaign = campaign_with_sites(ctx, [record(1)], prefix="")
    site = sites.page(ctx, campaign.id)[0]
    with pytest.raises(ValidationError, match="没有待整改的问题"):
        notices.issue_notice(ctx, sites.detail(ctx, site.id).sponsor_id)
    f = _inaccurate(ctx, site.id)
    with pytest.raises(ValidationError, match="未设置文号前缀"):
        notices.issue_notice(ctx, f.sponsor_id)
    with pytest.raises(NotFoundError):
        notices.notice_by_number(ctx, "不存在〔2026〕9号")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_notice_pdf_and_batch_carry_real_text(setup, tmp_path):
    ctx, campaign, (a, _, c) = setup
    _inaccurate(ctx, a.id)
    _inaccurate(ctx, c.id, "unreachable")
    written = notices.write_notices(ctx, campaign.id, tmp_path / "out")
    assert len(written) == 2
    texts = [subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True).stdout for p in written]
    joined = "".join(texts).replace(" ", "")
    assert "青岛<b>&星河</b>有限公司" in joined
    assert "〔2026〕" in joined and "某市互联网信息办公室" in joined
    record_ = notices.write_receipt(ctx, "鲁网信整改〔2026〕1号", tmp_path / "receipt.pdf")
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
    assert record_.doc_number == "鲁网信整改〔2026〕1号"


def test_cancelled_batch_takes_no_numbers_and_leaves_no_files(setup, tmp_path):
    import threading

    from workbench.domain.progress import Cancelled

    ctx, campaign, (a, _, c) = setup
    _inaccurate(ctx, a.id)
    _inaccurate(ctx, c.id, "unreachable")
    cancel = threading.Event()

    def stop_after_first(progress):
        cancel.set()

    with pytest.raises(Cancelled):
        notices.write_notices(ctx, campaign.id, tmp_path / "out", cancel=cancel, on_progress=stop_after_first)
    assert list((tmp_path / "out").glob("*.pdf")) == []
    assert ctx.conn.execute("SELECT count(*) FROM notice").fetchone()[0] == 0
    written = notices.write_notices(ctx, campaign.id, tmp_path / "out")
    assert sorted(p.name.split("-")[0] for p in written) == ["鲁网信整改〔2026〕1号", "鲁网信整改〔2026〕2号"]


def test_record_service_restarts_terms_from_receipt_and_lists(setup):
    ctx, campaign, (a, b, c) = setup
    ctx.settings.deadline_from_receipt = True  # terms run from receipt (facts.md §9–§10)
    fa = _inaccurate(ctx, a.id)
    fb = _inaccurate(ctx, b.id, "contact_inaccurate")
    overview = {s.sponsor.id: s for s in notices.sponsors_overview(ctx, campaign.id)}
    assert overview[fa.sponsor_id].needs_new_notice and overview[fa.sponsor_id].open_findings == 2
    issued = notices.issue_notice(ctx, fa.sponsor_id)
    overview = {s.sponsor.id: s for s in notices.sponsors_overview(ctx, campaign.id)}
    assert not overview[fa.sponsor_id].needs_new_notice
    assert overview[fa.sponsor_id].latest_notice == issued.record.doc_number
    with pytest.raises(ValidationError, match="晚于今天"):
        notices.record_service(ctx, issued.record.doc_number, date(2026, 12, 25))
    with pytest.raises(ValidationError, match="早于通知书的签发日期"):
        notices.record_service(ctx, issued.record.doc_number, date(2026, 11, 27))
    ctx.today_override = date(2026, 12, 4)
    notices.record_service(ctx, issued.record.doc_number, date(2026, 12, 2))
    from workbench.services import findings

    for fid in (fa.id, fb.id):
        f = findings.get_finding(ctx, fid)
        # served Wed 2026-12-02: 10 working days -> Dec 3, 4, 7..11, 14, 15, 16 -> 2026-12-16
        assert f.status == "rectifying" and f.start_on == date(2026, 12, 2) and f.deadline == date(2026, 12, 16)
    listed = notices.list_notices(ctx, campaign.id)
    assert [n.doc_number for n in listed] == [issued.record.doc_number]
    assert listed[0].served_on == date(2026, 12, 2)
    assert issued.record.deadline is None and issued.record.from_receipt
    assert listed[0].deadline == date(2026, 12, 16)  # the date the notice prints from now on
    assert notices.notice_by_number(ctx, issued.record.doc_number).document.deadline == date(2026, 12, 16)


def test_a_date_fixed_at_issue_survives_service_and_reprint(setup, tmp_path):
    """Issue 10: reprinting after 送达 printed a new deadline under the same 文号. A date fixed at
    issue is stored with the notice; 送达 moves the findings on without changing it; every
    re-print shows it; the text says "前（含当日）"."""
    ctx, campaign, (a, b, c) = setup
    fa = _inaccurate(ctx, a.id)
    issued = notices.issue_notice(ctx, fa.sponsor_id)
    printed = issued.record.deadline
    assert printed is not None and not issued.record.from_receipt
    assert issued.document.deadline == printed and issued.record.term_text == "10个工作日"
    ctx.today_override = date(2026, 12, 9)
    notices.record_service(ctx, issued.record.doc_number, date(2026, 12, 8))
    from workbench.services import findings

    assert findings.get_finding(ctx, fa.id).status == "rectifying"
    assert findings.get_finding(ctx, fa.id).deadline == printed
    again = notices.notice_by_number(ctx, issued.record.doc_number)
    assert again.document.deadline == printed and again.record.doc_number == issued.record.doc_number
    out = tmp_path / "again.pdf"
    notices.render_existing(ctx, issued.record.doc_number, out)
    assert out.read_bytes().startswith(b"%PDF")


def test_extension_is_a_new_notice_citing_the_first(setup, tmp_path, pdf_text_of=None):
    """Issue 10: an extension is a new document with its own 文号 that cites the first; the first
    keeps its number and printed deadline."""
    ctx, campaign, (a, b, c) = setup
    fa = _inaccurate(ctx, a.id)
    first = notices.issue_notice(ctx, fa.sponsor_id)
    printed = first.record.deadline
    with pytest.raises(ValidationError):
        notices.issue_extension(ctx, first.record.doc_number, date(2027, 1, 15), reason=" ")
    extension = notices.issue_extension(ctx, first.record.doc_number, date(2027, 1, 15), reason="系统改造需采购设备")
    assert extension.record.doc_number != first.record.doc_number
    assert extension.record.extends_id == first.record.id
    assert extension.document.extends == first.record.doc_number
    assert extension.document.deadline == date(2027, 1, 15)
    assert notices.notice_by_number(ctx, first.record.doc_number).document.deadline == printed
    out = tmp_path / "ext.pdf"
    notices.render_existing(ctx, extension.record.doc_number, out)
    assert out.read_bytes().startswith(b"%PDF")
