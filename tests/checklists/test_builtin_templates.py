"""The built-in checklist templates load, validate and cite their basis with law versions."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.domain.checklist import RESPONSES, Citation, basis_in_force, parse_basis
from workbench.storage import checklist_repo

CSL = "中华人民共和国网络安全法"


@pytest.fixture(scope="module")
def builtins() -> dict:
    return {p.stem: checklist_repo.read_yaml_template(p) for p in checklist_repo.builtin_template_files()}


def test_the_three_builtin_templates_are_shipped(builtins):
    assert set(builtins) == {"website_security", "mlps2_condensed", "pipl_compliance"}
    assert {t.code for t in builtins.values()} == set(builtins)


def test_website_template_has_at_least_25_items_all_with_basis(builtins):
    t = builtins["website_security"]
    assert len(t.items) >= 25
    for item in t.items:
        assert item.basis, item.code
        assert all(c.version for c in item.basis), item.code
        assert item.requirement and item.guidance
        assert item.responses == tuple(RESPONSES)


def test_every_builtin_item_cites_a_versioned_basis(builtins):
    for t in builtins.values():
        for item in t.items:
            assert item.basis and all(c.law and c.version for c in item.basis), (t.code, item.code)


def test_cybersecurity_law_is_cited_in_both_texts_with_shifted_articles(builtins):
    item = builtins["website_security"].item("D-02")  # network logs ≥ 6 months, 21(三)/23(三)
    csl = [c for c in item.basis if c.law == CSL]
    assert {(c.version, c.clause) for c in csl} == {
        ("2016", "第二十一条第（三）项"),
        ("2025修正", "第二十三条第（三）项"),
    }


def test_mlps_template_separates_levels(builtins):
    t = builtins["mlps2_condensed"]
    assert all(item.levels for item in t.items)
    level2, level3 = t.items_for(2), t.items_for(3)
    assert len(level2) < len(level3) < len(t.items)
    assert set(level2) | set(level3) == set(t.items)
    two_factor = [i for i in t.items if "两种或两种以上组合的鉴别技术" in i.requirement]
    assert two_factor and all(i.levels == (3,) for i in two_factor)
    assert all(i not in level2 for i in two_factor)
    assert len(t.sections) == 10


def test_pipl_template_cites_the_pipl(builtins):
    t = builtins["pipl_compliance"]
    assert len(t.items) >= 12
    assert all(any(c.law == "中华人民共和国个人信息保护法" for c in i.basis) for i in t.items)


def test_basis_in_force_picks_the_law_version_of_the_day():
    basis = parse_basis("《中华人民共和国网络安全法》（2016）第二十五条；"
                        "《中华人民共和国网络安全法》（2025修正）第二十七条\n"
                        "《GB/T 22239-2019 信息安全技术 网络安全等级保护基本要求》（2019）8.1.10 安全运维管理")
    assert len(basis) == 3
    before = basis_in_force(basis, date(2025, 12, 31))
    after = basis_in_force(basis, date(2026, 1, 1))
    assert [c.clause for c in before if c.law == CSL] == ["第二十五条"]
    assert [c.clause for c in after if c.law == CSL] == ["第二十七条"]
    assert basis[2] in before and basis[2] in after


def test_citation_text_parses_back():
    c = Citation("中华人民共和国个人信息保护法", "2021", "第五十一条第（三）项")
    assert parse_basis(c.text) == (c,)
    with pytest.raises(ValueError, match="依据应写作"):
        parse_basis("网络安全法第21条")


def test_mlps_level_three_wording_is_not_used_at_level_two(builtins):
    """facts.md §10: level 3 requires electronic access control (专人值守 is level 2 only), and
    the level-2 恶意代码防范 item must not carry the level-3 wording."""
    t = builtins["mlps2_condensed"]
    level2, level3 = t.items_for(2), t.items_for(3)
    door3 = [i for i in level3 if "机房出入口" in i.requirement]
    assert door3 and all("电子门禁" in i.requirement and "专人值守" not in i.requirement for i in door3)
    assert any("专人值守" in i.requirement for i in level2)
    assert not [i for i in level2 if "主动免疫可信验证" in i.requirement]
    assert [i for i in level3 if "主动免疫可信验证" in i.requirement]
    for item in t.items:  # level-2 clauses (§7.1) only on items that apply at level 2
        if any(cite.clause.startswith("7.1") for cite in item.basis):
            assert 2 in item.levels, item.code


def test_weak_citations_are_gone(builtins):
    """facts.md §10: 数据安全法 第二十一条 (a State duty) and 网络安全法(2016) 第二十二条 (product
    providers) are not operator duties; a missing ICP number cites 互联网信息服务管理办法 第十二条."""
    cited = [(c.law, c.version, c.clause) for t in builtins.values() for i in t.items for c in i.basis]
    assert ("中华人民共和国数据安全法", "2021", "第二十一条") not in cited
    assert ("中华人民共和国网络安全法", "2016", "第二十二条") not in cited
    icp = builtins["website_security"].item("J-01")
    assert any(c.law == "互联网信息服务管理办法" and c.clause == "第十二条" for c in icp.basis)
