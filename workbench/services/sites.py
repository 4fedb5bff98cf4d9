"""Listing and looking up the websites of a campaign (the site table and the review screen)."""

from __future__ import annotations

from workbench.domain.site_views import SiteDetail, SiteSummary
from workbench.services.context import Context
from workbench.storage import site_query
from workbench.storage.site_query import SORT_KEYS

__all__ = ["SORT_KEYS", "SiteDetail", "SiteSummary", "count", "page", "detail", "next_unreviewed",
           "reviewed_count", "export_sites", "flag_labels"]


def count(ctx: Context, campaign_id: str, text: str = "", unreviewed_only: bool = False) -> int:
    """How many sites match the filter (substring of filing number, names, domains, provider, city)."""
    return site_query.count_sites(ctx.conn, campaign_id, text, unreviewed_only)


def reviewed_count(ctx: Context, campaign_id: str) -> int:
    """How many sites of the campaign have been reviewed."""
    return site_query.count_reviewed(ctx.conn, campaign_id)


def page(ctx: Context, campaign_id: str, **kwargs) -> list[SiteSummary]:
    """One page of sites; keyword arguments as :func:`workbench.storage.site_query.page_sites`."""
    return site_query.page_sites(ctx.conn, campaign_id, **kwargs)


def detail(ctx: Context, site_id: str) -> SiteDetail:
    """The filed values of one site. Raises NotFoundError."""
    return site_query.site_detail(ctx.conn, site_id)


def next_unreviewed(ctx: Context, campaign_id: str, after_site_id: str | None = None) -> str | None:
    """The next site to review after ``after_site_id`` in import order, or None when all are done."""
    return site_query.next_unreviewed(ctx.conn, campaign_id, after_site_id)


def flag_labels(flags: tuple[str, ...] | list[str]) -> list[str]:
    """Chinese sentences for a site's import flags (unknown codes are shown as they are)."""
    from workbench.importers.cells import FLAG_LABELS

    return [FLAG_LABELS.get(code, code) for code in flags]


def export_sites(ctx: Context, campaign_id: str) -> list[dict]:
    """Every stored site with its canonical fields and problem flags (``workbench sites --json``)."""
    return site_query.site_listing(ctx.conn, campaign_id)
