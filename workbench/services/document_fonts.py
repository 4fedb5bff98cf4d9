"""The fonts documents are printed in: the per-role choice from 设置, and which stand-ins serve."""

from __future__ import annotations

from workbench.reports import fonts
from workbench.services.context import Context


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
