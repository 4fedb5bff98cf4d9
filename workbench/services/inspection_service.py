"""Security inspections against checklists: templates, answers, rounds, evidence, scores, drafts.

Every function takes the services :class:`~workbench.services.context.Context` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

from workbench.domain.checklist import (
    RESPONSES,
    ChecklistItem,
    ChecklistTemplate,
    ScoreSheet,
    basis_in_force,
    lower_severity,
    score,
)
from workbench.domain.inspection import (
    COMPLETED,
    IN_PROGRESS,
    Answer,
    Evidence,
    Inspection,
    InspectionRound,
    TemplateRecord,
)
from workbench.errors import ValidationError
from workbench.services.context import Context
from workbench.storage import checklist_repo, sponsor_repo
from workbench.storage import inspection_repo as repo
from workbench.storage.connection import transaction
from workbench.storage.records import new_id, utc_now

_RECHECK = ("non_compliant", "partial")


class UnansweredItemsError(ValidationError):
    """Completing an inspection while items are unanswered; ``item_codes`` lists them."""

    def __init__(self, item_codes: list[str]):
        self.item_codes = tuple(item_codes)
        shown = "、".join(item_codes[:5]) + ("等" if len(item_codes) > 5 else "")
        super().__init__(f"还有 {len(item_codes)} 个检查项未检查（{shown}），确认后可强制完成检查")


@dataclass(frozen=True)
class InspectionState:
    """Everything a screen needs about one inspection, as of its current round.

    Attributes:
        inspection: the inspection row.
        record, template: the stored template version it runs with.
        round: the current round; ``round.item_codes`` are the items to check in it.
        items: the items in scope (template order, filtered by MLPS level).
        answers: effective answers of the current round (recorded or carried), by item code.
        previous: in a re-inspection round, the previous round's answers to the items being
            re-checked (what was found last time), by item code; empty in round 0.
    """

    inspection: Inspection
    record: TemplateRecord
    template: ChecklistTemplate
    round: InspectionRound
    items: tuple[ChecklistItem, ...]
    answers: Mapping[str, Answer]
    previous: Mapping[str, Answer] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class EvidenceProblem:
    """An evidence file that fails the integrity check: ``status`` is ``missing`` (file gone)
    or ``modified`` (its bytes no longer match the SHA-256 recorded when it was added)."""

    evidence: Evidence
    status: str


@dataclass(frozen=True)
class FindingDraft:
    """A finding proposed from a non-compliant or partial item, for the finding service to raise.

    Attributes:
        item_code: the checklist item (→ ``finding.checklist_item_code``).
        category: the item's section title.
        description: ``不符合要求：``/``部分符合要求：`` + requirement, then the inspector's notes.
        severity: the item's default severity; one level lower for a partial item (high →
            medium → low), since part of the requirement is met.
        legal_basis: the item's citations in force on the round's inspection day, ``；``-joined.
        requirement: rectification requirement (整改要求), Chinese.
        evidence_ids: evidence records attached to the item, in any round.
        response: ``non_compliant`` or ``partial``.
        inspection_id, campaign_id, sponsor_id, site_id: where the finding belongs.
    """

    item_code: str
    category: str
    description: str
    severity: str
    legal_basis: str
    requirement: str
    evidence_ids: tuple[str, ...]
    response: str
    inspection_id: str
    campaign_id: str
    sponsor_id: str
    site_id: str | None


# --- inspections -------------------------------------------------------------------------------


def start_inspection(ctx: Context, *, campaign_id: str, sponsor_id: str, template_id: str,
                     inspected_on: date, inspectors: str = "", target: str = "",
                     site_id: str | None = None, mlps_level: int | None = None,
                     place: str = "") -> Inspection:
    """Open a new inspection (status in_progress, round 0 covering every item in scope).

    Args:
        inspected_on: local calendar day of the inspection.
        place: 检查地点, printed in the notice's opening ('' leaves it out).
        mlps_level: required (1–4) when the template has level-specific items (MLPS template).

    Raises:
        NotFoundError: unknown template or sponsor.
        ValidationError: the sponsor is not in the campaign, or the level is missing/invalid.
    """
    conn = ctx.conn
    _record, template = checklist_repo.get(conn, template_id)
    sponsor = sponsor_repo.get(conn, sponsor_id)
    if sponsor.campaign_id != campaign_id:
        raise ValidationError(f"被检查单位“{sponsor.name}”不属于该检查任务")
    if mlps_level is not None and mlps_level not in (1, 2, 3, 4):
        raise ValidationError(f"保护等级应为 1–4，当前为 {mlps_level}")
    if mlps_level is None and any(it.levels for it in template.items):
        raise ValidationError(f"模板“{template.title}”按保护等级区分检查项，请选择保护等级")
    items = template.items_for(mlps_level)
    inspection = Inspection(new_id(), campaign_id, sponsor_id, site_id, target.strip(), template_id,
                            mlps_level, inspected_on, inspectors.strip(), IN_PROGRESS, 0, None,
                            " ".join(place.split()))
    with transaction(conn):
        repo.insert_inspection(conn, inspection, ctx.author)
        repo.insert_round(conn, InspectionRound(inspection.id, 0, inspected_on, inspection.inspectors,
                                                tuple(it.code for it in items), None), ctx.author)
    return inspection


def load_inspection(ctx: Context, inspection_id: str) -> InspectionState:
    """The inspection with its template version, current round and effective answers.

    Raises:
        NotFoundError: no such inspection.
    """
    conn = ctx.conn
    inspection = repo.get_inspection(conn, inspection_id)
    record, template = checklist_repo.get(conn, inspection.template_id)
    current = repo.rounds(conn, inspection_id)[inspection.current_round]
    answers = repo.answers(conn, inspection_id, inspection.current_round)
    previous = {}
    if inspection.current_round > 0:
        earlier = repo.answers(conn, inspection_id, inspection.current_round - 1)
        previous = {code: earlier[code] for code in current.item_codes or () if code in earlier}
    return InspectionState(inspection, record, template, current,
                           template.items_for(inspection.mlps_level), MappingProxyType(answers),
                           MappingProxyType(previous))


def list_inspections(ctx: Context, campaign_id: str,
                     sponsor_id: str | None = None) -> list[Inspection]:
    """Inspections of a campaign (optionally of one sponsor), newest first."""
    return repo.list_inspections(ctx.conn, campaign_id, sponsor_id)


def answer_item(ctx: Context, inspection_id: str, item_code: str, response: str, *,
                notes: str = "") -> Answer:
    """Record (or change) the response to an item in the current round.

    Raises:
        ValidationError: the inspection is completed, the item is not to be checked in this
            round, or the response is unknown or not allowed for the item.
    """
    state = load_inspection(ctx, inspection_id)
    if state.inspection.status == COMPLETED:
        raise ValidationError("检查已完成，不能再修改检查结论；如需再次检查请发起复查")
    if item_code not in state.round.item_codes:
        if state.round.round > 0 and item_code in {it.code for it in state.items}:
            raise ValidationError(f"检查项 {item_code} 本轮无需复查，沿用上一轮结论")
        raise ValidationError(f"检查项 {item_code} 不在本次检查范围内")
    item = state.template.item(item_code)
    if response not in RESPONSES or response not in item.responses:
        allowed = "、".join(RESPONSES[r] for r in item.responses)
        raise ValidationError(f"检查项 {item_code} 的结论“{response}”无效，可选：{allowed}")
    with transaction(ctx.conn):
        return repo.save_answer(ctx.conn, inspection_id, state.round.round, item_code, response,
                                notes.strip(), ctx.author)


def progress(ctx: Context, inspection_id: str) -> ScoreSheet:
    """Progress of the current round: per section, answered ÷ total of the items to check now."""
    state = load_inspection(ctx, inspection_id)
    answers = {code: a.response for code, a in state.answers.items()}
    return score(state.template, answers, state.inspection.mlps_level, only=state.round.item_codes)


def score_inspection(ctx: Context, inspection_id: str) -> ScoreSheet:
    """Scores per section and overall over every item in scope, with carried answers counted.

    The rule (compliant 1, partial 0.5, non_compliant 0; not_applicable and not_checked left
    out of the denominator) is ``workbench.domain.checklist.Tally``'s.

    In a re-inspection round an item not yet re-checked (no answer, or 未检查) keeps the previous
    round's response: the finding stands until it is checked again, so the score never jumps to
    100 before anything has been re-checked.
    """
    state = load_inspection(ctx, inspection_id)
    answers = {code: a.response for code, a in state.previous.items()}
    answers.update({code: a.response for code, a in state.answers.items()
                    if not (code in state.previous and a.response == "not_checked")})
    return score(state.template, answers, state.inspection.mlps_level)


def complete_inspection(ctx: Context, inspection_id: str, *, force: bool = False) -> Inspection:
    """Complete the current round (and so the inspection).

    Raises:
        UnansweredItemsError: items of this round are unanswered or 未检查 and ``force`` is False
            (the screen asks the user, then calls again with ``force=True``).
        ValidationError: the inspection is already completed.
    """
    conn, author = ctx.conn, ctx.author
    state = load_inspection(ctx, inspection_id)
    if state.inspection.status == COMPLETED:
        raise ValidationError("该检查已经完成")
    open_items = [c for c in state.round.item_codes
                  if c not in state.answers or state.answers[c].response == "not_checked"]
    if open_items and not force:
        raise UnansweredItemsError(open_items)
    now = utc_now()
    with transaction(conn):
        repo.complete_round(conn, inspection_id, state.round.round, now, author)
        repo.set_state(conn, inspection_id, COMPLETED, state.round.round, now, author)
    return repo.get_inspection(conn, inspection_id)


def start_reinspection(ctx: Context, inspection_id: str, *, inspected_on: date | None = None,
                       inspectors: str = "") -> InspectionRound:
    """Open a re-inspection (复查) round of a completed inspection.

    Only the items answered non_compliant or partial at the end of the last round are to be
    checked again; every other answer is carried forward unchanged (keeping its time and a
    link to the original answer), so scores of the new round still cover all items. Items left
    unanswered by a forced completion stay unanswered and are not re-checked.

    Raises:
        ValidationError: the inspection is not completed, or no item needs re-checking.
    """
    conn, author = ctx.conn, ctx.author
    inspected_on = inspected_on or ctx.today()
    state = load_inspection(ctx, inspection_id)
    if state.inspection.status != COMPLETED:
        raise ValidationError("请先完成本轮检查，再发起复查")
    to_check = tuple(it.code for it in state.items
                     if it.code in state.answers and state.answers[it.code].response in _RECHECK)
    if not to_check:
        raise ValidationError("没有“不符合”或“部分符合”的检查项，无需复查")
    new_round = InspectionRound(inspection_id, state.round.round + 1, inspected_on,
                                inspectors.strip() or state.round.inspectors, to_check, None)
    with transaction(conn):
        repo.insert_round(conn, new_round, author)
        for code, answer in state.answers.items():
            if code not in to_check:
                repo.save_answer(conn, inspection_id, new_round.round, code, answer.response,
                                 answer.notes, author, answered_at=answer.answered_at,
                                 carried_from=answer.origin_id)
        repo.set_state(conn, inspection_id, IN_PROGRESS, new_round.round, None, author)
    return new_round


# --- evidence ----------------------------------------------------------------------------------


def add_evidence(ctx: Context, inspection_id: str, source: str | Path, *, item_code: str = "",
                 description: str = "") -> Evidence:
    """Copy ``source`` into the context's evidence store (hashing it) and record it against the
    inspection (or item). Run it in a worker: copying and hashing a large file takes time.

    Raises:
        InputFileError: ``source`` cannot be read.
        ValidationError: ``item_code`` is not an item of this inspection.
        WorkbenchError: the evidence folder cannot be written.
    """
    state = load_inspection(ctx, inspection_id)
    if item_code and item_code not in {it.code for it in state.items}:
        raise ValidationError(f"检查项 {item_code} 不在本次检查范围内")
    stored = ctx.evidence_store.add(source)
    values = {"id": new_id(), "inspection_id": inspection_id, "item_code": item_code,
              "round": state.round.round, "sha256": stored.sha256, "size": stored.size,
              "original_name": Path(source).name, "stored_path": stored.stored_path,
              "mime": stored.mime, "description": description.strip()}
    with transaction(ctx.conn):
        return repo.insert_evidence(ctx.conn, values, ctx.author)


def list_evidence(ctx: Context, inspection_id: str,
                  item_code: str | None = None) -> list[Evidence]:
    """Evidence records of an inspection, optionally only those of one item."""
    return repo.list_evidence(ctx.conn, inspection_id, item_code)


def verify_evidence(ctx: Context, inspection_id: str | None = None) -> list[EvidenceProblem]:
    """Re-hash every evidence file (of one inspection, or all) against its recorded SHA-256.

    Returns:
        the files that are missing or modified; an empty list means all evidence is intact.
    """
    problems, store = [], ctx.evidence_store
    for ev in repo.list_evidence(ctx.conn, inspection_id):
        status = store.check(ev.stored_path, ev.sha256)
        if status != "ok":
            problems.append(EvidenceProblem(ev, status))
    return problems


# --- findings ----------------------------------------------------------------------------------


def draft_findings(ctx: Context, inspection_id: str) -> list[FindingDraft]:
    """Draft findings from the items answered non_compliant or partial in the current round.

    Nothing is written: the finding service raises findings from the drafts the user keeps.
    See FindingDraft for how each field is derived.
    """
    state = load_inspection(ctx, inspection_id)
    evidence: dict[str, list[str]] = {}
    for ev in repo.list_evidence(ctx.conn, inspection_id):
        evidence.setdefault(ev.item_code, []).append(ev.id)
    drafts = []
    for item in state.items:
        answer = state.answers.get(item.code)
        if answer is None or answer.response not in _RECHECK:
            continue
        drafts.append(_draft(state, item, answer, tuple(evidence.get(item.code, ()))))
    return drafts


def _draft(state: InspectionState, item: ChecklistItem, answer: Answer,
           evidence_ids: tuple[str, ...]) -> FindingDraft:
    partial = answer.response == "partial"
    requirement = item.requirement.rstrip("。；; ")
    description = ("部分符合要求：" if partial else "不符合要求：") + requirement + "。"
    if answer.notes:
        description += f"\n检查情况：{answer.notes}"
    if item.rectification:
        rectification = item.rectification
    elif partial:
        rectification = f"请补齐尚未落实的部分，全面达到“{requirement}”的要求，并在整改期限内提交书面整改报告。"
    else:
        rectification = f"请按照“{requirement}”的要求完成整改，并在整改期限内提交书面整改报告。"
    basis = basis_in_force(item.basis, state.round.inspected_on)
    ins = state.inspection
    return FindingDraft(
        item_code=item.code, category=state.template.section(item.section).title,
        description=description, severity=lower_severity(item.severity) if partial else item.severity,
        legal_basis="；".join(c.text for c in basis), requirement=rectification,
        evidence_ids=evidence_ids, response=answer.response, inspection_id=ins.id,
        campaign_id=ins.campaign_id, sponsor_id=ins.sponsor_id, site_id=ins.site_id,
    )
