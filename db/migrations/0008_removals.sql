-- 0008: removing a campaign, an inspection or an evidence file without losing it. A removal hides
-- the row everywhere (queries skip ids with an unrestored removal) and keeps everything stored,
-- so 撤销删除 in the 回收站 brings it back; issued document numbers stay taken (notice rows are
-- never deleted). Who removed and restored, and when, is kept here and in the audit log.
CREATE TABLE removal (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('campaign', 'inspection', 'evidence')),
    entity_id TEXT NOT NULL,
    label TEXT NOT NULL,                       -- what was removed, as the user saw it
    summary TEXT NOT NULL DEFAULT '',          -- what went with it (counts), as confirmed
    removed_at TEXT NOT NULL,                  -- UTC ISO 8601
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL,
    restored_at TEXT,                          -- UTC ISO 8601; NULL while removed
    restored_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX removal_active ON removal(entity, entity_id) WHERE restored_at IS NULL;
