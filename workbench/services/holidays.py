"""Installing the user's holiday data (法定节假日安排) for years the bundled calendar lacks."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.calendar import WorkCalendar, read_year_file
from workbench.paths import resources_dir
from workbench.services.context import Context

USER_FILE_NAME = "holidays.json"


@dataclass(frozen=True)
class HolidayInstall:
    """What installing a holiday file did: the years it holds and where it was copied."""

    years: tuple[int, ...]
    path: Path


def install_holiday_file(ctx: Context, source: Path, config_dir: Path) -> HolidayInstall:
    """Validate ``source`` (format: resources/holidays/README.md), copy it to
    ``<config_dir>/holidays.json`` and make it the calendar's user file (saved in settings).

    The file is checked completely before anything is replaced, so a bad file leaves the
    current calendar in use.

    Raises:
        InputFileError: the file is unreadable or malformed (the message names the entry).
    """
    years = tuple(y.year for y in read_year_file(source))
    WorkCalendar.load(source, bundled_dir=resources_dir() / "holidays")   # the whole merge must work
    config_dir.mkdir(parents=True, exist_ok=True)
    target = config_dir / USER_FILE_NAME
    tmp = target.with_suffix(".tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    ctx.settings.holiday_file = str(target)
    ctx.reload_calendar()
    return HolidayInstall(years, target)


def coverage(ctx: Context) -> tuple[int, int]:
    """The first and last year the calendar in use has holiday data for."""
    return ctx.calendar.covered_years()
