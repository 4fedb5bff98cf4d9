"""Inspections: answering, progress, scores, completing, re-inspection rounds and finding drafts."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from workbench.errors import NotFoundError, ValidationError
from workbench.services import checklist_templates
from workbench.services import inspection_service as svc

CSL16 = "《中华人民共和国网络安全法》（2016）第二十一条第（三）项"
CSL25 = "《中华人民共和国网络安全法》（2025修正）第二十三条第（三）项"
SMALL = textwrap.dedent(f"""\
    id: small
    title: 小型检查表
    version: "1"
    sections:
      - {{code: A, title: 安全管理}}
      - {{code: B, title: 安全技术}}
    items:
      - {{code: A-1, section: A, requirement: 明确负责人。, basis: ["{CSL25}"], severity: medium}}
      - {{code: A-2, section: A, requirement: 制定制度。, basis: ["{CSL25}"], severity: medium}}
      - {{code: A-3, section: A, requirement: 开展培训。, basis: ["{CSL25}"], severity: low}}
      - {{code: B-1, section: B, requirement: 网络日志留存不少于六个月。, basis: ["{CSL16}", "{CSL25}"],
          severity: high, responses: [compliant, non_compliant, not_checked]}}
      - {{code: B-2, section: B, requirement: 启用 HTTPS。, basis: ["{CSL25}"], severity: medium}}
    """)


@pytest.fixture
def small(ctx, tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return checklist_templates.import_template(ctx, path)


@pytest.fixture
def inspection(ctx, org, small):
    return svc.start_inspection(ctx, campaign_id=org.campaign_id, sponsor_id=org.sponsor_id,
                                template_id=small.id, inspected_on=date(2026, 3, 2),
                                inspectors="王检查、李检查", target="https://example.cn")


def answer(ctx, inspection_id, **responses):
    for code, response in responses.items():
        svc.answer_item(ctx, inspection_id, code.replace("_", "-"), response)


def test_new_inspection_is_in_progress_with_every_item_to_check(ctx, inspection):
    state = svc.load_inspection(ctx, inspection.id)
    assert state.inspection.status == "in_progress" and state.round.round == 0
    assert state.round.item_codes == ("A-1", "A-2", "A-3", "B-1", "B-2")
    assert not state.answers


def test_progress_and_scores(ctx, inspection):
    answer(ctx, inspection.id, A_1="compliant", A_2="partial", A_3="not_applicable", B_1="non_compliant")
    sheet = svc.score_inspection(ctx, inspection.id)
    a, b = sheet.sections
    assert (a.title, a.tally.answered, a.tally.total, a.tally.score) == ("安全管理", 3, 3, 75.0)
    assert (b.tally.answered, b.tally.total, b.tally.unanswered, b.tally.score) == (1, 2, 1, 0.0)
    assert sheet.overall.points == 1.5 and sheet.overall.applicable == 3
    assert sheet.overall.score == 50.0
    assert (sheet.overall.answered, sheet.overall.total) == (4, 5)


def test_not_checked_counts_as_unanswered_and_na_only_section_has_no_score(ctx, inspection):
    answer(ctx, inspection.id, A_1="not_applicable", A_2="not_applicable", A_3="not_applicable",
           B_1="not_checked")
    sheet = svc.progress(ctx, inspection.id)
    assert sheet.sections[0].tally.score is None
    assert sheet.sections[1].tally.unanswered == 2
    assert sheet.overall.score is None


def test_changing_an_answer_replaces_it(ctx, inspection):
    answer(ctx, inspection.id, A_1="non_compliant")
    svc.answer_item(ctx, inspection.id, "A-1", "compliant", notes="已整改")
    state = svc.load_inspection(ctx, inspection.id)
    assert (state.answers["A-1"].response, state.answers["A-1"].notes) == ("compliant", "已整改")
    assert ctx.conn.execute("SELECT COUNT(*) FROM inspection_response").fetchone()[0] == 1


@pytest.mark.parametrize(("code", "response", "text"), [
    ("A-1", "good", "无效"),
    ("B-1", "partial", "可选：符合、不符合、未检查"),
    ("Z-9", "compliant", "不在本次检查范围内"),
])
def test_bad_answers_are_refused(ctx, inspection, code, response, text):
    with pytest.raises(ValidationError, match=text):
        svc.answer_item(ctx, inspection.id, code, response)


def test_start_refuses_sponsor_of_other_campaign_and_unknown_template(ctx, org, small):
    with pytest.raises(ValidationError, match="不属于该检查任务"):
        svc.start_inspection(ctx, campaign_id=org.campaign_id, sponsor_id=org.other_campaign_sponsor_id,
                             template_id=small.id, inspected_on=date(2026, 3, 2))
    with pytest.raises(NotFoundError):
        svc.start_inspection(ctx, campaign_id=org.campaign_id, sponsor_id=org.sponsor_id,
                             template_id="nope", inspected_on=date(2026, 3, 2))


def test_mlps_template_needs_a_level_and_filters_items(ctx, org, templates):
    rec = templates["mlps2_condensed"]
    args = dict(campaign_id=org.campaign_id, sponsor_id=org.sponsor_id, template_id=rec.id,
                inspected_on=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="请选择保护等级"):
        svc.start_inspection(ctx, **args)
    level2 = svc.load_inspection(ctx, svc.start_inspection(ctx, mlps_level=2, **args).id)
    level3 = svc.load_inspection(ctx, svc.start_inspection(ctx, mlps_level=3, **args).id)
    assert len(level2.round.item_codes) < len(level3.round.item_codes) < rec.item_count
    assert svc.progress(ctx, level2.inspection.id).overall.total == len(level2.items)


def test_complete_refuses_unanswered_items_unless_forced(ctx, inspection):
    answer(ctx, inspection.id, A_1="compliant", A_2="compliant", A_3="compliant", B_1="not_checked")
    with pytest.raises(svc.UnansweredItemsError) as info:
        svc.complete_inspection(ctx, inspection.id)
    assert info.value.item_codes == ("B-1", "B-2")
    assert svc.load_inspection(ctx, inspection.id).inspection.status == "in_progress"
    done = svc.complete_inspection(ctx, inspection.id, force=True)
    assert done.status == "completed" and done.completed_at
    with pytest.raises(ValidationError, match="检查已完成"):
        svc.answer_item(ctx, inspection.id, "B-2", "compliant")


def test_complete_with_all_answered(ctx, inspection):
    answer(ctx, inspection.id, A_1="compliant", A_2="compliant", A_3="compliant", B_1="compliant",
           B_2="not_applicable")
    assert svc.complete_inspection(ctx, inspection.id).status == "completed"
    with pytest.raises(ValidationError, match="已经完成"):
        svc.complete_inspection(ctx, inspection.id)


def test_reinspection_rechecks_only_failed_items_and_carries_the_rest(ctx, inspection):
    answer(ctx, inspection.id, A_1="compliant", A_2="partial", A_3="not_applicable",
           B_1="non_compliant", B_2="compliant")
    with pytest.raises(ValidationError, match="请先完成"):
        svc.start_reinspection(ctx, inspection.id, inspected_on=date(2026, 3, 20))
    svc.complete_inspection(ctx, inspection.id)
    first = svc.load_inspection(ctx, inspection.id).answers

    rnd = svc.start_reinspection(ctx, inspection.id, inspected_on=date(2026, 3, 20))
    assert (rnd.round, rnd.item_codes, rnd.inspectors) == (1, ("A-2", "B-1"), "王检查、李检查")
    state = svc.load_inspection(ctx, inspection.id)
    assert state.inspection.status == "in_progress" and state.inspection.current_round == 1
    assert set(state.answers) == {"A-1", "A-3", "B-2"}
    carried = state.answers["A-1"]
    assert carried.carried and carried.origin_id == first["A-1"].id
    assert carried.answered_at == first["A-1"].answered_at
    assert svc.progress(ctx, inspection.id).overall.total == 2
    # nothing re-checked yet: the score is the first round's, not 100
    assert svc.score_inspection(ctx, inspection.id).overall.score == pytest.approx(2.5 / 4 * 100)
    answer(ctx, inspection.id, A_2="not_checked")
    assert svc.score_inspection(ctx, inspection.id).overall.score == pytest.approx(2.5 / 4 * 100)
    with pytest.raises(ValidationError, match="无需复查"):
        svc.answer_item(ctx, inspection.id, "A-1", "non_compliant")
    with pytest.raises(svc.UnansweredItemsError):
        svc.complete_inspection(ctx, inspection.id)

    answer(ctx, inspection.id, A_2="compliant", B_1="compliant")
    assert svc.score_inspection(ctx, inspection.id).overall.score == 100.0
    svc.complete_inspection(ctx, inspection.id)
    with pytest.raises(ValidationError, match="无需复查"):
        svc.start_reinspection(ctx, inspection.id, inspected_on=date(2026, 4, 1))
    # round 0 is untouched
    assert ctx.conn.execute("SELECT response FROM inspection_response WHERE round = 0 AND item_code = 'B-1'"
                        ).fetchone()[0] == "non_compliant"


def test_drafts_from_non_compliant_and_partial_items(ctx, store, inspection, tmp_path):
    svc.answer_item(ctx, inspection.id, "A-2", "partial", notes="制度未发布")
    answer(ctx, inspection.id, A_1="compliant", B_1="non_compliant", B_2="not_applicable")
    shot = tmp_path / "日志截图.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    ev = svc.add_evidence(ctx, inspection.id, shot, item_code="B-1")

    drafts = svc.draft_findings(ctx, inspection.id)
    assert [d.item_code for d in drafts] == ["A-2", "B-1"]
    partial, failed = drafts
    assert partial.severity == "low"  # medium lowered one level for a partial item
    assert partial.category == "安全管理"
    assert partial.description == "部分符合要求：制定制度。\n检查情况：制度未发布"
    assert "补齐" in partial.requirement and "制定制度" in partial.requirement
    assert failed.severity == "high" and failed.evidence_ids == (ev.id,)
    assert failed.legal_basis == CSL25  # inspected 2026-03-02: the amended text is in force
    assert (failed.sponsor_id, failed.campaign_id, failed.inspection_id) == (
        inspection.sponsor_id, inspection.campaign_id, inspection.id)
    assert ctx.conn.execute("SELECT COUNT(*) FROM finding").fetchone()[0] == 0


def test_draft_cites_the_old_text_before_2026(ctx, org, small):
    ins = svc.start_inspection(ctx, campaign_id=org.campaign_id, sponsor_id=org.sponsor_id,
                               template_id=small.id, inspected_on=date(2025, 12, 30))
    answer(ctx, ins.id, B_1="non_compliant")
    (draft,) = svc.draft_findings(ctx, ins.id)
    assert draft.legal_basis == CSL16
