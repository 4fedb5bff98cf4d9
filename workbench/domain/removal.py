"""Removal (删除) that can be undone: what was removed, by whom and when, and what went with it."""

from __future__ import annotations

from dataclasses import dataclass

#: What can be removed, with its Chinese name.
ENTITY_LABELS = {"campaign": "检查任务", "inspection": "检查", "evidence": "证据文件", "import": "导入批次"}


@dataclass(frozen=True)
class Removal:
    """One removal, restorable until ``restored_at`` is set.

    Attributes:
        id: UUID text of the removal itself.
        entity: ``campaign``, ``inspection`` or ``evidence`` (:data:`ENTITY_LABELS`).
        entity_id: the removed row's id.
        label: the removed thing as the user saw it (e.g. the campaign's name).
        summary: what went with it, as the confirmation said (counts).
        removed_at: UTC ISO 8601; ``inspector``/``device``: who removed it.
        restored_at: UTC ISO 8601 of 撤销删除, None while removed.
    """

    id: str
    entity: str
    entity_id: str
    label: str
    summary: str
    removed_at: str
    inspector: str
    device: str
    restored_at: str | None = None
    restored_by: str = ""

    @property
    def entity_label(self) -> str:
        """The Chinese name of what was removed (检查任务, 检查, 证据文件)."""
        return ENTITY_LABELS.get(self.entity, self.entity)
