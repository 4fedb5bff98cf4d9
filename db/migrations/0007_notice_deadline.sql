-- 0007: a notice keeps the deadline it printed (issue 10). A re-print never changes the deadline
-- under an existing 文号 and date; an extension is a new notice with its own 文号 that cites the
-- first (extends_id).
--   deadline: the last day (inclusive) printed; NULL while a term running from receipt awaits
--             送达 (then filled from the service day).
--   term_text: the period as printed, e.g. '15个工作日' ('' for older notices).
--   from_receipt: 1 when the term runs from receipt (自收到本通知书之日起…), 0 when fixed at issue.
--   extends_id: the notice whose term this one extends (NULL for an original notice).

ALTER TABLE notice ADD COLUMN deadline TEXT;
ALTER TABLE notice ADD COLUMN term_text TEXT NOT NULL DEFAULT '';
ALTER TABLE notice ADD COLUMN from_receipt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notice ADD COLUMN extends_id TEXT REFERENCES notice(id);

-- Older rectification notices: the latest deadline of their findings is what they printed.
UPDATE notice SET deadline = (
    SELECT max(f.deadline) FROM finding f JOIN notice_finding nf ON nf.finding_id = f.id
    WHERE nf.notice_id = notice.id)
WHERE kind = 'rectification';

-- audit triggers of notice with the new columns (python -m workbench.storage.audit_sql)
DROP TRIGGER IF EXISTS audit_notice_insert;
DROP TRIGGER IF EXISTS audit_notice_update;
DROP TRIGGER IF EXISTS audit_notice_delete;
CREATE TRIGGER audit_notice_insert AFTER INSERT ON notice WHEN wb_audit_on() BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    ('issue', 'notice', NEW.id, NULL, json_object('id', NEW.id, 'campaign_id', NEW.campaign_id, 'sponsor_id', NEW.sponsor_id, 'kind', NEW.kind, 'prefix', NEW.prefix, 'year', NEW.year, 'seq', NEW.seq, 'doc_number', NEW.doc_number, 'issued_on', NEW.issued_on, 'served_on', NEW.served_on, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'device', NEW.device, 'inspector', NEW.inspector, 'deadline', NEW.deadline, 'term_text', NEW.term_text, 'from_receipt', NEW.from_receipt, 'extends_id', NEW.extends_id));
END;
CREATE TRIGGER audit_notice_update AFTER UPDATE ON notice WHEN wb_audit_on() AND (OLD.id IS NOT NEW.id OR OLD.campaign_id IS NOT NEW.campaign_id OR OLD.sponsor_id IS NOT NEW.sponsor_id OR OLD.kind IS NOT NEW.kind OR OLD.prefix IS NOT NEW.prefix OR OLD.year IS NOT NEW.year OR OLD.seq IS NOT NEW.seq OR OLD.doc_number IS NOT NEW.doc_number OR OLD.issued_on IS NOT NEW.issued_on OR OLD.served_on IS NOT NEW.served_on OR OLD.created_at IS NOT NEW.created_at OR OLD.device IS NOT NEW.device OR OLD.inspector IS NOT NEW.inspector OR OLD.deadline IS NOT NEW.deadline OR OLD.term_text IS NOT NEW.term_text OR OLD.from_receipt IS NOT NEW.from_receipt OR OLD.extends_id IS NOT NEW.extends_id) BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    ('change', 'notice', NEW.id, json_object('id', OLD.id, 'campaign_id', OLD.campaign_id, 'sponsor_id', OLD.sponsor_id, 'kind', OLD.kind, 'prefix', OLD.prefix, 'year', OLD.year, 'seq', OLD.seq, 'doc_number', OLD.doc_number, 'issued_on', OLD.issued_on, 'served_on', OLD.served_on, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'device', OLD.device, 'inspector', OLD.inspector, 'deadline', OLD.deadline, 'term_text', OLD.term_text, 'from_receipt', OLD.from_receipt, 'extends_id', OLD.extends_id), json_object('id', NEW.id, 'campaign_id', NEW.campaign_id, 'sponsor_id', NEW.sponsor_id, 'kind', NEW.kind, 'prefix', NEW.prefix, 'year', NEW.year, 'seq', NEW.seq, 'doc_number', NEW.doc_number, 'issued_on', NEW.issued_on, 'served_on', NEW.served_on, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'device', NEW.device, 'inspector', NEW.inspector, 'deadline', NEW.deadline, 'term_text', NEW.term_text, 'from_receipt', NEW.from_receipt, 'extends_id', NEW.extends_id));
END;
CREATE TRIGGER audit_notice_delete AFTER DELETE ON notice WHEN wb_audit_on() BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    ('remove', 'notice', OLD.id, json_object('id', OLD.id, 'campaign_id', OLD.campaign_id, 'sponsor_id', OLD.sponsor_id, 'kind', OLD.kind, 'prefix', OLD.prefix, 'year', OLD.year, 'seq', OLD.seq, 'doc_number', OLD.doc_number, 'issued_on', OLD.issued_on, 'served_on', OLD.served_on, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'device', OLD.device, 'inspector', OLD.inspector, 'deadline', OLD.deadline, 'term_text', OLD.term_text, 'from_receipt', OLD.from_receipt, 'extends_id', OLD.extends_id), NULL);
END;

