"""A list made in LibreOffice Calc (from tests/data/libreoffice_merged_header.html, converted with
``soffice --headless --convert-to ods``): title row, a two-row merged header with group cells,
full-width and lower-case filing numbers, an IDN, dates in three forms, a blank and a 合计 row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workbench.importers.site_list import read_site_list

DATA = Path(__file__).resolve().parents[1] / "data" / "libreoffice_merged_header.ods"


def test_libreoffice_ods_reads_back_value_by_value():
    result = read_site_list(DATA)
    assert (result.header_row, result.data_rows, len(result.records)) == (3, 4, 4)
    assert result.total_row == 9 and result.rejected_rows == ()
    by_no = {r.site_filing_no: r for r in result.records}
    first = by_no["鲁ICP备2021012345号-1"]
    assert first.sponsor_name == "济南海岳科技有限公司" and first.uscc == "91110108551385082Q"
    assert [d.name for d in first.domains] == ["haiyue.com.cn"]
    assert first.contact_phone == "13900001111" and first.approved_on == date(2021, 3, 5)
    second = by_no["鲁ICP备2021012345号-2"]
    assert [(d.name, d.ascii) for d in second.domains] == [("海岳.中国", "xn--njtz30b.xn--fiqs8s"),
                                                          ("shop.haiyue.cn", "shop.haiyue.cn")]
    assert second.contact_phone == "0531-88881234" and "icp_misplaced_hao" in second.flags
    third = by_no["鲁ICP备12345678号-1"]
    assert third.sponsor_nature == "个人" and third.approved_on == date(2019, 3, 5)
    fourth = by_no["鲁ICP备2020654321号-1"]
    assert fourth.sponsor_name == "青岛星河（集团）有限公司"        # registered name, punctuation kept
    assert "uscc_check_digit" in fourth.flags
