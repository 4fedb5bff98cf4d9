"""Turning a security inspection's non-compliant and partial items into findings (问题)."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.domain import finding_status as fs
from workbench.domain.finding import Finding
from workbench.services import findings
from workbench.services.context import Context
from workbench.services.inspection_service import FindingDraft, draft_findings
from workbench.storage import finding_repo
from workbench.storage.connection import transaction


def drafts(ctx: Context, inspection_id: str) -> list[FindingDraft]:
    """Proposed findings for the inspection's items that do not already have an open finding."""
    existing = finding_repo.open_item_codes(ctx.conn, inspection_id, fs.OPEN_STATUSES)
    return [d for d in draft_findings(ctx, inspection_id) if d.item_code not in existing]


def raise_from_drafts(ctx: Context, chosen: Sequence[FindingDraft]) -> tuple[list[Finding], list[str]]:
    """Raise one finding per (possibly edited) draft, all in one transaction.

    Each finding keeps its checklist item code and the item's evidence; its term follows the
    severity default. Items that already have an open finding from the same inspection are
    skipped, so running this twice raises nothing twice.

    Returns:
        the findings raised and the calendar warnings of their deadlines.
    """
    raised, warnings = [], []
    with transaction(ctx.conn):
        for draft in chosen:
            if draft.item_code in finding_repo.open_item_codes(ctx.conn, draft.inspection_id, fs.OPEN_STATUSES):
                continue
            finding, warn = findings.raise_finding(
                ctx, campaign_id=draft.campaign_id, sponsor_id=draft.sponsor_id, category=draft.category,
                description=draft.description, severity=draft.severity, legal_basis=draft.legal_basis,
                requirement=draft.requirement, site_id=draft.site_id, inspection_id=draft.inspection_id,
                checklist_item_code=draft.item_code,
            )
            finding_repo.link_evidence(ctx.conn, finding.id, draft.evidence_ids)
            raised.append(finding)
            warnings.extend(w for w in warn if w not in warnings)
    return raised, warnings
