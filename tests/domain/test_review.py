"""ICP filing review: suggested conclusions, finding defaults and the accuracy-rate table."""

from __future__ import annotations

import pytest

from workbench.domain.review import (
    CONCLUSION_FINDING,
    CONCLUSIONS,
    REVIEW_FIELDS,
    VERDICT_LABELS,
    VERDICTS,
    AccuracyRow,
    accuracy_table,
    is_accurate,
    suggest_conclusion,
)
from workbench.domain.severity import SEVERITIES
from workbench.errors import ValidationError

ALL_MATCH = {code: "match" for code, _ in REVIEW_FIELDS}


def test_fields_verdicts_conclusions():
    assert [code for code, _ in REVIEW_FIELDS] == [
        "sponsor_name", "sponsor_nature", "uscc", "subject_filing_no", "site_filing_no",
        "domain", "homepage", "access_provider", "contact_name", "contact_phone",
    ]
    assert dict(REVIEW_FIELDS)["uscc"] == "统一社会信用代码"
    assert VERDICTS == ("match", "mismatch", "unchecked")
    assert VERDICT_LABELS == {"match": "一致", "mismatch": "不一致", "unchecked": "未核"}
    assert len(CONCLUSIONS) == 9
    assert CONCLUSIONS["shell_site"] == "空壳网站"
    assert CONCLUSIONS["filing_no_display"] == "未悬挂或错误悬挂备案号"


def test_is_accurate():
    assert is_accurate("accurate")
    assert not any(is_accurate(c) for c in CONCLUSIONS if c != "accurate")
    with pytest.raises(ValidationError, match="未知的核查结论"):
        is_accurate("fine")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "accurate"),
        ({"contact_phone": "unchecked", "homepage": "unchecked"}, "accurate"),
        ({"uscc": "mismatch"}, "sponsor_inaccurate"),
        ({"contact_phone": "mismatch", "sponsor_name": "mismatch"}, "sponsor_inaccurate"),
        ({"access_provider": "mismatch", "contact_name": "mismatch"}, "access_mismatch"),
        ({"homepage": "mismatch"}, "content_mismatch"),
        ({"site_filing_no": "mismatch", "contact_phone": "mismatch"}, "filing_no_display"),
        ({"contact_phone": "mismatch"}, "contact_inaccurate"),
    ],
)
def test_suggest_conclusion(changes, expected):
    assert suggest_conclusion({**ALL_MATCH, **changes}) == expected


def test_suggest_with_partial_mapping():
    assert suggest_conclusion({"domain": "mismatch"}) == "content_mismatch"
    assert suggest_conclusion({}) == "accurate"


@pytest.mark.parametrize("verdicts", [{"ip": "match"}, {"uscc": "wrong"}])
def test_suggest_refuses_unknown_codes(verdicts):
    with pytest.raises(ValidationError):
        suggest_conclusion(verdicts)


def test_conclusion_findings_cover_every_inaccuracy():
    assert set(CONCLUSION_FINDING) == set(CONCLUSIONS) - {"accurate"}
    for code, info in CONCLUSION_FINDING.items():
        assert info["severity"] in SEVERITIES, code
        assert "第" in info["legal_basis"] and "条" in info["legal_basis"], code
        assert info["requirement"] and info["title"], code
    display = CONCLUSION_FINDING["filing_no_display"]["legal_basis"]
    assert "信息产业部令第33号" in display and "第十三条" in display
    assert "第五条" in CONCLUSION_FINDING["not_filed"]["legal_basis"]


def test_accuracy_table_numbers():
    pairs = [
        ("中国电信", "accurate"),
        ("阿里云", "accurate"),
        ("中国电信", "shell_site"),
        ("阿里云", "accurate"),
        ("中国电信", "accurate"),
        ("阿里云", "contact_inaccurate"),
        ("中国电信", "accurate"),
        ("", "not_filed"),
    ]
    rows = accuracy_table(pairs)
    # Sorted by group key (code point order), total last.
    assert [r.group for r in rows] == sorted(["中国电信", "阿里云", "（未填写）"]) + ["合计"]
    by_group = {r.group: r for r in rows}
    assert by_group["中国电信"] == AccuracyRow("中国电信", 4, 3, 0.75)
    assert by_group["阿里云"].reviewed == 3 and by_group["阿里云"].accurate == 2
    assert by_group["阿里云"].rate == pytest.approx(2 / 3)
    assert by_group["（未填写）"] == AccuracyRow("（未填写）", 1, 0, 0.0)
    assert rows[-1] == AccuracyRow("合计", 8, 5, 0.625)


def test_accuracy_table_empty_has_total_with_no_rate():
    assert accuracy_table([]) == [AccuracyRow("合计", 0, 0, None)]


def test_accuracy_table_refuses_unknown_conclusion():
    with pytest.raises(ValidationError):
        accuracy_table([("广州", "accurate"), ("广州", "ok")])


def test_accurate_needs_a_compared_field_and_no_mismatch():
    from workbench.domain.review import check_review

    with pytest.raises(ValidationError, match="尚未核对任何字段"):
        check_review("accurate", {"uscc": "unchecked", "domain": "unchecked"})
    with pytest.raises(ValidationError, match="联系电话"):
        check_review("accurate", {"uscc": "match", "contact_phone": "mismatch"})
    check_review("accurate", {"uscc": "match", "domain": "unchecked"})
    check_review("shell_site", {"uscc": "unchecked"})



def test_fill_untouched_as_match_never_overwrites_a_difference():
    from workbench.domain.review import fill_untouched_as_match

    verdicts = {"uscc": "mismatch", "contact_phone": "unchecked", "domain": "unchecked", "homepage": "match"}
    filled = fill_untouched_as_match(verdicts, {"contact_phone": "0531-1", "domain": "  "})
    assert filled == {"uscc": "mismatch", "contact_phone": "unchecked", "domain": "match", "homepage": "match"}
    assert verdicts["domain"] == "unchecked"      # the input is left as it was
