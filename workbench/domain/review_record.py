"""A recorded ICP filing accuracy review (备案信息准确性核查) of one website."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FieldCheck:
    """One compared field: ``field`` is a code of ``review.REVIEW_FIELDS``; verdict match/mismatch/unchecked."""

    field: str
    filed_value: str
    observed_value: str
    verdict: str


@dataclass(frozen=True)
class Review:
    """The review of one website: per-field checks, one conclusion code, notes and the day done."""

    id: str
    site_id: str
    conclusion: str
    notes: str
    reviewed_on: date
    fields: tuple[FieldCheck, ...]
    inspector: str = ""
