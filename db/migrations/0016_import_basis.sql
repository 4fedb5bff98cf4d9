-- 0016: re-importing a list that has not changed, without reading it again (issue 12).
-- Per campaign, a counter that every write of the values an import compares bumps (a trigger on
-- each of site, sponsor and site_domain: inserts, deletes and updates of those columns, whoever
-- writes them — an import, its undo, a restore, a merged work package, a conflict decision), and
-- what the last import completed on this device read: a digest of the file's bytes, the options,
-- the importer's code (services/site_import.py, import_basis) and the counter when it committed.
-- An import whose digest equals it while the counter has not moved records a run with that
-- import's report instead of reading the file again. Local to this database: never in a work
-- package (storage/sync_tables.py), not audited; the rows it watches travel as ordinary changes.
-- Reviews, findings and the sort keys kept by triggers (sort_conclusion, sort_sponsor,
-- first_domain, search_text, flag_count) do not bump it: an import neither reads nor writes them.

CREATE TABLE import_basis (
    campaign_id TEXT PRIMARY KEY,
    data_version INTEGER NOT NULL DEFAULT 0,   -- bumped by the triggers below; never goes back
    run_id TEXT,                               -- the last import completed here (NULL: none to trust)
    digest TEXT,                               -- SHA-256 hex of its file, options and importer
    day TEXT,                                  -- its local date when its result depended on the date, else ''
    run_version INTEGER                        -- data_version as that import committed
) WITHOUT ROWID;

CREATE TRIGGER import_basis_site_insert AFTER INSERT ON site BEGIN
    INSERT INTO import_basis (campaign_id, data_version) VALUES (NEW.campaign_id, 1)
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;

CREATE TRIGGER import_basis_site_delete AFTER DELETE ON site BEGIN
    INSERT INTO import_basis (campaign_id, data_version) VALUES (OLD.campaign_id, 1)
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;

CREATE TRIGGER import_basis_site_update AFTER UPDATE OF campaign_id, sponsor_id, site_filing_no,
    subject_filing_no, name, homepage, access_provider, ip, contact_name, contact_phone, email, approved_on,
    psb_filing_no, city, remark, flags, source_row, present ON site BEGIN
    INSERT INTO import_basis (campaign_id, data_version) VALUES (NEW.campaign_id, 1)
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
    INSERT INTO import_basis (campaign_id, data_version) SELECT OLD.campaign_id, 1
        WHERE OLD.campaign_id IS NOT NEW.campaign_id
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;

CREATE TRIGGER import_basis_sponsor_insert AFTER INSERT ON sponsor BEGIN
    INSERT INTO import_basis (campaign_id, data_version) VALUES (NEW.campaign_id, 1)
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;

CREATE TRIGGER import_basis_sponsor_delete AFTER DELETE ON sponsor BEGIN
    INSERT INTO import_basis (campaign_id, data_version) VALUES (OLD.campaign_id, 1)
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;

CREATE TRIGGER import_basis_sponsor_update AFTER UPDATE OF campaign_id, name, nature, uscc, subject_filing_no,
    city ON sponsor BEGIN
    INSERT INTO import_basis (campaign_id, data_version) VALUES (NEW.campaign_id, 1)
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
    INSERT INTO import_basis (campaign_id, data_version) SELECT OLD.campaign_id, 1
        WHERE OLD.campaign_id IS NOT NEW.campaign_id
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;

-- A domain's campaign is its site's; a domain deleted with its site is counted by the site's trigger.
CREATE TRIGGER import_basis_domain_insert AFTER INSERT ON site_domain BEGIN
    INSERT INTO import_basis (campaign_id, data_version)
        SELECT campaign_id, 1 FROM site WHERE id = NEW.site_id
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;

CREATE TRIGGER import_basis_domain_delete AFTER DELETE ON site_domain BEGIN
    INSERT INTO import_basis (campaign_id, data_version)
        SELECT campaign_id, 1 FROM site WHERE id = OLD.site_id
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;

CREATE TRIGGER import_basis_domain_update AFTER UPDATE ON site_domain BEGIN
    INSERT INTO import_basis (campaign_id, data_version)
        SELECT campaign_id, 1 FROM site WHERE id IN (OLD.site_id, NEW.site_id)
        ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1;
END;
