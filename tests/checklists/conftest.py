"""Fixtures for checklist tests: a campaign with two sponsors, the built-in templates, a store."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from workbench.domain.author import Author
from workbench.services import checklist_templates
from workbench.services.context import Context
from workbench.storage.evidence_store import EvidenceStore
from workbench.storage.records import stamp

AUTHOR = Author("测试机", "王检查")


@dataclass(frozen=True)
class Org:
    campaign_id: str
    sponsor_id: str
    other_campaign_sponsor_id: str


def _insert(conn, table: str, values: dict) -> str:
    row = stamp(values, AUTHOR, new=True)
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                 list(row.values()))
    return row["id"]


@pytest.fixture
def org(conn) -> Org:
    """A security-inspection campaign with one sponsor, plus a sponsor of another campaign."""
    campaign = _insert(conn, "campaign", {"name": "2026年网站安全检查", "kind": "security_inspection"})
    other = _insert(conn, "campaign", {"name": "2026年备案核查", "kind": "icp_review"})
    sponsor = _insert(conn, "sponsor", {"campaign_id": campaign, "name": "济南海岳科技有限公司"})
    stranger = _insert(conn, "sponsor", {"campaign_id": other, "name": "青岛某某公司"})
    return Org(campaign, sponsor, stranger)


@pytest.fixture
def templates(ctx) -> dict:
    """The built-in templates loaded into the test database: code → TemplateRecord."""
    return {rec.code: rec for rec in checklist_templates.list_templates(ctx)}


@pytest.fixture
def ctx(conn, tmp_path) -> Context:
    """A services context on the test database, written by AUTHOR, evidence beside the database."""
    return Context(conn, AUTHOR, evidence_dir=tmp_path / "test.sqlite3.evidence")


@pytest.fixture
def store(tmp_path) -> EvidenceStore:
    """An empty evidence store beside the test database."""
    return EvidenceStore(tmp_path / "test.sqlite3.evidence")
