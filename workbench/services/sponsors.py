"""Looking up sponsors (主办单位) of a campaign."""

from __future__ import annotations

from workbench.domain.sponsor import Sponsor
from workbench.errors import NotFoundError
from workbench.services.context import Context
from workbench.storage import sponsor_repo


def list_sponsors(ctx: Context, campaign_id: str) -> list[Sponsor]:
    """Every sponsor of a campaign, by name."""
    return sponsor_repo.all_in_campaign(ctx.conn, campaign_id)


def get_sponsor(ctx: Context, sponsor_id: str) -> Sponsor:
    """One sponsor. Raises NotFoundError."""
    return sponsor_repo.get(ctx.conn, sponsor_id)


def find_by_name(ctx: Context, name: str, campaign_id: str | None = None) -> Sponsor:
    """The sponsor called exactly ``name`` (surrounding spaces ignored), in one campaign or, when
    none is given, in the newest campaign that has it.

    Raises:
        NotFoundError: no sponsor has that name.
    """
    matches = sponsor_repo.by_name(ctx.conn, name.strip(), campaign_id)
    if not matches:
        raise NotFoundError(f"找不到主办单位“{name.strip()}”")
    return matches[0]


def names(ctx: Context, sponsor_ids) -> dict[str, str]:
    """Sponsor id -> name for ``sponsor_ids`` (a few lines' names without reading every sponsor)."""
    return sponsor_repo.names(ctx.conn, sponsor_ids)
