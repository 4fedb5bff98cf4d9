"""An issued document (文书) as stored: number parts, addressee, findings covered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class NoticeRecord:
    """An issued document: its number parts, the sponsor it went to and the findings it covers."""

    id: str
    campaign_id: str
    sponsor_id: str
    kind: str
    prefix: str
    year: int
    seq: int
    doc_number: str
    issued_on: date
    served_on: date | None
    finding_ids: tuple[str, ...]
