-- 0003: evidence attached to findings, and remembered column mappings of site-list headers.

CREATE TABLE finding_evidence (
    finding_id TEXT NOT NULL REFERENCES finding(id) ON DELETE CASCADE,
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    PRIMARY KEY (finding_id, evidence_id)
);

-- A user-confirmed column mapping, keyed by the normalised header texts of the file it came from.
CREATE TABLE column_mapping (
    header_key TEXT PRIMARY KEY,
    mapping TEXT NOT NULL,                    -- JSON object: column index -> field name
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);

-- The site table pages through a campaign in import order or by a column (site_query.page_sites).
CREATE INDEX site_campaign_row ON site(campaign_id, source_row);
CREATE INDEX site_campaign_name ON site(campaign_id, name);
CREATE INDEX site_campaign_provider ON site(campaign_id, access_provider);
CREATE INDEX site_campaign_city ON site(campaign_id, city);
