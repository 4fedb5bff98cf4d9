"""The site table model: paged reads, SQL sorting and filtering, display roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workbench.domain.review import CONCLUSIONS
from workbench.gui.models.site_table_model import (
    CACHED_PAGES,
    PAGE_SIZE,
    Column,
    SiteTableModel,
)
from workbench.services import campaigns, site_import, sites
from workbench.services.demo import demo_rows, write_demo_list


@pytest.fixture
def model(demo_session):
    m = SiteTableModel(demo_session)
    m.set_campaign(demo_session.campaign_id)
    return m


@pytest.fixture
def big_session(session, samples):
    """A campaign holding the 300 sites of the messy sample (more than one page)."""
    campaign = campaigns.create_campaign(session.ctx, "大名单")
    site_import.import_site_list(session.ctx, campaign.id, samples / "site_list_2026Q4_messy.xlsx")
    session.set_campaign(campaign.id)
    return session


def test_model_passes_qt_model_tester(qtmodeltester, model):
    qtmodeltester.check(model)


def test_data_shows_filed_values_and_conclusion_label(demo_session, model):
    first = sites.page(demo_session.ctx, demo_session.campaign_id, limit=1)[0]
    row = {c: model.index(0, c) for c in Column}
    assert model.rowCount() == 48
    assert row[Column.SITE_FILING_NO].data() == first.site_filing_no
    assert row[Column.SPONSOR].data() == first.sponsor_name
    assert row[Column.CONCLUSION].data() == CONCLUSIONS[first.conclusion]
    assert row[Column.CONCLUSION].data(Qt.UserRole) == first.conclusion
    assert row[Column.SITE_NAME].data(SiteTableModel.SITE_ID_ROLE) == first.id
    unreviewed = model.index(47, Column.CONCLUSION)
    assert unreviewed.data() == "未核查" and unreviewed.data(Qt.UserRole) == ""
    assert model.headerData(Column.CITY, Qt.Horizontal) == "地市"


def test_sorting_happens_in_sql_and_resets(demo_session, model, qtbot):
    with qtbot.waitSignal(model.modelReset):
        model.sort(Column.SITE_NAME, Qt.DescendingOrder)
    names = [model.index(r, Column.SITE_NAME).data() for r in range(model.rowCount())]
    assert names == sorted(names, reverse=True)
    assert model.sort_key == "site_name" and model.descending
    model.sort(-1)
    assert model.sort_key == "source_row"


def test_filter_and_unreviewed_only(demo_session, model):
    model.set_filter("", unreviewed_only=True)
    assert model.rowCount() == 48 - 12
    assert all(model.index(r, Column.CONCLUSION).data() == "未核查" for r in range(model.rowCount()))
    city = model.index(0, Column.CITY).data()
    model.set_filter(city, unreviewed_only=False)
    assert 0 < model.rowCount() < 48
    assert model.rowCount() == sites.count(demo_session.ctx, demo_session.campaign_id, city)
    model.set_filter("没有这样的网站")
    assert model.rowCount() == 0


def test_rows_beyond_first_page_are_read_on_demand(big_session):
    m = SiteTableModel(big_session)
    m.set_campaign(big_session.campaign_id)
    assert m.rowCount() == 300 > PAGE_SIZE
    assert m.cached_rows() == PAGE_SIZE   # the first page comes with the filter, before the count
    last = sites.page(big_session.ctx, big_session.campaign_id, offset=299, limit=1)[0]
    assert m.index(299, Column.SITE_FILING_NO).data() == last.site_filing_no
    assert m.cached_rows() == 300  # only the last page was read besides
    for r in range(m.rowCount()):
        assert m.index(r, Column.SITE_FILING_NO).data()
    assert m.cached_rows() <= PAGE_SIZE * CACHED_PAGES


def test_flags_count_with_chinese_labels_as_tooltip(big_session):
    m = SiteTableModel(big_session)
    m.set_campaign(big_session.campaign_id)
    row = next(r for r in range(m.rowCount()) if m.summary(r).flags)
    flagged = m.summary(row)
    assert m.index(row, Column.FLAGS).data() == str(len(flagged.flags))
    tip = m.index(row, Column.FLAGS).data(Qt.ToolTipRole)
    assert all(label in tip for label in sites.flag_labels(flagged.flags))
    assert not any(code in tip for code in flagged.flags), "codes are translated for the user"
    plain = next(r for r in range(m.rowCount()) if not m.summary(r).flags)
    assert m.index(plain, Column.FLAGS).data() == ""


def test_sites_missing_from_a_later_list_are_grey(demo_session, tmp_path: Path):
    shorter = write_demo_list(tmp_path / "短名单.xlsx", demo_rows(48)[:40])
    site_import.import_site_list(demo_session.ctx, demo_session.campaign_id, shorter)
    m = SiteTableModel(demo_session)
    m.set_campaign(demo_session.campaign_id)
    grey = [r for r in range(m.rowCount()) if m.index(r, Column.SITE_NAME).data(Qt.ForegroundRole)]
    assert len(grey) == 8
    assert "不在" in m.index(grey[0], Column.SITE_NAME).data(Qt.ToolTipRole)
