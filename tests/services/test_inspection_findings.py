"""A security inspection's non-compliant items become findings that reach the summary and notice."""

from __future__ import annotations

from datetime import date

from wbtest import campaign_with_sites, make_ctx, record
from workbench.services import checklist_templates, inspection_findings, notices, sites, summary
from workbench.services import inspection_service as svc
from workbench.storage import finding_repo


def test_inspection_to_findings_summary_and_notice(conn, tmp_path):
    ctx = make_ctx(conn)
    campaign = campaign_with_sites(ctx, [record(1)])
    sponsor_id = sites.detail(ctx, sites.page(ctx, campaign.id)[0].id).sponsor_id
    template = {t.code: t for t in checklist_templates.list_templates(ctx)}["website_security"]
    ins = svc.start_inspection(ctx, campaign_id=campaign.id, sponsor_id=sponsor_id, template_id=template.id,
                               inspected_on=date(2026, 11, 30), inspectors="李检查、王检查",
                               place="  济南市历下区某路1号\n某某大厦机房 ")
    assert svc.list_inspections(ctx, campaign.id)[0].place == "济南市历下区某路1号 某某大厦机房"
    state = svc.load_inspection(ctx, ins.id)
    codes = [item.code for item in state.template.items]
    svc.answer_item(ctx, ins.id, codes[0], "non_compliant", notes="未明确网络安全负责人")
    svc.answer_item(ctx, ins.id, codes[1], "partial")
    svc.answer_item(ctx, ins.id, codes[2], "compliant")
    shot = tmp_path / "截图.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    ctx.evidence_dir = tmp_path / "evidence"
    svc.add_evidence(ctx, ins.id, shot, item_code=codes[0])

    proposed = inspection_findings.drafts(ctx, ins.id)
    assert [d.item_code for d in proposed] == codes[:2]
    raised, _ = inspection_findings.raise_from_drafts(ctx, proposed)
    assert len(raised) == 2
    assert raised[0].checklist_item_code == codes[0] and raised[0].inspection_id == ins.id
    assert len(finding_repo.evidence_ids(conn, raised[0].id)) == 1
    assert raised[0].legal_basis, "the item's basis travels with the finding"
    # running it again raises nothing twice
    assert inspection_findings.drafts(ctx, ins.id) == []
    assert inspection_findings.raise_from_drafts(ctx, proposed)[0] == []

    workbook = summary.build_summary(ctx, campaign.id)
    assert {f.description for f in workbook.findings} == {f.description for f in raised}
    issued = notices.issue_notice(ctx, sponsor_id)
    assert set(issued.record.finding_ids) == {f.id for f in raised}
    assert any("未明确网络安全负责人" in f.description for f in issued.document.findings)
    # the notice's opening says where the inspection was done (检查地点, migration 0012)
    assert issued.document.place == "济南市历下区某路1号 某某大厦机房"
    from workbench.reports.notice import _intro
    from workbench.reports.wording import wording
    opening = _intro(issued.document, wording("notice"), "我办")
    assert "于2026年11月30日在济南市历下区某路1号 某某大厦机房" in opening
