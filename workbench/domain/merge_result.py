"""What merging a work package did: counts of rows added, updated, unchanged and in conflict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class MergeResult:
    """What storage.changes.merge did. Counts are of rows of the work tables (not the log):
    ``added``, ``updated`` (including removals), ``unchanged`` (already here, or older than
    what is here), ``conflicts`` (new ones kept for a person); ``log_entries`` audit entries
    received; ``per_table``: {table: {"added", "updated", "unchanged", "conflicts"}}."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    log_entries: int = 0
    per_table: dict = field(default_factory=dict)
    evidence: list = field(default_factory=list)   # (sha256, stored_path) of evidence rows added

    def count(self, table: str, what: str, n: int = 1) -> None:
        """Add ``n`` to counter ``what`` of ``table`` (and the total unless it is the log)."""
        if n == 0:
            return
        if table == "audit_log":
            if what == "added":
                self.log_entries += n
            return
        if table in ("sync_tombstone", "sync_conflict"):
            return
        setattr(self, what, getattr(self, what) + n)
        self.per_table.setdefault(table, Counter())[what] += n

    def as_dict(self) -> dict:
        """JSON-able summary."""
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "log_entries": self.log_entries,
                "per_table": {t: dict(c) for t, c in sorted(self.per_table.items())}}
