"""Campaigns (检查任务): a named piece of inspection work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KIND_LABELS = {"icp_review": "备案核查", "security_inspection": "安全检查"}


@dataclass(frozen=True)
class Campaign:
    """A campaign.

    Attributes:
        id: UUID text.
        name: unique name shown to users.
        kind: ``icp_review`` (备案核查) or ``security_inspection`` (安全检查).
        authority: issuing authority (检查机关), printed on notices.
        doc_prefix: document-number prefix (文号前缀), e.g. ``鲁网信整改``.
        period_start, period_end: local calendar days, or None.
    """

    id: str
    name: str
    kind: str
    authority: str = ""
    doc_prefix: str = ""
    period_start: date | None = None
    period_end: date | None = None

    @property
    def kind_label(self) -> str:
        """The kind in Chinese."""
        return KIND_LABELS.get(self.kind, self.kind)
