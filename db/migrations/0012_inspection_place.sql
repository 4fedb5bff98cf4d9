-- 0012: the place of an inspection (检查地点, issue 10). A 责令限期改正通知书 opens with when,
-- where and by whom the inspection was done ("我办检查人员…于…在{place}…"); the place was never
-- stored, so the notice could not say it.
--   place: where the inspection was done, as the inspector writes it (e.g. 济南市历下区某路1号
--          某某大厦机房); '' when not recorded (older inspections, remote checks): the notice
--          then leaves the place out.

ALTER TABLE inspection ADD COLUMN place TEXT NOT NULL DEFAULT '';

-- audit triggers of inspection with the new column (python -m workbench.storage.audit_sql)
DROP TRIGGER IF EXISTS audit_inspection_insert;
DROP TRIGGER IF EXISTS audit_inspection_update;
DROP TRIGGER IF EXISTS audit_inspection_delete;
CREATE TRIGGER audit_inspection_insert AFTER INSERT ON inspection WHEN wb_audit_on() BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    ('create', 'inspection', NEW.id, NULL, json_object('id', NEW.id, 'campaign_id', NEW.campaign_id, 'sponsor_id', NEW.sponsor_id, 'site_id', NEW.site_id, 'target', NEW.target, 'template_id', NEW.template_id, 'mlps_level', NEW.mlps_level, 'inspected_on', NEW.inspected_on, 'inspectors', NEW.inspectors, 'status', NEW.status, 'current_round', NEW.current_round, 'completed_at', NEW.completed_at, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'device', NEW.device, 'inspector', NEW.inspector, 'place', NEW.place));
END;
CREATE TRIGGER audit_inspection_update AFTER UPDATE ON inspection WHEN wb_audit_on() AND (OLD.id IS NOT NEW.id OR OLD.campaign_id IS NOT NEW.campaign_id OR OLD.sponsor_id IS NOT NEW.sponsor_id OR OLD.site_id IS NOT NEW.site_id OR OLD.target IS NOT NEW.target OR OLD.template_id IS NOT NEW.template_id OR OLD.mlps_level IS NOT NEW.mlps_level OR OLD.inspected_on IS NOT NEW.inspected_on OR OLD.inspectors IS NOT NEW.inspectors OR OLD.status IS NOT NEW.status OR OLD.current_round IS NOT NEW.current_round OR OLD.completed_at IS NOT NEW.completed_at OR OLD.created_at IS NOT NEW.created_at OR OLD.device IS NOT NEW.device OR OLD.inspector IS NOT NEW.inspector OR OLD.place IS NOT NEW.place) BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    (CASE WHEN OLD.status IS NOT NEW.status THEN 'status' ELSE 'change' END, 'inspection', NEW.id, json_object('id', OLD.id, 'campaign_id', OLD.campaign_id, 'sponsor_id', OLD.sponsor_id, 'site_id', OLD.site_id, 'target', OLD.target, 'template_id', OLD.template_id, 'mlps_level', OLD.mlps_level, 'inspected_on', OLD.inspected_on, 'inspectors', OLD.inspectors, 'status', OLD.status, 'current_round', OLD.current_round, 'completed_at', OLD.completed_at, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'device', OLD.device, 'inspector', OLD.inspector, 'place', OLD.place), json_object('id', NEW.id, 'campaign_id', NEW.campaign_id, 'sponsor_id', NEW.sponsor_id, 'site_id', NEW.site_id, 'target', NEW.target, 'template_id', NEW.template_id, 'mlps_level', NEW.mlps_level, 'inspected_on', NEW.inspected_on, 'inspectors', NEW.inspectors, 'status', NEW.status, 'current_round', NEW.current_round, 'completed_at', NEW.completed_at, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'device', NEW.device, 'inspector', NEW.inspector, 'place', NEW.place));
END;
CREATE TRIGGER audit_inspection_delete AFTER DELETE ON inspection WHEN wb_audit_on() BEGIN
    INSERT INTO audit_entry (action, entity, entity_id, before, after) VALUES
    ('remove', 'inspection', OLD.id, json_object('id', OLD.id, 'campaign_id', OLD.campaign_id, 'sponsor_id', OLD.sponsor_id, 'site_id', OLD.site_id, 'target', OLD.target, 'template_id', OLD.template_id, 'mlps_level', OLD.mlps_level, 'inspected_on', OLD.inspected_on, 'inspectors', OLD.inspectors, 'status', OLD.status, 'current_round', OLD.current_round, 'completed_at', OLD.completed_at, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'device', OLD.device, 'inspector', OLD.inspector, 'place', OLD.place), NULL);
END;
