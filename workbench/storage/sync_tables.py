"""Which tables travel in work packages, and how each row finds its campaign.

Pitfall 2 of docs/sync.md: the list is explicit, so ``sqlite_stat1``, FTS shadow tables and
local-only tables (``column_mapping``, ``sync_replica``) never travel. Every table here has a
declared PRIMARY KEY (pitfall 1). Order matters: the audit log and tombstones come first, so
their rows are in place when the merge consults the history of a row; parents before children.
"""

from __future__ import annotations

SYNCED_TABLES = (
    "audit_log", "sync_tombstone", "sync_conflict",
    "campaign", "checklist_template", "sponsor", "site", "site_domain", "import_run", "import_problem",
    "review", "review_field", "finding", "finding_event", "notice", "notice_finding", "doc_number_block", "doc_number",
    "inspection", "inspection_round", "inspection_response", "evidence", "finding_evidence", "removal",
)
#: Tables whose rows belong to no single campaign (they travel in every package).
GLOBAL_TABLES = ("audit_log", "sync_tombstone", "sync_conflict", "checklist_template", "removal")
#: Columns every edit bumps: never a conflict; the newer ``updated_at`` brings its author along.
BOOKKEEPING = ("updated_at", "device", "inspector")

#: SQL selecting the primary keys (as one text value, parts joined by '/') of the rows of one
#: campaign (bound as ``:c``), per table, in schema ``{s}``.
CAMPAIGN_KEYS = {
    "campaign": "SELECT id FROM {s}.campaign WHERE id = :c",
    "sponsor": "SELECT id FROM {s}.sponsor WHERE campaign_id = :c",
    "site": "SELECT id FROM {s}.site WHERE campaign_id = :c",
    "site_domain": "SELECT d.id FROM {s}.site_domain d JOIN {s}.site t ON t.id = d.site_id WHERE t.campaign_id = :c",
    "import_run": "SELECT id FROM {s}.import_run WHERE campaign_id = :c",
    "import_problem": "SELECT p.id FROM {s}.import_problem p JOIN {s}.import_run r ON r.id = p.import_run_id"
                      " WHERE r.campaign_id = :c",
    "review": "SELECT v.id FROM {s}.review v JOIN {s}.site t ON t.id = v.site_id WHERE t.campaign_id = :c",
    "review_field": "SELECT f.id FROM {s}.review_field f JOIN {s}.review v ON v.id = f.review_id"
                    " JOIN {s}.site t ON t.id = v.site_id WHERE t.campaign_id = :c",
    "finding": "SELECT id FROM {s}.finding WHERE campaign_id = :c",
    "finding_event": "SELECT e.id FROM {s}.finding_event e JOIN {s}.finding f ON f.id = e.finding_id"
                     " WHERE f.campaign_id = :c",
    "notice": "SELECT id FROM {s}.notice WHERE campaign_id = :c",
    "notice_finding": "SELECT x.notice_id || '/' || x.finding_id FROM {s}.notice_finding x"
                      " JOIN {s}.notice n ON n.id = x.notice_id WHERE n.campaign_id = :c",
    "doc_number_block": "SELECT id FROM {s}.doc_number_block WHERE campaign_id = :c",
    "doc_number": "SELECT id FROM {s}.doc_number WHERE campaign_id = :c",
    "inspection": "SELECT id FROM {s}.inspection WHERE campaign_id = :c",
    "inspection_round": "SELECT r.id FROM {s}.inspection_round r JOIN {s}.inspection i"
                        " ON i.id = r.inspection_id WHERE i.campaign_id = :c",
    "inspection_response": "SELECT r.id FROM {s}.inspection_response r JOIN {s}.inspection i"
                           " ON i.id = r.inspection_id WHERE i.campaign_id = :c",
    "evidence": "SELECT e.id FROM {s}.evidence e JOIN {s}.inspection i ON i.id = e.inspection_id"
                " WHERE i.campaign_id = :c",
    "finding_evidence": "SELECT x.finding_id || '/' || x.evidence_id FROM {s}.finding_evidence x"
                        " JOIN {s}.finding f ON f.id = x.finding_id WHERE f.campaign_id = :c",
}
