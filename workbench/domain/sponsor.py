"""Sponsors (主办单位): the organisations or people a filing belongs to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sponsor:
    """A sponsor within one campaign: name, nature (性质, stored as the name), USCC, subject filing no."""

    id: str
    campaign_id: str
    name: str
    nature: str
    uscc: str
    subject_filing_no: str
    city: str
