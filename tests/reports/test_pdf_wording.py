"""The wording file: the shipped one is complete; a broken one fails with a Chinese message."""

from __future__ import annotations

import pytest

from workbench.errors import WorkbenchError
from workbench.reports.wording import wording


def test_shipped_wording_fills_placeholders():
    notice = wording("notice")
    assert notice.text("deadline_fixed", deadline="2026年12月15日", me="我办") == (
        "请你单位于2026年12月15日前（含当日）按上述要求完成整改，并将书面整改报告报送我办。")
    assert notice.raw("list_separator") == "、"
    assert wording("receipt").raw("method_options") == ["直接", "留置", "委托", "邮寄", "电子", "公告"]


def test_user_braces_are_not_templates():
    text = wording("notice").text("salutation", recipient="{authority}公司")
    assert text == "{authority}公司："


def test_missing_key_and_bad_placeholder(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("notice:\n  deadline: '请于{when}前'\n", encoding="utf-8")
    notice = wording("notice", path)
    with pytest.raises(WorkbenchError, match="notice.warning"):
        notice.raw("warning")
    with pytest.raises(WorkbenchError, match="占位符"):
        notice.text("deadline", deadline="x")


def test_missing_section_and_malformed_file(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("notice: {}\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="receipt"):
        wording("receipt", path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("notice: [unclosed\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="无法读取"):
        wording("notice", broken)


@pytest.mark.parametrize(("kind", "activity"), [("security_inspection", "开展了网络安全检查"),
                                                ("icp_review", "开展了网站备案信息核查")])
def test_opening_says_what_was_done(make_notice, kind, activity):
    """A notice of a 备案核查 campaign does not claim a 网络安全检查 (demo notice, issue 10)."""
    from dataclasses import replace

    from workbench.reports.notice import _intro

    notice = replace(make_notice(), kind=kind)
    assert activity in _intro(notice, wording("notice"), "我办")


def test_finding_does_not_repeat_the_site_its_heading_names(make_notice):
    """Under the heading "（一）某某网站（备案号：…）" a review's finding says 该网站, not the
    site and 备案号 again (seen on the demo notice)."""
    from workbench.reports import NoticeFinding
    from workbench.reports.notice import _finding

    found = NoticeFinding("网站“某某门户”（鲁ICP备2022961346号-2）联系方式不准确：备案的联系电话为“139”，实际为“空号”",
                          "《办法》第七条", "更新联系电话", site="某某门户", filing_no="鲁ICP备2022961346号-2")
    body = "".join(t for block in _finding(1, found, wording("notice")) for t, _r in block.runs)
    assert "经查，该网站联系方式不准确：备案的联系电话为“139”" in body
    assert body.count("鲁ICP备2022961346号-2") == 1  # in the heading only
    other = NoticeFinding("网站“别的网站”（鲁ICP备1号-1）无法访问", "", "", site="某某门户",
                          filing_no="鲁ICP备2022961346号-2")
    assert "经查，网站“别的网站”（鲁ICP备1号-1）无法访问。" in "".join(
        t for block in _finding(1, other, wording("notice")) for t, _r in block.runs)
