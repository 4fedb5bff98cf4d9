"""Template id and version rules hold for YAML templates as for Excel ones."""

from __future__ import annotations

import pytest

from workbench.domain.checklist import ChecklistFormatError
from workbench.storage.checklist_repo import template_from_yaml

YAML = """
id: {id}
title: 测试模板
version: "{version}"
sections:
  - {{code: A, title: 管理}}
items:
  - code: A-01
    section: A
    requirement: 明确网络安全负责人
    basis: ["《中华人民共和国网络安全法》（2025修正）第二十三条"]
    severity: medium
"""


@pytest.mark.parametrize("tid, version", [("../../etc/x", "1.0"), ("ok_id", "../v1"), ("<b>", "1")])
def test_unsafe_yaml_ids_are_refused(tid, version):
    with pytest.raises(ChecklistFormatError, match="不合规"):
        template_from_yaml(YAML.format(id=tid, version=version), "t.yaml")


def test_safe_yaml_ids_pass():
    assert template_from_yaml(YAML.format(id="my_check-1.0", version="2026.10"), "t.yaml").version == "2026.10"
