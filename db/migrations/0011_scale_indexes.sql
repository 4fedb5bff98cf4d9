-- 0011: province scale (issue 12). Every visible column of the site table sorts through an index
-- that ends in the tie-break (site_filing_no), substring search goes through an FTS5 trigram
-- index, and the lookups behind the findings ledger and reviews have their indexes.

-- Findings of a review (reviews.record_review) and notices covering a finding (ledger, documents).
CREATE INDEX IF NOT EXISTS finding_review ON finding(review_id);
CREATE INDEX IF NOT EXISTS notice_finding_finding ON notice_finding(finding_id);

-- The site table's first domain, kept by triggers on site_domain, so 域名 sorts by an index
-- instead of a sub-query per row (300,000 sites: about 1.9 s -> milliseconds).
ALTER TABLE site ADD COLUMN first_domain TEXT NOT NULL DEFAULT '';
UPDATE site SET first_domain = coalesce(
    (SELECT d.domain FROM site_domain d WHERE d.site_id = site.id ORDER BY d.position LIMIT 1), '');
CREATE TRIGGER site_first_domain_insert AFTER INSERT ON site_domain WHEN NEW.position = 0 BEGIN
    UPDATE site SET first_domain = NEW.domain WHERE id = NEW.site_id;
END;
CREATE TRIGGER site_first_domain_delete AFTER DELETE ON site_domain WHEN OLD.position = 0 BEGIN
    UPDATE site SET first_domain = '' WHERE id = OLD.site_id AND first_domain = OLD.domain;
END;

-- Sort keys of the columns that live in other tables, copied onto the site: the sponsor's name
-- (written with the site; a renamed sponsor is followed by the trigger), the review conclusion
-- ('' = 未核查, kept by triggers on review) and the number of import flags (written with the site).
ALTER TABLE site ADD COLUMN sort_sponsor TEXT NOT NULL DEFAULT '';
ALTER TABLE site ADD COLUMN sort_conclusion TEXT NOT NULL DEFAULT '';
ALTER TABLE site ADD COLUMN flag_count INTEGER NOT NULL DEFAULT 0;
UPDATE site SET sort_sponsor = coalesce((SELECT p.name FROM sponsor p WHERE p.id = site.sponsor_id), ''),
    sort_conclusion = coalesce((SELECT r.conclusion FROM review r WHERE r.site_id = site.id), ''),
    flag_count = coalesce(json_array_length(flags), 0);
CREATE TRIGGER site_sort_sponsor AFTER UPDATE OF name ON sponsor WHEN OLD.name IS NOT NEW.name BEGIN
    UPDATE site SET sort_sponsor = NEW.name WHERE sponsor_id = NEW.id;
END;
CREATE TRIGGER site_sort_conclusion_insert AFTER INSERT ON review BEGIN
    UPDATE site SET sort_conclusion = NEW.conclusion WHERE id = NEW.site_id;
END;
CREATE TRIGGER site_sort_conclusion_update AFTER UPDATE OF conclusion ON review BEGIN
    UPDATE site SET sort_conclusion = NEW.conclusion WHERE id = NEW.site_id;
END;
CREATE TRIGGER site_sort_conclusion_delete AFTER DELETE ON review BEGIN
    UPDATE site SET sort_conclusion = '' WHERE id = OLD.site_id;
END;

-- Sort orders of the site table, each ending in the tie-break the query uses.
DROP INDEX IF EXISTS site_campaign_name;
DROP INDEX IF EXISTS site_campaign_city;
DROP INDEX IF EXISTS site_campaign_provider;
DROP INDEX IF EXISTS site_campaign_row;
CREATE INDEX site_campaign_row ON site(campaign_id, source_row, site_filing_no);
CREATE INDEX site_campaign_sponsor ON site(campaign_id, sort_sponsor, site_filing_no);
CREATE INDEX site_campaign_conclusion ON site(campaign_id, sort_conclusion, site_filing_no);
CREATE INDEX site_campaign_flags ON site(campaign_id, flag_count, site_filing_no);
CREATE INDEX site_campaign_name ON site(campaign_id, name, site_filing_no);
CREATE INDEX site_campaign_city ON site(campaign_id, city, site_filing_no);
CREATE INDEX site_campaign_provider ON site(campaign_id, access_provider, site_filing_no);
CREATE INDEX site_campaign_domain ON site(campaign_id, first_domain, site_filing_no);

-- Substring search of site filing number, names, USCC, provider, city and domains (the
-- search_text column of 0004) through trigrams: terms of 3 or more characters use this index;
-- shorter terms fall back to LIKE (storage/site_query.py). Keyed by the site's rowid; the program
-- never runs VACUUM (which could renumber rowids of a table without an INTEGER PRIMARY KEY).
CREATE VIRTUAL TABLE site_search USING fts5(search_text, content='site', content_rowid='rowid',
                                            tokenize='trigram');
INSERT INTO site_search(site_search) VALUES ('rebuild');
CREATE TRIGGER site_search_insert AFTER INSERT ON site BEGIN
    INSERT INTO site_search(rowid, search_text) VALUES (NEW.rowid, NEW.search_text);
END;
CREATE TRIGGER site_search_delete AFTER DELETE ON site BEGIN
    INSERT INTO site_search(site_search, rowid, search_text) VALUES ('delete', OLD.rowid, OLD.search_text);
END;
CREATE TRIGGER site_search_update AFTER UPDATE OF search_text ON site
WHEN OLD.search_text IS NOT NEW.search_text BEGIN
    INSERT INTO site_search(site_search, rowid, search_text) VALUES ('delete', OLD.rowid, OLD.search_text);
    INSERT INTO site_search(rowid, search_text) VALUES (NEW.rowid, NEW.search_text);
END;
