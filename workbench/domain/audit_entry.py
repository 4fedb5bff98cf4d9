"""One audit-log entry as the window and exports show it (the log itself: storage/audit.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditEntry:
    """One log entry as the window and exports show it. ``at`` is UTC ISO text; ``before`` and
    ``after`` are the decoded JSON values (dicts of column -> value for row changes) or None."""

    replica: str
    seq: int
    at: str
    device: str
    inspector: str
    action: str
    entity: str
    entity_id: str
    before: object
    after: object

    def changed_fields(self) -> dict[str, tuple]:
        """Columns whose value differs between before and after: name -> (before, after)."""
        b = self.before if isinstance(self.before, dict) else {}
        a = self.after if isinstance(self.after, dict) else {}
        return {k: (b.get(k), a.get(k)) for k in sorted(set(a) | set(b))
                if b.get(k) != a.get(k) and k not in ("updated_at",)}
