"""Templates are stored per version; inspections keep the version they ran with."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from workbench.errors import ValidationError, WorkbenchError
from workbench.exporters.checklist_xlsx import write_template_xlsx
from workbench.services import checklist_templates
from workbench.services import inspection_service as svc
from workbench.storage import checklist_repo

from .conftest import AUTHOR


def test_builtins_load_once(ctx, templates):
    assert set(templates) == {"website_security", "mlps2_condensed", "pipl_compliance"}
    again = checklist_templates.list_templates(ctx)
    assert {r.id for r in again} == {r.id for r in templates.values()}
    assert ctx.conn.execute("SELECT COUNT(*) FROM checklist_template").fetchone()[0] == 3
    assert all(r.builtin and r.item_count > 0 for r in again)


def test_same_version_with_other_content_is_refused(ctx, templates):
    _rec, template = checklist_repo.get(ctx.conn, templates["pipl_compliance"].id)
    changed = replace(template, title="改过的标题")
    with pytest.raises(ValidationError, match="已存在且内容不同"):
        checklist_repo.save(ctx.conn, changed, AUTHOR)


def test_edited_template_becomes_new_version_and_old_inspection_keeps_its_own(ctx, org, templates, tmp_path):
    old = templates["website_security"]
    inspection = svc.start_inspection(ctx, campaign_id=org.campaign_id, sponsor_id=org.sponsor_id,
                                      template_id=old.id, inspected_on=date(2026, 3, 2))
    _rec, template = checklist_repo.get(ctx.conn, old.id)
    edited_item = replace(template.items[0], requirement="明确网络安全负责人并公布联系方式。")
    edited = replace(template, items=(edited_item, *template.items[1:]))
    path = tmp_path / "edited.xlsx"
    write_template_xlsx(edited, path)

    with pytest.raises(ValidationError):
        checklist_templates.import_template(ctx, path)
    new = checklist_templates.import_template(ctx, path, new_version=True)
    major, minor = old.version.split(".")
    assert (new.code, new.version) == ("website_security", f"{major}.{int(minor) + 1}")
    assert new.id != old.id and new.sha256 != old.sha256
    assert checklist_templates.import_template(ctx, path, new_version=True).id == new.id  # idempotent
    assert checklist_templates.list_templates(ctx)[-1].version == new.version

    state = svc.load_inspection(ctx, inspection.id)
    assert state.record.id == old.id and state.record.version == old.version
    assert state.template.items[0].requirement == template.items[0].requirement


def test_tampered_stored_content_is_detected(ctx, templates):
    rec = templates["pipl_compliance"]
    content = json.loads(ctx.conn.execute("SELECT content FROM checklist_template WHERE id = ?",
                                      (rec.id,)).fetchone()[0])
    content["items"][0]["severity"] = "low"
    ctx.conn.execute("UPDATE checklist_template SET content = ? WHERE id = ?",
                 (json.dumps(content, ensure_ascii=False), rec.id))
    with pytest.raises(WorkbenchError, match="校验值不符"):
        checklist_repo.get(ctx.conn, rec.id)


def test_next_version():
    assert checklist_repo.next_version("1.9") == "1.10"
    assert checklist_repo.next_version("2026.1") == "2026.2"
    assert checklist_repo.next_version("v3版") == "v4版"
    assert checklist_repo.next_version("初稿") == "初稿.1"
