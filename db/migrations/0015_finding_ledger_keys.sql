-- 0015: the findings ledger pages through an index at province scale (issue 12: 100,000 findings).
-- finding_sort holds, per finding, every value the 问题 screen sorts or filters by, including
-- those that live in other tables (the sponsor's name, the site's 备案号, the latest 整改通知书
-- 文号) and the ranks of severity, status and term. It is kept by triggers, travels in no work
-- package (sync_tables.py) and is not audited: it only repeats what the audited tables hold.
-- Each sort order has an index (campaign_id, key); seq, the tie-break, follows insertion order.

CREATE TABLE finding_sort (
    seq INTEGER PRIMARY KEY,
    finding_id TEXT NOT NULL UNIQUE,
    campaign_id TEXT NOT NULL,
    sponsor_id TEXT NOT NULL,
    status TEXT NOT NULL,
    deadline TEXT NOT NULL,
    category TEXT NOT NULL,
    severity_rank INTEGER NOT NULL,   -- 0 high, 1 medium, 2 low
    status_rank INTEGER NOT NULL,     -- lifecycle order: 待整改 … 撤销
    term_class INTEGER NOT NULL,      -- 剩余天数: 0 term running (by deadline), 1 not served, 2 closed
    sponsor TEXT NOT NULL,
    site_no TEXT NOT NULL,
    notice_number TEXT NOT NULL       -- latest rectification notice ('' when none)
);

CREATE VIEW finding_sort_source AS
SELECT f.id AS finding_id, f.campaign_id, f.sponsor_id, f.status, f.deadline, f.category,
       CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END AS severity_rank,
       CASE f.status WHEN 'pending' THEN 0 WHEN 'rectifying' THEN 1 WHEN 'awaiting_reinspection' THEN 2
                     WHEN 'failed_reinspection' THEN 3 WHEN 'closed' THEN 4 ELSE 5 END AS status_rank,
       CASE WHEN f.status IN ('rectifying', 'awaiting_reinspection', 'failed_reinspection') THEN 0
            WHEN f.status = 'pending' THEN 1 ELSE 2 END AS term_class,
       coalesce((SELECT p.name FROM sponsor p WHERE p.id = f.sponsor_id), '') AS sponsor,
       coalesce((SELECT s.site_filing_no FROM site s WHERE s.id = f.site_id), '') AS site_no,
       coalesce((SELECT n.doc_number FROM notice_finding nf JOIN notice n ON n.id = nf.notice_id
                 WHERE nf.finding_id = f.id AND n.kind = 'rectification'
                 ORDER BY n.year DESC, n.seq DESC LIMIT 1), '') AS notice_number
FROM finding f;

INSERT INTO finding_sort (finding_id, campaign_id, sponsor_id, status, deadline, category, severity_rank, status_rank,
                          term_class, sponsor, site_no, notice_number)
SELECT * FROM finding_sort_source ORDER BY (SELECT rowid FROM finding WHERE id = finding_id);

CREATE INDEX finding_sort_deadline ON finding_sort(campaign_id, deadline);
CREATE INDEX finding_sort_status ON finding_sort(campaign_id, status, deadline);
CREATE INDEX finding_sort_sponsor ON finding_sort(campaign_id, sponsor);
CREATE INDEX finding_sort_site_no ON finding_sort(campaign_id, site_no);
CREATE INDEX finding_sort_category ON finding_sort(campaign_id, category);
CREATE INDEX finding_sort_severity ON finding_sort(campaign_id, severity_rank);
CREATE INDEX finding_sort_term ON finding_sort(campaign_id, term_class, deadline);
CREATE INDEX finding_sort_status_rank ON finding_sort(campaign_id, status_rank);
CREATE INDEX finding_sort_notice ON finding_sort(campaign_id, notice_number);
-- A renamed 备案号 finds its findings (the trigger below).
CREATE INDEX IF NOT EXISTS finding_site ON finding(site_id);
-- The documents screen: sponsors with findings awaiting a notice, by name (one index walk), the
-- figures of a page of sponsors, a sponsor's latest notice, a campaign's notices newest first.
CREATE INDEX finding_sort_by_sponsor ON finding_sort(campaign_id, sponsor, sponsor_id, status);
CREATE INDEX IF NOT EXISTS finding_sponsor_status ON finding(sponsor_id, status);
CREATE INDEX IF NOT EXISTS notice_sponsor ON notice(sponsor_id, kind, year, seq);
CREATE INDEX IF NOT EXISTS notice_campaign ON notice(campaign_id, year, seq);

CREATE TRIGGER finding_sort_insert AFTER INSERT ON finding BEGIN
    INSERT OR REPLACE INTO finding_sort (finding_id, campaign_id, sponsor_id, status, deadline, category, severity_rank,
                                         status_rank, term_class, sponsor, site_no, notice_number)
    SELECT * FROM finding_sort_source WHERE finding_id = NEW.id;
END;
CREATE TRIGGER finding_sort_update AFTER UPDATE OF campaign_id, sponsor_id, site_id, status, deadline, category,
    severity ON finding BEGIN
    UPDATE finding_sort SET (campaign_id, sponsor_id, status, deadline, category, severity_rank, status_rank,
                             term_class, sponsor, site_no, notice_number) =
        (SELECT campaign_id, sponsor_id, status, deadline, category, severity_rank, status_rank, term_class, sponsor, site_no,
                notice_number FROM finding_sort_source WHERE finding_id = NEW.id)
    WHERE finding_id = NEW.id;
END;
CREATE TRIGGER finding_sort_delete AFTER DELETE ON finding BEGIN
    DELETE FROM finding_sort WHERE finding_id = OLD.id;
END;
CREATE TRIGGER finding_sort_sponsor_name AFTER UPDATE OF name ON sponsor WHEN OLD.name IS NOT NEW.name BEGIN
    UPDATE finding_sort SET sponsor = NEW.name
    WHERE finding_id IN (SELECT id FROM finding WHERE sponsor_id = NEW.id);
END;
CREATE TRIGGER finding_sort_site_no AFTER UPDATE OF site_filing_no ON site
WHEN OLD.site_filing_no IS NOT NEW.site_filing_no BEGIN
    UPDATE finding_sort SET site_no = NEW.site_filing_no
    WHERE finding_id IN (SELECT id FROM finding WHERE site_id = NEW.id);
END;
CREATE TRIGGER finding_sort_notice_insert AFTER INSERT ON notice_finding BEGIN
    UPDATE finding_sort SET notice_number =
        (SELECT notice_number FROM finding_sort_source WHERE finding_id = NEW.finding_id)
    WHERE finding_id = NEW.finding_id;
END;
CREATE TRIGGER finding_sort_notice_delete AFTER DELETE ON notice_finding BEGIN
    UPDATE finding_sort SET notice_number =
        (SELECT notice_number FROM finding_sort_source WHERE finding_id = OLD.finding_id)
    WHERE finding_id = OLD.finding_id;
END;
CREATE TRIGGER finding_sort_notice_change AFTER UPDATE OF kind, year, seq, doc_number ON notice BEGIN
    UPDATE finding_sort SET notice_number =
        (SELECT notice_number FROM finding_sort_source v WHERE v.finding_id = finding_sort.finding_id)
    WHERE finding_id IN (SELECT finding_id FROM notice_finding WHERE notice_id = NEW.id);
END;
