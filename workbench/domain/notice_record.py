"""An issued document (文书) as stored: number parts, addressee, findings covered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class NoticeRecord:
    """An issued document: its number parts, the sponsor it went to and the findings it covers.

    The term as printed (issue 10; a re-print never changes it under the same 文号): ``deadline``
    the last day, inclusive (None while a term from receipt awaits 送达), ``term_text`` such as
    "15个工作日", ``from_receipt`` when the term runs from receipt, ``extends_id`` the notice whose
    term this one extends.
    """

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
    deadline: date | None = None
    term_text: str = ""
    from_receipt: bool = False
    extends_id: str | None = None
