-- 0002: checklist templates, security inspections (检查), their responses per round and evidence.
-- Same conventions as 0001: UUID text keys; created_at / updated_at in UTC ISO 8601; device and
-- inspector of the writer; dates ISO 8601 local calendar days.

-- 检查表模板: one row per (code, version); content is the whole template as canonical JSON and is
-- never changed once an inspection uses the row (a changed template is a new version).
CREATE TABLE checklist_template (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,                        -- the template's own id, e.g. website_security
    title TEXT NOT NULL,
    version TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,                     -- canonical JSON (sorted keys)
    sha256 TEXT NOT NULL,                      -- SHA-256 hex of content
    source TEXT NOT NULL DEFAULT '',           -- builtin file name or imported file name
    builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    item_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT '',
    UNIQUE (code, version)
);

-- 检查 (security inspection) of one organisation against one template version.
CREATE TABLE inspection (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    sponsor_id TEXT NOT NULL REFERENCES sponsor(id),
    site_id TEXT REFERENCES site(id) ON DELETE SET NULL,
    target TEXT NOT NULL DEFAULT '',           -- inspected system or website (name / URL)
    template_id TEXT NOT NULL REFERENCES checklist_template(id),
    mlps_level INTEGER CHECK (mlps_level IS NULL OR mlps_level BETWEEN 1 AND 4),
    inspected_on TEXT NOT NULL,
    inspectors TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed')),
    current_round INTEGER NOT NULL DEFAULT 0 CHECK (current_round >= 0),
    completed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_campaign ON inspection(campaign_id, sponsor_id);
CREATE INDEX inspection_template ON inspection(template_id);

-- Rounds of an inspection: 0 = the initial inspection, 1..n = re-inspections (复查).
CREATE TABLE inspection_round (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
    round INTEGER NOT NULL CHECK (round >= 0),
    inspected_on TEXT NOT NULL,
    inspectors TEXT NOT NULL DEFAULT '',
    item_codes TEXT NOT NULL DEFAULT '[]',     -- JSON list of the items to check in this round
    completed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT '',
    UNIQUE (inspection_id, round)
);

-- The response to one item in one round; answers carried into a later round point at their origin.
CREATE TABLE inspection_response (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
    round INTEGER NOT NULL CHECK (round >= 0),
    item_code TEXT NOT NULL,
    response TEXT NOT NULL CHECK (response IN
        ('compliant', 'partial', 'non_compliant', 'not_applicable', 'not_checked')),
    notes TEXT NOT NULL DEFAULT '',
    answered_at TEXT NOT NULL,
    carried_from TEXT REFERENCES inspection_response(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT '',
    UNIQUE (inspection_id, round, item_code)
);

-- 证据 files, copied into the workbench's store under a name derived from their SHA-256.
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
    item_code TEXT NOT NULL DEFAULT '',        -- '' = the inspection as a whole
    round INTEGER NOT NULL DEFAULT 0 CHECK (round >= 0),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),   -- bytes
    original_name TEXT NOT NULL,
    stored_path TEXT NOT NULL,                 -- relative to the evidence store, e.g. ab/ab12…
    mime TEXT NOT NULL DEFAULT 'application/octet-stream',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT ''
);
CREATE INDEX evidence_inspection ON evidence(inspection_id, item_code);
