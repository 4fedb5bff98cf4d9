"""Building small campaigns for service tests without going through a spreadsheet."""

from __future__ import annotations

from datetime import date

from workbench.domain.site import Domain, SiteRecord
from workbench.services import campaigns
from workbench.services.context import Context
from workbench.settings import Settings
from workbench.storage.connection import transaction
from workbench.storage.records import Author
from workbench.storage.site_repo import store_site_list

AUTHOR = Author("测试机", "李检查")


def make_ctx(conn, today=date(2026, 11, 30)) -> Context:
    return Context(conn=conn, author=AUTHOR, today_override=today, settings=filled_settings())


def filled_settings() -> Settings:
    """Settings with what a notice must print (contact, 复议/诉讼 bodies: issue 10)."""
    return Settings(contact="王五", contact_phone="0531-12345678", review_body="某市人民政府",
                    court="某市某区人民法院")


def record(n: int, org: str = "济南海岳科技有限公司", subject: str = "鲁ICP备12345678号", **kw) -> SiteRecord:
    values = dict(
        source_row=n + 1, site_filing_no=f"{subject}-{n}", subject_filing_no=subject, sponsor_name=org,
        sponsor_nature="企业", uscc="91370102MA3C8XYZ1X", city="济南市", site_name=f"网站{n}",
        domains=(Domain(f"site{n}.com", f"site{n}.com"),), homepage=f"https://site{n}.com/",
        access_provider="阿里云计算有限公司", contact_name="张伟", contact_phone="13900000000",
        approved_on=date(2020, 1, n),
    )
    values.update(kw)
    return SiteRecord(**values)


def campaign_with_sites(ctx: Context, records, prefix: str = "鲁网信整改"):
    campaign = campaigns.create_campaign(ctx, "测试任务", authority="某市互联网信息办公室", doc_prefix=prefix)
    with transaction(ctx.conn):
        store_site_list(ctx.conn, campaign.id, records, ctx.author)
    return campaign
