"""Inspection entities: a stored template version, inspections, rounds, answers, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

IN_PROGRESS = "in_progress"
COMPLETED = "completed"
STATUS_LABELS = {IN_PROGRESS: "检查中", COMPLETED: "已完成"}


@dataclass(frozen=True)
class Inspection:
    """One inspection of an organisation (sponsor) against one stored template version.

    Attributes:
        id, campaign_id, sponsor_id: UUIDs; ``site_id`` optional website inspected.
        target: inspected system or website as written by the inspector.
        template_id: the ``checklist_template`` row it runs with (never changes).
        mlps_level: MLPS level 1–4 when the template has level-specific items, else None.
        inspected_on: local calendar day of the initial inspection.
        inspectors: names as free text.
        status: ``in_progress`` | ``completed``; ``current_round`` 0 = initial, n = n-th 复查.
        completed_at: UTC ISO 8601 time of the last completion, None while in progress.
        place: 检查地点 as written by the inspector ('' when not recorded); the notice's opening
            names it (migration 0012).
    """

    id: str
    campaign_id: str
    sponsor_id: str
    site_id: str | None
    target: str
    template_id: str
    mlps_level: int | None
    inspected_on: date
    inspectors: str
    status: str
    current_round: int
    completed_at: str | None
    place: str = ""


@dataclass(frozen=True)
class InspectionRound:
    """Round ``round`` of an inspection: its day, inspectors, the item codes to check in it
    (all items for round 0; the non-compliant and partial ones for a 复查) and completion time."""

    inspection_id: str
    round: int
    inspected_on: date
    inspectors: str
    item_codes: tuple[str, ...]
    completed_at: str | None


@dataclass(frozen=True)
class Answer:
    """The response to one item in one round; ``carried`` when copied from an earlier round
    (``answered_at`` is then the original answer's time, UTC ISO 8601)."""

    id: str
    item_code: str
    round: int
    response: str
    notes: str
    answered_at: str
    carried: bool
    origin_id: str


@dataclass(frozen=True)
class Evidence:
    """An evidence file record: ``size`` in bytes, ``sha256`` hex, ``stored_path`` relative to
    the evidence store, ``item_code`` '' for the whole inspection, ``round`` it was added in."""

    id: str
    inspection_id: str
    item_code: str
    round: int
    sha256: str
    size: int
    original_name: str
    stored_path: str
    mime: str
    description: str
    created_at: str


@dataclass(frozen=True)
class TemplateRecord:
    """A stored template version: ``id`` (row UUID), ``code``, ``title``, ``version``, ``scope``,
    ``sha256`` of its content, ``source`` file name, ``builtin`` flag, ``item_count`` and
    ``created_at`` (UTC ISO 8601)."""

    id: str
    code: str
    title: str
    version: str
    scope: str
    sha256: str
    source: str
    builtin: bool
    item_count: int
    created_at: str
