-- 0017: the overview's first figures without counting rows (issue 12). At province scale the
-- window waited for four index walks (300,000 sites, 150,000 sponsors, 100,000 findings twice:
-- 90–140 ms of CPU on a cold connection, as UUID keys make each index entry wide) before it
-- showed anything. campaign_count holds, per campaign, how many sites, sponsors, reviewed sites
-- (site.sort_conclusion set: the 已核查网站 card) and findings of each status it has. The
-- triggers below keep it on every row inserted, deleted or moved to another campaign, and on
-- every change of a finding's status or a site's conclusion, whoever writes (a save, an import,
-- its undo, a merged work package, a removal or its restore). A bulk writer that sets the
-- insert triggers aside (storage/site_stream.py, site_repo.BULK_OBJECTS) counts the campaign
-- again before it commits (storage/campaign_count_repo.recount). Local, like finding_sort: it
-- travels in no work package (storage/sync_tables.py) and is not audited. Overdue and due-soon
-- depend on the day: they are read from the finding_campaign index (campaign_id, status,
-- deadline), which answers them without reading the findings that are not due.

CREATE TABLE campaign_count (
    campaign_id TEXT NOT NULL,
    what TEXT NOT NULL,            -- 'site', 'sponsor', 'reviewed', or 'finding:' || status
    n INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, what)
) WITHOUT ROWID;

INSERT INTO campaign_count (campaign_id, what, n)
SELECT campaign_id, 'site', count(*) FROM site GROUP BY campaign_id
UNION ALL SELECT campaign_id, 'reviewed', count(*) FROM site WHERE sort_conclusion > '' GROUP BY campaign_id
UNION ALL SELECT campaign_id, 'sponsor', count(*) FROM sponsor GROUP BY campaign_id
UNION ALL SELECT campaign_id, 'finding:' || status, count(*) FROM finding GROUP BY campaign_id, status;

CREATE TRIGGER campaign_count_site_insert AFTER INSERT ON site BEGIN
    INSERT INTO campaign_count (campaign_id, what, n) VALUES (NEW.campaign_id, 'site', 1)
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
    INSERT INTO campaign_count (campaign_id, what, n) SELECT NEW.campaign_id, 'reviewed', 1 WHERE NEW.sort_conclusion > ''
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER campaign_count_site_delete AFTER DELETE ON site BEGIN
    UPDATE campaign_count SET n = n - 1
        WHERE campaign_id = OLD.campaign_id AND (what = 'site' OR what = 'reviewed' AND OLD.sort_conclusion > '');
END;

CREATE TRIGGER campaign_count_site_update AFTER UPDATE OF campaign_id, sort_conclusion ON site
WHEN OLD.campaign_id IS NOT NEW.campaign_id
     OR coalesce(OLD.sort_conclusion > '', 0) <> coalesce(NEW.sort_conclusion > '', 0) BEGIN
    UPDATE campaign_count SET n = n - 1
        WHERE campaign_id = OLD.campaign_id AND (what = 'site' OR what = 'reviewed' AND OLD.sort_conclusion > '');
    INSERT INTO campaign_count (campaign_id, what, n) VALUES (NEW.campaign_id, 'site', 1)
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
    INSERT INTO campaign_count (campaign_id, what, n) SELECT NEW.campaign_id, 'reviewed', 1 WHERE NEW.sort_conclusion > ''
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER campaign_count_sponsor_insert AFTER INSERT ON sponsor BEGIN
    INSERT INTO campaign_count (campaign_id, what, n) VALUES (NEW.campaign_id, 'sponsor', 1)
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER campaign_count_sponsor_delete AFTER DELETE ON sponsor BEGIN
    UPDATE campaign_count SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND what = 'sponsor';
END;

CREATE TRIGGER campaign_count_sponsor_update AFTER UPDATE OF campaign_id ON sponsor
WHEN OLD.campaign_id IS NOT NEW.campaign_id BEGIN
    UPDATE campaign_count SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND what = 'sponsor';
    INSERT INTO campaign_count (campaign_id, what, n) VALUES (NEW.campaign_id, 'sponsor', 1)
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER campaign_count_finding_insert AFTER INSERT ON finding BEGIN
    INSERT INTO campaign_count (campaign_id, what, n) VALUES (NEW.campaign_id, 'finding:' || NEW.status, 1)
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER campaign_count_finding_delete AFTER DELETE ON finding BEGIN
    UPDATE campaign_count SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND what = 'finding:' || OLD.status;
END;

CREATE TRIGGER campaign_count_finding_update AFTER UPDATE OF campaign_id, status ON finding
WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.status IS NOT NEW.status BEGIN
    UPDATE campaign_count SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND what = 'finding:' || OLD.status;
    INSERT INTO campaign_count (campaign_id, what, n) VALUES (NEW.campaign_id, 'finding:' || NEW.status, 1)
        ON CONFLICT (campaign_id, what) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER campaign_count_campaign_delete AFTER DELETE ON campaign BEGIN
    DELETE FROM campaign_count WHERE campaign_id = OLD.id;
END;
