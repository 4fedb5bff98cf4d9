"""What the settings put into printed documents: fonts per role, the contact and 复议/诉讼 bodies
(required: printing stops without them), self-reference, title, letterhead and deadline mode."""

from __future__ import annotations

from workbench.errors import MissingSettingsError
from workbench.reports import fonts
from workbench.reports.documents import Appeal
from workbench.services.context import Context

#: Settings a notice cannot be printed without, with their labels (issue 10).
REQUIRED_LABELS = {"contact": "联系人", "contact_phone": "联系电话", "review_body": "行政复议机关",
                   "court": "行政诉讼的人民法院"}


def apply(ctx: Context) -> None:
    """Use the font files chosen per role in 设置 (``Settings.fonts``) for the next documents."""
    fonts.configure(ctx.settings.fonts)


def stand_in_notes(ctx: Context) -> list[str]:
    """One Chinese sentence per role a free stand-in serves (fonts.stand_in_notes), after
    applying the settings; [] when every role has its GB/T 9704 face. Shown once per batch.

    Raises:
        FontError: a font chosen in 设置 is unusable, or no Chinese font is installed.
    """
    apply(ctx)
    return fonts.stand_in_notes()


def notice_title(ctx: Context, campaign_name: str) -> str:
    """The title of a campaign's notices: its own wording, else the default (Settings)."""
    s = ctx.settings
    return (s.campaign_titles.get(campaign_name, "") or s.notice_title or "").strip()


def is_order(title: str) -> bool:
    """True when a notice with ``title`` orders correction (责令…): it carries the 复议/诉讼
    clause; an advisory 整改通知书 does not (facts.md §10)."""
    return "责令" in title


def require(ctx: Context, title: str) -> None:
    """Stop before numbering or printing a notice when settings it must print are empty.

    Raises:
        MissingSettingsError: naming the empty settings (联系人, 联系电话; for an order also the
            复议机关 and the court) in ``fields`` and in the message.
    """
    s = ctx.settings
    wanted = ["contact", "contact_phone"] + (["review_body", "court"] if is_order(title) else [])
    missing = tuple(name for name in wanted if not str(getattr(s, name)).strip())
    if missing:
        labels = "、".join(REQUIRED_LABELS[name] for name in missing)
        raise MissingSettingsError(
            f"整改通知书须印明{labels}，请先在“工具 → 设置”中填写（命令行可加 --contact、--phone、"
            f"--review-body、--court）。", missing)


def appeal(ctx: Context, title: str) -> Appeal | None:
    """The 复议/诉讼 clause for an order, None for an advisory notice."""
    s = ctx.settings
    if not is_order(title):
        return None
    return Appeal(s.review_body.strip(), s.court.strip(), s.review_days, s.litigation_months)
