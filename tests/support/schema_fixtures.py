"""Builds tests/data/schemas/vN.sqlite3: a small database at every released schema version.

Each file is made by applying migrations 1..N only, then the rows below that fit version N.
Run ``python tests/support/schema_fixtures.py`` once when a migration is released (the files
are committed; tests/storage/test_schema_upgrades.py upgrades each copy to the latest version).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "schemas"
T = "'2026-03-01T08:00:00.000000+00:00'"
W = f"{T}, {T}, 'fixture-pc', '张三'"   # created_at, updated_at, device, inspector

#: (first schema version with these tables, SQL inserting rows into them).
ROWS = [
    (1, f"""
INSERT INTO campaign VALUES ('c1', '2026年网站备案核查', 'icp_review', '某市网信办', '某网信整改', '2026-03-01', '2026-06-30', {W});
INSERT INTO sponsor VALUES ('p1', 'c1', '某某科技有限公司', '企业', '91370100MA3C5XXXXX', '鲁ICP备12345678号', '济南', {W});
INSERT INTO site (id, campaign_id, sponsor_id, site_filing_no, subject_filing_no, name, homepage, access_provider,
    contact_name, contact_phone, city, source_row, created_at, updated_at, device, inspector)
  VALUES ('s1', 'c1', 'p1', '鲁ICP备12345678号-1', '鲁ICP备12345678号', '某某官网', 'https://example.cn',
    '某接入商', '李四', '13800000000', '济南', 3, {W});
INSERT INTO site_domain VALUES ('d1', 's1', 'example.cn', 'example.cn', 0);
INSERT INTO import_run VALUES ('r1', 'c1', '名单.xlsx', '{"0" * 64}', 'Sheet1', 2, '{{}}', {W});
INSERT INTO review VALUES ('v1', 's1', 'contacts_inaccurate', '电话停机', '2026-03-02', {W});
INSERT INTO review_field VALUES ('vf1', 'v1', 'contact_phone', '13800000000', '停机', 'mismatch');
INSERT INTO finding (id, campaign_id, sponsor_id, site_id, review_id, category, description, severity,
    legal_basis, requirement, term_days, term_unit, start_on, deadline, status, created_at, updated_at, device, inspector)
  VALUES ('f1', 'c1', 'p1', 's1', 'v1', 'contacts_inaccurate', '联系人电话无法接通', 'medium', '《互联网信息服务管理办法》',
    '更新备案信息', 10, 'working', '2026-03-02', '2026-03-16', 'rectifying', {W});
INSERT INTO finding_event VALUES ('e1', 'f1', 'create', NULL, 'pending', '', '2026-03-16', {T}, {W});
INSERT INTO notice (id, campaign_id, sponsor_id, kind, prefix, year, seq, doc_number, issued_on, served_on,
    created_at, updated_at, device, inspector)
  VALUES ('n1', 'c1', 'p1', 'rectification', '某网信整改', 2026, 1, '某网信整改〔2026〕1号',
    '2026-03-02', '2026-03-03', {W});
INSERT INTO notice_finding VALUES ('n1', 'f1');
"""),
    (2, f"""
INSERT INTO checklist_template VALUES ('t1', 'website_security', '网站安全检查', '1.0', '', '{{}}', '{"1" * 64}', 'builtin', 1, 0, {W});
INSERT INTO inspection (id, campaign_id, sponsor_id, site_id, target, template_id, mlps_level, inspected_on,
    inspectors, status, current_round, completed_at, created_at, updated_at, device, inspector)
  VALUES ('i1', 'c1', 'p1', 's1', '某某官网', 't1', NULL, '2026-03-05', '张三', 'in_progress', 0, NULL, {W});
INSERT INTO inspection_round VALUES ('ir1', 'i1', 0, '2026-03-05', '张三', '[]', NULL, {W});
INSERT INTO inspection_response VALUES ('ip1', 'i1', 0, 'A.1', 'non_compliant', '弱口令', {T}, NULL, {W});
INSERT INTO evidence VALUES ('ev1', 'i1', 'A.1', 0, '{"2" * 64}', 3, '截图.png', '22/{"2" * 64}', 'image/png', '', {W});
"""),
    (3, f"""
INSERT INTO finding_evidence VALUES ('f1', 'ev1');
INSERT INTO column_mapping VALUES ('单位名称|网站名称', '{{"0": "sponsor_name"}}', {W});
"""),
    (8, f"""
INSERT INTO removal (id, entity, entity_id, label, summary, removed_at, device, inspector)
  VALUES ('rm1', 'evidence', 'ev1', '截图.png', '证据文件“截图.png”将从本次检查中移除。', {T}, 'fixture-pc', '张三');
"""),
    (12, """
UPDATE inspection SET place = '济南市历下区某路1号某某大厦机房' WHERE id = 'i1';
"""),
    (13, f"""
INSERT INTO doc_number (id, prefix, year, seq, doc_number, campaign_id, sponsor_id, kind, status, reason, notice_id,
    created_at, updated_at, device, inspector)
  VALUES ('dn1', '某网信整改', 2026, 1, '某网信整改〔2026〕1号', 'c1', 'p1', 'rectification', 'issued', '', 'n1', {W});
INSERT INTO doc_number (id, prefix, year, seq, doc_number, campaign_id, sponsor_id, kind, status, reason, notice_id,
    created_at, updated_at, device, inspector)
  VALUES ('dn2', '某网信整改', 2026, 2, '某网信整改〔2026〕2号', 'c1', 'p1', 'rectification', 'void', '生成被取消', NULL, {W});
"""),
]
#: Keys a migration rewrites on purpose: {table: (column index, version that rewrites it)}.
#: 0014 keys each number's ledger row by its printed number, the same on every laptop.
REKEYED = {"doc_number": (0, 14)}


def build(version: int, target: Path) -> None:
    """Write the fixture database of schema ``version`` to ``target`` (replacing it)."""
    from workbench.storage import audit
    from workbench.storage.migrate import available, migrate

    with tempfile.TemporaryDirectory() as tmp:
        for mig in available():
            if mig.version <= version:
                shutil.copy(mig.path, Path(tmp) / mig.path.name)
        target.unlink(missing_ok=True)
        conn = sqlite3.connect(target)
        audit.register(conn, "fixture-pc", "张三")   # the triggers of version 5+ call these functions
        conn.execute("PRAGMA page_size=512")
        migrate(conn, directory=Path(tmp))
        for since, sql in ROWS:
            if since <= version:
                conn.executescript(sql)
        conn.commit()
        conn.execute("VACUUM")
        conn.close()


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    from workbench.storage.migrate import latest_version

    OUT.mkdir(parents=True, exist_ok=True)
    for v in range(1, latest_version()):
        build(v, OUT / f"v{v}.sqlite3")
        print(OUT / f"v{v}.sqlite3")
