"""Looking up sponsors (主办单位) of a campaign."""

from __future__ import annotations

from workbench.domain.sponsor import Sponsor
from workbench.services.context import Context
from workbench.storage import sponsor_repo


def list_sponsors(ctx: Context, campaign_id: str) -> list[Sponsor]:
    """Every sponsor of a campaign, by name."""
    return sponsor_repo.all_in_campaign(ctx.conn, campaign_id)


def get_sponsor(ctx: Context, sponsor_id: str) -> Sponsor:
    """One sponsor. Raises NotFoundError."""
    return sponsor_repo.get(ctx.conn, sponsor_id)
