"""A block of document numbers (文号段) that the lead hands to one laptop (issue 13)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NumberBlock:
    """Numbers ``first_seq``..``last_seq`` (inclusive) of ``prefix``〔``year``〕 for one laptop.

    ``holder_replica`` is the laptop's database (its replica id, docs/sync.md) that alone draws
    from the block; ``assigned_by_replica`` the lead's, which alone assigns blocks of the
    sequence and draws the numbers outside every block. ``device`` / ``inspector`` / ``assigned_at``
    say who assigned it and when (UTC ISO 8601).
    """

    id: str
    campaign_id: str
    prefix: str
    year: int
    first_seq: int
    last_seq: int
    holder_replica: str
    holder_device: str
    holder_inspector: str
    assigned_by_replica: str
    note: str
    assigned_at: str
    device: str
    inspector: str

    @property
    def size(self) -> int:
        """How many numbers the block holds."""
        return self.last_seq - self.first_seq + 1

    def contains(self, seq: int) -> bool:
        """Whether ``seq`` is one of the block's numbers."""
        return self.first_seq <= seq <= self.last_seq

    @property
    def label(self) -> str:
        """``鲁网信整改〔2026〕101–150号``."""
        return f"{self.prefix}〔{self.year}〕{self.first_seq}–{self.last_seq}号"

    @property
    def holder_label(self) -> str:
        """``甲（laptop-a）``: the holder as the lead knew it."""
        return laptop_label(self.holder_device, self.holder_inspector, self.holder_replica)

    @property
    def lead_label(self) -> str:
        """The lead who assigned the block, as ``组长（lead-pc）``."""
        return laptop_label(self.device, self.inspector, self.assigned_by_replica)


def laptop_label(device: str, inspector: str, replica: str, *, this_one: bool = False) -> str:
    """``甲（laptop-a）``, or the replica's first 8 characters when nothing else is known;
    ``甲（laptop-a，本机）`` for this laptop."""
    who = inspector or device or replica[:8]
    notes = [d for d in (device if device and inspector else "", "本机" if this_one else "") if d]
    return f"{who}（{'，'.join(notes)}）" if notes else who
