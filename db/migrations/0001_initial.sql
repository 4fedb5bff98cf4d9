-- 0001: initial schema of the inspection workbench.
-- Conventions: primary keys are UUID text; every table records created_at / updated_at (UTC ISO 8601)
-- and the device and inspector that wrote the row; dates are ISO 8601 local calendar days.

CREATE TABLE campaign (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('icp_review', 'security_inspection')),
    authority TEXT NOT NULL DEFAULT '',
    doc_prefix TEXT NOT NULL DEFAULT '',
    period_start TEXT,
    period_end TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);

-- 主办单位 (sponsor / filing entity), per campaign.
CREATE TABLE sponsor (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    nature TEXT NOT NULL DEFAULT '',
    uscc TEXT NOT NULL DEFAULT '',
    subject_filing_no TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sponsor_campaign ON sponsor(campaign_id, name);

-- 网站 (website) with its filed values, per campaign.
CREATE TABLE site (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    sponsor_id TEXT NOT NULL REFERENCES sponsor(id),
    site_filing_no TEXT NOT NULL,
    subject_filing_no TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    homepage TEXT NOT NULL DEFAULT '',
    access_provider TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    approved_on TEXT,
    psb_filing_no TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    remark TEXT NOT NULL DEFAULT '',
    flags TEXT NOT NULL DEFAULT '[]',          -- JSON list of warning codes from import
    source_row INTEGER,
    present INTEGER NOT NULL DEFAULT 1,       -- 0 once a re-import no longer lists the site
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT '',
    UNIQUE (campaign_id, site_filing_no)
);
CREATE INDEX site_sponsor ON site(sponsor_id);

CREATE TABLE site_domain (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,                     -- Unicode form, lower case
    ascii TEXT NOT NULL,                      -- punycode (IDNA) form
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, domain)
);
CREATE INDEX site_domain_domain ON site_domain(domain);

CREATE TABLE import_run (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    sheet TEXT NOT NULL DEFAULT '',
    header_row INTEGER,
    stats TEXT NOT NULL DEFAULT '{}',          -- JSON: counts printed by the import
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);

CREATE TABLE import_problem (
    id TEXT PRIMARY KEY,
    import_run_id TEXT NOT NULL REFERENCES import_run(id) ON DELETE CASCADE,
    row INTEGER,
    column_name TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    message TEXT NOT NULL,
    value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX import_problem_run ON import_problem(import_run_id, row);

-- 备案信息准确性核查 (ICP filing accuracy review): one per site.
CREATE TABLE review (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL UNIQUE REFERENCES site(id) ON DELETE CASCADE,
    conclusion TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    reviewed_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);

CREATE TABLE review_field (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES review(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    filed_value TEXT NOT NULL DEFAULT '',
    observed_value TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL CHECK (verdict IN ('match', 'mismatch', 'unchecked')),
    UNIQUE (review_id, field)
);

-- 问题 (finding) against a sponsor, from a review or a checklist item.
CREATE TABLE finding (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    sponsor_id TEXT NOT NULL REFERENCES sponsor(id),
    site_id TEXT REFERENCES site(id),
    review_id TEXT REFERENCES review(id) ON DELETE SET NULL,
    inspection_id TEXT,
    checklist_item_code TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
    legal_basis TEXT NOT NULL DEFAULT '',
    requirement TEXT NOT NULL DEFAULT '',
    term_days INTEGER NOT NULL,
    term_unit TEXT NOT NULL CHECK (term_unit IN ('calendar', 'working')),
    start_on TEXT NOT NULL,                   -- the day the term starts from (not counted)
    deadline TEXT NOT NULL,                   -- 整改期限, absolute local date
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);
CREATE INDEX finding_sponsor ON finding(sponsor_id);
CREATE INDEX finding_campaign ON finding(campaign_id, status, deadline);

-- Every status change of a finding: who, when, why.
CREATE TABLE finding_event (
    id TEXT PRIMARY KEY,
    finding_id TEXT NOT NULL REFERENCES finding(id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    occurred_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);
CREATE INDEX finding_event_finding ON finding_event(finding_id, occurred_at);

-- 文书 (documents) with their document numbers (文号). Numbers are never reused or deleted.
CREATE TABLE notice (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    sponsor_id TEXT NOT NULL REFERENCES sponsor(id),
    kind TEXT NOT NULL CHECK (kind IN ('rectification', 'reinspection')),
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    doc_number TEXT NOT NULL UNIQUE,
    issued_on TEXT NOT NULL,
    served_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT '',
    UNIQUE (prefix, year, seq)
);

CREATE TABLE notice_finding (
    notice_id TEXT NOT NULL REFERENCES notice(id),
    finding_id TEXT NOT NULL REFERENCES finding(id),
    PRIMARY KEY (notice_id, finding_id)
);
