"""Recording ICP filing accuracy reviews (备案信息准确性核查) and the findings they raise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from workbench.domain import finding_status as fs
from workbench.domain import review as rules
from workbench.domain.finding import Finding
from workbench.domain.review_record import FieldCheck, Review
from workbench.errors import ValidationError
from workbench.services import findings
from workbench.services.context import Context
from workbench.storage import finding_repo, review_repo, site_query
from workbench.storage.connection import transaction
from workbench.storage.records import new_id


@dataclass(frozen=True)
class ReviewOutcome:
    """What saving a review did: the stored review, the finding it raised or updated (if any),
    and calendar warnings for that finding's deadline."""

    review: Review
    finding: Finding | None
    warnings: tuple[str, ...]


def get_review(ctx: Context, site_id: str) -> Review | None:
    """The stored review of a site, or None."""
    return review_repo.for_site(ctx.conn, site_id)


def record_review(
    ctx: Context, site_id: str, checks: Sequence[FieldCheck], conclusion: str, notes: str = "",
    reviewed_on: date | None = None,
) -> ReviewOutcome:
    """Save the review of one website (replacing an earlier one) and keep its finding in step.

    An inaccurate conclusion raises a finding against the site's sponsor, with the severity,
    legal basis and requirement of :data:`workbench.domain.review.CONCLUSION_FINDING` and the
    default review term from settings. Saving again updates that finding while it is still 待整改
    (not yet served); a conclusion changed to 准确 withdraws it with a recorded reason. A finding
    already served is never rewritten by a later review.

    Raises:
        ValidationError: unknown conclusion or verdict, or 准确 that the verdicts contradict
            (:func:`workbench.domain.review.check_review`).
        NotFoundError: no such site.
    """
    if conclusion not in rules.CONCLUSIONS:
        raise ValidationError(f"未知的核查结论：{conclusion}")
    for check in checks:
        if check.verdict not in rules.VERDICTS:
            raise ValidationError(f"未知的核查判定：{check.verdict}")
    rules.check_review(conclusion, {c.field: c.verdict for c in checks})
    detail = site_query.site_detail(ctx.conn, site_id)
    review = Review(new_id(), site_id, conclusion, notes.strip(), reviewed_on or ctx.today(),
                    tuple(checks), ctx.author.inspector)
    with transaction(ctx.conn):
        review_id = review_repo.save(ctx.conn, review, ctx.author)
        finding, warnings = _sync_finding(ctx, detail, review_id, review)
    return ReviewOutcome(review_repo.for_site(ctx.conn, site_id), finding, tuple(warnings))


#: A review's conclusion as the predicate of a plain sentence about the site (issue 10: a notice's
#: findings read as prose, "经查，网站“某某”（备案号）联系方式不准确：备案的联系电话为…").
_FINDING_PREDICATES = {
    "shell_site": "为空壳网站", "unreachable": "无法访问", "sponsor_inaccurate": "主体信息不准确",
    "contact_inaccurate": "联系方式不准确", "filing_no_display": "未悬挂或错误悬挂备案号",
    "access_mismatch": "接入信息与备案不符", "content_mismatch": "内容与备案不符", "not_filed": "未备案",
}


def _describe(detail: site_query.SiteDetail, review: Review) -> str:
    """The finding's description in plain Chinese: the site, what is wrong, each field as filed
    and as found, then the inspector's notes."""
    labels = dict(rules.REVIEW_FIELDS)
    filing_no = detail.filed["site_filing_no"]
    predicate = _FINDING_PREDICATES.get(review.conclusion, rules.CONCLUSIONS[review.conclusion])
    text = f"网站“{detail.site_name or filing_no}”（{filing_no}）{predicate}"
    differences = [f"备案的{labels.get(c.field, c.field)}为“{c.filed_value}”，实际为“{c.observed_value}”"
                   for c in review.fields if c.verdict == "mismatch"]
    if differences:
        text += "：" + "；".join(differences)
    text += "。"
    notes = review.notes.strip()
    if notes:
        text += notes if notes.endswith(("。", "！", "？", ".")) else notes + "。"
    return text


def _sync_finding(ctx: Context, detail, review_id: str, review: Review) -> tuple[Finding | None, list[str]]:
    existing = finding_repo.for_review(ctx.conn, review_id)
    if rules.is_accurate(review.conclusion):
        if existing and existing.status in fs.OPEN_STATUSES and "withdraw" in fs.allowed_actions(existing.status):
            withdrawn, _ = findings.apply_action(ctx, existing.id, "withdraw", reason="复核结论改为准确")
            return withdrawn, []
        return existing, []
    template = rules.CONCLUSION_FINDING[review.conclusion]
    description = _describe(detail, review)
    if existing is None or existing.status not in fs.OPEN_STATUSES:
        return findings.raise_finding(
            ctx, campaign_id=detail.campaign_id, sponsor_id=detail.sponsor_id,
            category=rules.CONCLUSIONS[review.conclusion], description=description,
            severity=template["severity"], legal_basis=template["legal_basis"],
            requirement=template["requirement"], term_days=ctx.settings.review_term_days,
            term_unit=ctx.settings.review_term_unit, site_id=detail.id, review_id=review_id,
        )
    if existing.status == fs.PENDING:
        updated = replace(existing, category=rules.CONCLUSIONS[review.conclusion], description=description,
                          severity=template["severity"], legal_basis=template["legal_basis"],
                          requirement=template["requirement"])
        finding_repo.update(ctx.conn, updated, ctx.author)
        return updated, []
    return existing, []
