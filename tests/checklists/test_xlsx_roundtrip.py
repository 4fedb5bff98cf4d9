"""Exporting a template to Excel and importing it back gives the identical template."""

from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import load_workbook

from workbench.domain.checklist import ChecklistItem
from workbench.exporters.checklist_xlsx import write_template_xlsx
from workbench.importers.checklist_xlsx import read_template_xlsx
from workbench.storage import checklist_repo

BUILTINS = checklist_repo.builtin_template_files()


@pytest.mark.parametrize("path", BUILTINS, ids=[p.stem for p in BUILTINS])
def test_builtin_round_trip(tmp_path, path):
    template = checklist_repo.read_yaml_template(path)
    out = tmp_path / f"{template.code}.xlsx"
    write_template_xlsx(template, out)
    back = read_template_xlsx(out)
    assert back == template
    assert checklist_repo.content_sha256(back) == checklist_repo.content_sha256(template)


def test_round_trip_keeps_every_optional_field_and_formula_like_text(tmp_path):
    template = checklist_repo.read_yaml_template(BUILTINS[0])
    first: ChecklistItem = template.items[0]
    edited = replace(first, guidance="=HYPERLINK(\"http://x\")", responses=("compliant", "non_compliant"),
                     levels=(3,), rectification="@立即整改", requirement="-多行\n要求")
    template = replace(template, scope="+范围", items=(edited, *template.items[1:]))
    out = tmp_path / "edited.xlsx"
    write_template_xlsx(template, out)
    assert read_template_xlsx(out) == template
    cell = load_workbook(out)["检查项"]["E2"]
    assert cell.data_type != "f"  # stored as text, not as a formula


def test_export_writes_chinese_headers_and_severity(tmp_path):
    template = checklist_repo.read_yaml_template(BUILTINS[0])
    out = tmp_path / "t.xlsx"
    write_template_xlsx(template, out)
    book = load_workbook(out)
    assert book.sheetnames == ["模板信息", "检查项"]
    header = [c.value for c in book["检查项"][1]]
    assert header[:7] == ["章节编号", "章节/分类", "编号", "检查要求", "检查方法", "依据", "严重程度"]
    assert {r[6] for r in book["检查项"].iter_rows(min_row=2, values_only=True)} <= {"高", "中", "低"}
