"""A province-sized demo database for measuring the workbench (``workbench demo --sites N --findings M``).

Rows are invented (names, filing numbers, domains, valid-looking USCCs) and written with one
prepared INSERT per table in batches (storage/bulk.py), not through the importer: 300,000 sites
take seconds instead of minutes. ``findings`` sites get a non-accurate review and its finding
(待整改, with the deadline computed on the working-day calendar once). The fill is one audit
entry, not one per row.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from workbench.domain import finding_status as fs
from workbench.domain import review as rules
from workbench.domain.deadline import compute_deadline
from workbench.domain.progress import Progress
from workbench.services import campaigns
from workbench.services.context import Context
from workbench.services.demo import (
    _CITIES,
    _PEOPLE,
    _PROVIDERS,
    _SYLLABLES,
    _TRADES,
    _WORDS,
    DEMO_INSPECTOR,
    DemoSummary,
    _uscc,
)
from workbench.storage.bulk import insert_many, log_operation, unaudited
from workbench.storage.connection import transaction

SCALE_CAMPAIGN = "全省网站备案信息准确性核查（规模演示）"
_SITE_COLUMNS = ("id", "campaign_id", "sponsor_id", "site_filing_no", "subject_filing_no", "name", "homepage",
                 "access_provider", "ip", "contact_name", "contact_phone", "email", "approved_on",
                 "psb_filing_no", "city", "flags", "source_row", "present", "search_text",
                 "created_at", "updated_at", "device", "inspector")
_SPONSOR_COLUMNS = ("id", "campaign_id", "name", "nature", "uscc", "subject_filing_no", "city",
                    "created_at", "updated_at", "device", "inspector")
_DOMAIN_COLUMNS = ("id", "site_id", "domain", "ascii", "position")
_REVIEW_COLUMNS = ("id", "site_id", "conclusion", "notes", "reviewed_on", "created_at", "updated_at",
                   "device", "inspector")
_FINDING_COLUMNS = ("id", "campaign_id", "sponsor_id", "site_id", "review_id", "category", "description",
                    "severity", "legal_basis", "requirement", "term_days", "term_unit", "start_on", "deadline",
                    "status", "created_at", "updated_at", "device", "inspector")
_EVENT_COLUMNS = ("id", "finding_id", "action", "from_status", "to_status", "reason", "deadline",
                  "occurred_at", "created_at", "updated_at", "device", "inspector")


def build_scale_demo(ctx: Context, sites: int, findings: int = 0, seed: int = 2026,
                     on_progress: Callable[[Progress], None] | None = None) -> DemoSummary:
    """Add a campaign of ``sites`` invented sites, ``findings`` of them reviewed with a finding.

    Args:
        sites: number of sites (≥ 1); sponsors hold one to three sites each.
        findings: number of reviewed sites with a finding (≤ ``sites``).

    Raises:
        ValueError: ``findings`` larger than ``sites`` or ``sites`` < 1.
    """
    if sites < 1 or not 0 <= findings <= sites:
        raise ValueError(f"sites={sites}, findings={findings}: need 1 ≤ sites and 0 ≤ findings ≤ sites")
    rng = random.Random(seed)
    today = ctx.today()
    campaign = campaigns.create_campaign(ctx, SCALE_CAMPAIGN, authority="某省互联网信息办公室",
                                         doc_prefix="鲁网信整改")
    who = (ctx.author.device, DEMO_INSPECTOR)
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    stamp = (now, now, *who)
    usccs = {code: [_uscc(rng, code) for _ in range(50)] for _city, code in _CITIES}   # check digits are slow
    days = [(date(2018, 1, 1) + timedelta(days=d)).isoformat() for d in range(2800)]
    words = [f"{a}{b}" for a in _WORDS for b in _WORDS]
    syllables = [f"{a}{b}" for a in _SYLLABLES for b in _SYLLABLES]
    sponsors, site_rows, domain_rows = [], [], []
    n = 0
    while n < sites:
        r = rng.getrandbits(40)
        city, code = _CITIES[r % len(_CITIES)]
        sponsor_id = str(uuid.uuid4())
        number = len(sponsors) + 1
        org = f"{city[:-1]}{words[(r >> 3) % len(words)]}{_TRADES[(r >> 10) % len(_TRADES)]}"
        subject = f"鲁ICP备{number + 10_000_000:08d}号"
        uscc = usccs[code][(r >> 13) % 50]
        sponsors.append((sponsor_id, campaign.id, f"{org}（{number}）", "企业", uscc, subject, city, *stamp))
        for k in range(1, min(1 + (r >> 19) % 3, sites - n) + 1):
            n += 1
            r = rng.getrandbits(48)
            site_id = str(uuid.uuid4())
            domain = f"{syllables[r % len(syllables)]}{n}.{('com', 'cn', 'net')[(r >> 7) % 3]}"
            provider = _PROVIDERS[(r >> 9) % len(_PROVIDERS)]
            name = f"{org[:-4]}门户网站{n}"
            filing = f"{subject}-{k}"
            search = "\x1f".join((filing, name, org, uscc, provider, city, domain, domain)).lower()
            site_rows.append((
                site_id, campaign.id, sponsor_id, filing, subject, name, f"https://www.{domain}/", provider,
                f"120.{(r >> 11) % 254 + 1}.{(r >> 19) % 254 + 1}.{(r >> 27) % 254 + 1}",
                _PEOPLE[(r >> 35) % len(_PEOPLE)], f"139{n:08d}", f"contact{n}@example.com",
                days[(r >> 38) % len(days)], f"鲁公网安备 {code}02{n:06d}号", city, "[]", n + 2, 1, search, *stamp))
            domain_rows.append((str(uuid.uuid4()), site_id, domain, domain, 0))
    review_rows, finding_rows, event_rows = _reviews_and_findings(ctx, rng, site_rows, findings, today, stamp)
    with transaction(ctx.conn), unaudited(ctx.conn):
        for table, columns, rows in (("sponsor", _SPONSOR_COLUMNS, sponsors), ("site", _SITE_COLUMNS, site_rows),
                                     ("site_domain", _DOMAIN_COLUMNS, domain_rows),
                                     ("review", _REVIEW_COLUMNS, review_rows),
                                     ("finding", _FINDING_COLUMNS, finding_rows),
                                     ("finding_event", _EVENT_COLUMNS, event_rows)):
            insert_many(ctx.conn, table, columns, rows)
            if on_progress:
                on_progress(Progress(len(rows), len(rows), f"写入 {table}"))
        log_operation(ctx.conn, "import", "campaign", campaign.id,
                      {"demo": True, "sites": sites, "sponsors": len(sponsors), "findings": findings})
    return DemoSummary(campaign.id, sites, len(review_rows), len(finding_rows), ())


def _reviews_and_findings(ctx, rng, site_rows, count, today, stamp):
    conclusions = [c for c in rules.CONCLUSION_FINDING]
    calendar = ctx.calendar
    deadlines = {}
    reviews, found, events = [], [], []
    for row in rng.sample(site_rows, count):
        conclusion = rng.choice(conclusions)
        template = rules.CONCLUSION_FINDING[conclusion]
        start = today - timedelta(days=rng.randint(0, 60))
        if start not in deadlines:
            deadlines[start] = compute_deadline(start, ctx.settings.review_term_days,
                                                ctx.settings.review_term_unit, calendar).date.isoformat()
        review_id, finding_id = str(uuid.uuid4()), str(uuid.uuid4())
        reviews.append((review_id, row[0], conclusion, "", start.isoformat(), *stamp))
        found.append((finding_id, row[1], row[2], row[0], review_id, rules.CONCLUSIONS[conclusion],
                      f"{row[5]}（{row[3]}）：{rules.CONCLUSIONS[conclusion]}", template["severity"],
                      template["legal_basis"], template["requirement"], ctx.settings.review_term_days,
                      ctx.settings.review_term_unit, start.isoformat(), deadlines[start], fs.PENDING, *stamp))
        events.append((str(uuid.uuid4()), finding_id, "create", None, fs.PENDING, "", deadlines[start],
                       stamp[0], *stamp))
    return reviews, found, events

