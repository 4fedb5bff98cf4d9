-- Every document number (文号) ever taken and what became of it (issue 9): 'reserved' in a
-- committed step before its document is rendered, 'issued' once the document's file is in place
-- and its notice row stored, 'void' with a reason when an interrupted run left it unusable.
-- A number is never deleted once it may have reached a file, and never given to another
-- organisation: the next number is max(seq) + 1 over this table.
CREATE TABLE doc_number (
    id TEXT PRIMARY KEY,
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    doc_number TEXT NOT NULL UNIQUE,
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    sponsor_id TEXT NOT NULL REFERENCES sponsor(id),
    kind TEXT NOT NULL CHECK (kind IN ('rectification', 'reinspection')),
    status TEXT NOT NULL CHECK (status IN ('reserved', 'issued', 'void')),
    reason TEXT NOT NULL DEFAULT '',
    notice_id TEXT UNIQUE REFERENCES notice(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL DEFAULT '',
    UNIQUE (prefix, year, seq),
    CHECK ((status = 'issued') = (notice_id IS NOT NULL)),
    CHECK (status != 'void' OR reason != '')
);

CREATE INDEX doc_number_open ON doc_number (status, kind, sponsor_id);

INSERT INTO doc_number (id, prefix, year, seq, doc_number, campaign_id, sponsor_id, kind, status, reason,
                        notice_id, created_at, updated_at, device, inspector)
SELECT lower(hex(randomblob(16))), prefix, year, seq, doc_number, campaign_id, sponsor_id, kind, 'issued', '', id,
       created_at, updated_at, device, inspector
FROM notice;
