"""Creating and choosing campaigns (检查任务)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workbench.domain.campaign import KIND_LABELS, Campaign
from workbench.domain.doc_number import clean_doc_prefix
from workbench.errors import NotFoundError, ValidationError
from workbench.services.context import Context
from workbench.storage import campaign_repo, removal_repo
from workbench.storage.connection import transaction
from workbench.storage.records import new_id


def create_campaign(
    ctx: Context, name: str, kind: str = "icp_review", authority: str = "", doc_prefix: str = "",
    period_start: date | None = None, period_end: date | None = None,
) -> Campaign:
    """Create a campaign.

    Args:
        name: unique, non-empty (surrounding spaces removed).
        kind: ``icp_review`` or ``security_inspection``.
        doc_prefix: 文号前缀, e.g. ``鲁网信整改``; may be empty until the first notice is issued.

    Raises:
        ValidationError: empty name, unknown kind, duplicate name, a period ending before it starts,
            or a prefix with brackets or digits (``domain.doc_number.clean_doc_prefix``).
    """
    name = name.strip()
    if not name:
        raise ValidationError("请填写检查任务名称")
    if kind not in KIND_LABELS:
        raise ValidationError(f"未知的检查任务类型：{kind}")
    if period_start and period_end and period_end < period_start:
        raise ValidationError("检查期间的结束日期早于开始日期")
    campaign = Campaign(new_id(), name, kind, authority.strip(), clean_doc_prefix(doc_prefix), period_start, period_end)
    with transaction(ctx.conn):
        return campaign_repo.insert(ctx.conn, campaign, ctx.author)


def update_campaign(ctx: Context, campaign_id: str, **changes) -> Campaign:
    """Change a campaign's ``name``, ``authority``, ``doc_prefix``, ``period_start`` or ``period_end``.

    Issued document numbers keep their prefix; a new prefix applies to documents issued later.

    Raises:
        ValidationError: empty or duplicate name, unknown field, a period ending before it starts, or
            a prefix with brackets or digits.
        NotFoundError: no such campaign.
    """
    allowed = {"name", "authority", "doc_prefix", "period_start", "period_end"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"不能修改检查任务的这些项：{'、'.join(sorted(unknown))}")
    current = campaign_repo.get(ctx.conn, campaign_id)
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    if "doc_prefix" in cleaned:
        cleaned["doc_prefix"] = clean_doc_prefix(cleaned["doc_prefix"] or "")
    updated = replace(current, **cleaned)
    if not updated.name:
        raise ValidationError("请填写检查任务名称")
    if updated.period_start and updated.period_end and updated.period_end < updated.period_start:
        raise ValidationError("检查期间的结束日期早于开始日期")
    with transaction(ctx.conn):
        return campaign_repo.update(ctx.conn, updated, ctx.author)


def list_campaigns(ctx: Context) -> list[Campaign]:
    """Every campaign, newest first."""
    return campaign_repo.all_campaigns(ctx.conn)


def get_campaign(ctx: Context, key: str) -> Campaign:
    """A campaign by id or name.

    Raises:
        NotFoundError: no such campaign, or it is in the 回收站 (removed; say so).
    """
    campaign = campaign_repo.get(ctx.conn, key)
    if removal_repo.is_removed(ctx.conn, "campaign", campaign.id):
        raise NotFoundError(f"检查任务“{campaign.name}”已删除（在回收站中）；撤销删除后才能使用")
    return campaign


def get_or_create(ctx: Context, name: str, **kwargs) -> Campaign:
    """The campaign called ``name``, created with ``kwargs`` when it does not exist yet.

    Looking and creating happen in one write transaction, so two processes asking at once get
    the same campaign rather than an error.
    """
    with transaction(ctx.conn):
        for campaign in campaign_repo.all_campaigns(ctx.conn):
            if campaign.name == name.strip():
                return campaign
        return create_campaign(ctx, name, **kwargs)
