-- 0006: what work packages need besides the rows themselves: tombstones of removed rows and
-- the conflicts a person must decide. See docs/sync.md.

-- A removed row of a synced table (written by the tomb_* triggers below). Travels in packages,
-- so a removal reaches every laptop and a partner that still has the row never brings it back.
CREATE TABLE sync_tombstone (
    entity TEXT NOT NULL,                      -- table name
    entity_id TEXT NOT NULL,                   -- primary key (parts joined by '/')
    removed_at TEXT NOT NULL,                  -- UTC ISO 8601
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT '',
    replica TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (entity, entity_id)
);

-- A field changed differently on two laptops since they last exchanged (kind 'field'), a row
-- changed on one and removed on the other ('removed_here': removed on this side, changed there;
-- 'removed_there': removed there, changed here). Kept for a person to decide, never settled by
-- the later writer. candidates: JSON list of {value, device, inspector, at, replica}; the id is
-- derived from the cell and the candidates, so two laptops finding the same conflict agree.
CREATE TABLE sync_conflict (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    column_name TEXT NOT NULL DEFAULT '',      -- '' for a whole-row (removal) conflict
    kind TEXT NOT NULL CHECK (kind IN ('field', 'removed_here', 'removed_there')),
    candidates TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided')),
    decided_value TEXT,                        -- JSON of the chosen value ('keep' / 'remove' for rows)
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sync_conflict_open ON sync_conflict(status, entity, entity_id);

CREATE TRIGGER tomb_campaign_delete AFTER DELETE ON campaign WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('campaign', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_campaign_insert AFTER INSERT ON campaign WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'campaign' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_checklist_template_delete AFTER DELETE ON checklist_template WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('checklist_template', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_checklist_template_insert AFTER INSERT ON checklist_template WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'checklist_template' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_sponsor_delete AFTER DELETE ON sponsor WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('sponsor', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_sponsor_insert AFTER INSERT ON sponsor WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'sponsor' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_site_delete AFTER DELETE ON site WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('site', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_site_insert AFTER INSERT ON site WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'site' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_site_domain_delete AFTER DELETE ON site_domain WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('site_domain', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_site_domain_insert AFTER INSERT ON site_domain WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'site_domain' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_import_run_delete AFTER DELETE ON import_run WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('import_run', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_import_run_insert AFTER INSERT ON import_run WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'import_run' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_import_problem_delete AFTER DELETE ON import_problem WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('import_problem', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_import_problem_insert AFTER INSERT ON import_problem WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'import_problem' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_review_delete AFTER DELETE ON review WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('review', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_review_insert AFTER INSERT ON review WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'review' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_review_field_delete AFTER DELETE ON review_field WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('review_field', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_review_field_insert AFTER INSERT ON review_field WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'review_field' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_finding_delete AFTER DELETE ON finding WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('finding', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_finding_insert AFTER INSERT ON finding WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'finding' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_finding_event_delete AFTER DELETE ON finding_event WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('finding_event', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_finding_event_insert AFTER INSERT ON finding_event WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'finding_event' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_notice_delete AFTER DELETE ON notice WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('notice', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_notice_insert AFTER INSERT ON notice WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'notice' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_notice_finding_delete AFTER DELETE ON notice_finding WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('notice_finding', OLD.notice_id || '/' || OLD.finding_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_notice_finding_insert AFTER INSERT ON notice_finding WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'notice_finding' AND entity_id = NEW.notice_id || '/' || NEW.finding_id;
END;

CREATE TRIGGER tomb_inspection_delete AFTER DELETE ON inspection WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('inspection', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_inspection_insert AFTER INSERT ON inspection WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'inspection' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_inspection_round_delete AFTER DELETE ON inspection_round WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('inspection_round', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_inspection_round_insert AFTER INSERT ON inspection_round WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'inspection_round' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_inspection_response_delete AFTER DELETE ON inspection_response WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('inspection_response', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_inspection_response_insert AFTER INSERT ON inspection_response WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'inspection_response' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_evidence_delete AFTER DELETE ON evidence WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('evidence', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_evidence_insert AFTER INSERT ON evidence WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'evidence' AND entity_id = NEW.id;
END;

CREATE TRIGGER tomb_finding_evidence_delete AFTER DELETE ON finding_evidence WHEN wb_audit_on() BEGIN
    INSERT OR REPLACE INTO sync_tombstone (entity, entity_id, removed_at, device, inspector, replica)
    VALUES ('finding_evidence', OLD.finding_id || '/' || OLD.evidence_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), wb_device(), wb_inspector(), (SELECT id FROM sync_replica));
END;
CREATE TRIGGER tomb_finding_evidence_insert AFTER INSERT ON finding_evidence WHEN wb_audit_on() BEGIN
    DELETE FROM sync_tombstone WHERE entity = 'finding_evidence' AND entity_id = NEW.finding_id || '/' || NEW.evidence_id;
END;

-- What this database knows about each partner it exchanges work packages with (never synced).
-- last_received: id of the newest package imported from it (sent back as an acknowledgement, so
-- the partner knows which state we have); last_sent: id of the newest package exported to it.
CREATE TABLE sync_partner (
    replica TEXT PRIMARY KEY,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT '',
    last_received TEXT,
    last_received_at TEXT,
    last_sent TEXT,
    last_sent_at TEXT
);
