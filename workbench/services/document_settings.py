"""What the settings put into printed documents: fonts per role, the contact and 复议/诉讼 bodies
(required: printing stops without them), self-reference, title, letterhead and deadline mode."""

from __future__ import annotations

from workbench.errors import FontError, MissingSettingsError, ValidationError
from workbench.reports.documents import Appeal
from workbench.services.context import Context

#: Settings a notice cannot be printed without, with their labels (issue 10).
REQUIRED_LABELS = {"contact": "联系人", "contact_phone": "联系电话", "review_body": "行政复议机关",
                   "court": "行政诉讼的人民法院"}


def apply(ctx: Context) -> None:
    """Use the font files chosen per role in 设置 (``Settings.fonts``) for the next documents."""
    # reportlab: loaded by the worker that prints, not by the window that imports this module
    from workbench.reports import fonts

    fonts.configure(ctx.settings.fonts)


def stand_in_notes(ctx: Context) -> list[str]:
    """One Chinese sentence per role a free stand-in serves (fonts.stand_in_notes), after
    applying the settings; [] when every role has its GB/T 9704 face. Shown once per batch.

    Raises:
        FontError: a font chosen in 设置 is unusable, or no Chinese font is installed.
    """
    from workbench.reports import fonts

    apply(ctx)
    return fonts.stand_in_notes()


def check_fonts(files: dict[str, str]) -> dict[str, tuple[bool, str]]:
    """Check the font files chosen per role in 设置 before they are saved (runs off the GUI
    thread: each file is read and parsed, 0.2–0.3 s for a CJK font).

    Args:
        files: role → ``path`` or ``path#n``; empty values are skipped (found automatically).

    Returns:
        role → (usable, text): the font's family name when usable, e.g. ``(True, "FangSong")``,
        else the Chinese reason (fonts.check_font_file), e.g. ``(False, "该文件（DejaVu Sans）缺少
        中文字形：…")``, to show under the role's field.
    """
    from workbench.reports import fonts

    out: dict[str, tuple[bool, str]] = {}
    for role, spec in files.items():
        if not spec.strip():
            continue
        try:
            font = fonts.check_font_file(spec, role, "该文件")
        except FontError as err:
            out[role] = (False, str(err))
        else:
            out[role] = (True, font.family or font.path.name)
    return out


def with_campaign_title(titles: dict[str, str], campaign_name: str, title: str, *,
                        old_name: str = "") -> dict[str, str]:
    """``Settings.campaign_titles`` with one campaign's notice title set (or, when ``title`` is
    empty, cleared so the default applies). Keyed by campaign name: a rename moves the entry
    from ``old_name``. The caller saves the settings.

    Raises:
        ValidationError: a title with a line break, longer than 20 characters, or not ending in
            书 (a document's name: 责令限期改正通知书, 整改通知书 …).
    """
    title = title.strip()
    if title and ("\n" in title or len(title) > 20 or not title.endswith("书")):
        raise ValidationError(f"通知书标题“{title}”应为一行、不超过 20 个字、以“书”结尾"
                              f"（如 责令限期改正通知书、整改通知书）。")
    out = dict(titles)
    if old_name and old_name != campaign_name:
        out.pop(old_name, None)
    if title:
        out[campaign_name] = title
    else:
        out.pop(campaign_name, None)
    return out


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
