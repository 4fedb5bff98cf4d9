-- 0013: undoing an import (撤销导入, issue 9). While an import stores its list, every sponsor and
-- site row it creates, changes or deletes is logged here with its values before the import and a
-- hash of the row as the import left it (storage/import_undo_repo.py; sites with their domains).
-- Undoing puts each logged row back to its "before" (created rows go), but only while it still is
-- as the import left it; restoring from the 回收站 puts the "after" back the same way. Local to
-- this database: the rows the undo changes travel in work packages as ordinary changes.

-- One row per import run that was logged (runs made before this version have none: they cannot
-- be undone, and the window says so).
CREATE TABLE import_log (
    import_run_id TEXT PRIMARY KEY REFERENCES import_run(id) ON DELETE CASCADE,
    recorded_at TEXT NOT NULL                  -- UTC ISO 8601
);

CREATE TABLE import_change (
    import_run_id TEXT NOT NULL REFERENCES import_log(import_run_id) ON DELETE CASCADE,
    entity TEXT NOT NULL CHECK (entity IN ('sponsor', 'site')),
    entity_id TEXT NOT NULL,
    before TEXT,                               -- JSON of the row before the import; NULL: it created the row
    after TEXT,                                -- JSON of the row as the import left it, for a row it changed
                                               -- (for a row it created: written when the import is undone)
    after_hash TEXT,                           -- hash of that JSON (storage/import_undo_repo.py); NULL: no row
    PRIMARY KEY (import_run_id, entity, entity_id)
);
CREATE INDEX import_change_row ON import_change(entity, entity_id);

-- The 回收站 takes undone imports too: removal.entity gains 'import' (SQLite cannot change a
-- CHECK in place, so the table is rebuilt with its index and the audit triggers of 0009).
CREATE TABLE removal_new (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('campaign', 'inspection', 'evidence', 'import')),
    entity_id TEXT NOT NULL,
    label TEXT NOT NULL,                       -- what was removed, as the user saw it
    summary TEXT NOT NULL DEFAULT '',          -- what went with it (counts), as confirmed
    removed_at TEXT NOT NULL,                  -- UTC ISO 8601
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL,
    restored_at TEXT,                          -- UTC ISO 8601; NULL while removed
    restored_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO removal_new SELECT id, entity, entity_id, label, summary, removed_at, device, inspector, restored_at,
    restored_by FROM removal;
DROP TABLE removal;
ALTER TABLE removal_new RENAME TO removal;
CREATE INDEX removal_active ON removal(entity, entity_id) WHERE restored_at IS NULL;
CREATE TRIGGER audit_removal_insert AFTER INSERT ON removal WHEN wb_audit_on() BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    ('remove', 'removal', NEW.id, NULL, json_object('id', NEW.id, 'entity', NEW.entity, 'entity_id', NEW.entity_id, 'label', NEW.label, 'summary', NEW.summary, 'removed_at', NEW.removed_at, 'device', NEW.device, 'inspector', NEW.inspector, 'restored_at', NEW.restored_at, 'restored_by', NEW.restored_by));
END;
CREATE TRIGGER audit_removal_update AFTER UPDATE ON removal WHEN wb_audit_on() AND (OLD.id IS NOT NEW.id OR OLD.entity IS NOT NEW.entity OR OLD.entity_id IS NOT NEW.entity_id OR OLD.label IS NOT NEW.label OR OLD.summary IS NOT NEW.summary OR OLD.removed_at IS NOT NEW.removed_at OR OLD.device IS NOT NEW.device OR OLD.inspector IS NOT NEW.inspector OR OLD.restored_at IS NOT NEW.restored_at OR OLD.restored_by IS NOT NEW.restored_by) BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    (CASE WHEN OLD.restored_at IS NULL AND NEW.restored_at IS NOT NULL THEN 'restore' ELSE 'change' END, 'removal', NEW.id, json_object('id', OLD.id, 'entity', OLD.entity, 'entity_id', OLD.entity_id, 'label', OLD.label, 'summary', OLD.summary, 'removed_at', OLD.removed_at, 'device', OLD.device, 'inspector', OLD.inspector, 'restored_at', OLD.restored_at, 'restored_by', OLD.restored_by), json_object('id', NEW.id, 'entity', NEW.entity, 'entity_id', NEW.entity_id, 'label', NEW.label, 'summary', NEW.summary, 'removed_at', NEW.removed_at, 'device', NEW.device, 'inspector', NEW.inspector, 'restored_at', NEW.restored_at, 'restored_by', NEW.restored_by));
END;
CREATE TRIGGER audit_removal_delete AFTER DELETE ON removal WHEN wb_audit_on() BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    ('remove', 'removal', OLD.id, json_object('id', OLD.id, 'entity', OLD.entity, 'entity_id', OLD.entity_id, 'label', OLD.label, 'summary', OLD.summary, 'removed_at', OLD.removed_at, 'device', OLD.device, 'inspector', OLD.inspector, 'restored_at', OLD.restored_at, 'restored_by', OLD.restored_by), NULL);
END;
