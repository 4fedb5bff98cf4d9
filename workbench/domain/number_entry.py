"""One document number (文号) in the ledger of numbers taken, with what became of it."""

from __future__ import annotations

from dataclasses import dataclass

#: A number's states: reserved before its document is rendered; issued once the document is in
#: place and recorded; void (never used again) with a reason.
RESERVED, ISSUED, VOID = "reserved", "issued", "void"


@dataclass(frozen=True)
class NumberEntry:
    """One ledger row: the number's parts, whom it is for, and its status (reason when void);
    the block it was drawn from (None: outside every block) and who last changed it, when (UTC)."""

    prefix: str
    year: int
    seq: int
    doc_number: str
    campaign_id: str
    sponsor_id: str
    kind: str
    status: str
    reason: str
    notice_id: str | None
    block_id: str | None = None
    updated_at: str = ""
    device: str = ""
    inspector: str = ""
