"""A demo database for trying the workbench: a campaign, an imported list, reviews, findings.

The demo site list is generated here (invented names, valid check digits) and written as an
.xlsx with a title row above the header, then imported through the real importer, so the demo
exercises the same path as a user's file. The product never reads ../shared.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from stdnum.cn import uscc as uscc_rules

from workbench.domain import finding_status as fs
from workbench.domain.review_record import FieldCheck
from workbench.services import campaigns, findings, notices, reviews, site_import
from workbench.services.context import Context
from workbench.storage import audit, site_query
from workbench.storage.records import Author

DEMO_CAMPAIGN = "2026年第四季度网站备案信息准确性核查（演示）"
#: Every demo row is stamped with this name, so demo work is never mistaken for a real inspector's.
DEMO_INSPECTOR = "演示检查员（演示数据）"
#: The demo numbers its notices under a prefix of its own: a demo built in a real database must not
#: take 鲁网信整改〔2026〕1号 and 2号 from the office's real register (the campaign dialog's example).
DEMO_DOC_PREFIX = "演示整改"
HEADERS = ("序号", "地市", "主办单位名称", "单位性质", "统一社会信用代码", "主体备案号", "网站名称",
           "网站备案号", "网站域名", "网站首页网址", "接入服务商", "IP地址", "网站负责人", "联系电话",
           "电子邮箱", "审核通过日期", "公安备案号", "备注")
_CITIES = (("济南市", "370102"), ("青岛市", "370202"), ("淄博市", "370302"), ("烟台市", "370602"),
           ("潍坊市", "370702"), ("济宁市", "370811"))
_WORDS = ("海岳", "华信", "明德", "远航", "恒通", "星河", "润达", "云帆", "博远", "锦程")
_TRADES = ("科技有限公司", "网络科技有限公司", "文化传媒有限公司", "医疗器械有限公司", "教育咨询有限公司")
_PROVIDERS = ("中国电信股份有限公司山东分公司", "中国联合网络通信有限公司山东省分公司",
              "阿里云计算有限公司", "浪潮云信息技术股份公司")
_PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强")
_SYLLABLES = ("hai", "yue", "hua", "xin", "ming", "de", "yuan", "hang", "tong", "run")


@dataclass(frozen=True)
class DemoSummary:
    """What the demo builder made: campaign id, counts, and the notice numbers issued."""

    campaign_id: str
    sites: int
    reviews: int
    findings: int
    notices: tuple[str, ...]


def _uscc(rng: random.Random, city_code: str) -> str:
    body = "91" + city_code + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc_rules.calc_check_digit(body)


def demo_rows(count: int = 48, seed: int = 2026) -> list[tuple]:
    """Invented site-list rows (one tuple per row, in :data:`HEADERS` order)."""
    rng = random.Random(seed)
    rows, serial, used = [], 0, set()
    while len(rows) < count:
        city, code = rng.choice(_CITIES)
        org = city[:-1] + rng.choice(_WORDS) + rng.choice(_TRADES)
        subject = f"鲁ICP备{rng.randint(2015, 2025)}{rng.randint(0, 999999):06d}号"
        uscc = _uscc(rng, code)
        for n in range(1, rng.randint(1, 3) + 1):
            domain = _fresh_domain(rng, used)
            used.add(domain)
            serial += 1
            approved = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2800))
            rows.append((
                serial, city, org, "企业", uscc, subject, f"{org[:-6]}门户网站", f"{subject}-{n}", domain,
                f"https://www.{domain}/", rng.choice(_PROVIDERS), f"120.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
                rng.choice(_PEOPLE), f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
                f"contact{serial}@example.com", approved, f"鲁公网安备 {code}02{rng.randint(0, 999999):06d}号", "",
            ))
    return rows[:count]


def _fresh_domain(rng: random.Random, used: set[str]) -> str:
    """A domain not in ``used`` (two syllables and a suffix; a number is added once the 300
    plain combinations are taken, so any number of sites can be generated)."""
    stem, suffix = "".join(rng.choice(_SYLLABLES) for _ in range(2)), rng.choice((".com", ".cn", ".net"))
    domain, n = stem + suffix, 1
    while domain in used:
        n += 1
        domain = f"{stem}{n}{suffix}"
    return domain


def write_demo_list(path: Path, rows: list[tuple]) -> Path:
    """Write ``rows`` as a site list .xlsx with a title row above the header (as lists arrive)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "核查名单"
    ws.append(["2026年第四季度网站备案信息准确性核查名单（演示数据）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append(list(HEADERS))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def build_demo(ctx: Context, sites: int = 48, lifecycle: bool = True) -> DemoSummary:
    """Fill the database behind ``ctx`` with a demo campaign (once: a second call changes nothing).

    Rows are written as :data:`DEMO_INSPECTOR`, whoever runs it (no inspector name is needed).

    With ``lifecycle`` the reviews and the first two notices are dated five weeks back, the first
    notice was served 30 days ago and its findings are now overdue, and the second was served,
    reported back and passed re-inspection, so every state of the ledger has an example; without
    it everything is dated today and every finding is still 待整改 (what the GUI tests expect).
    """
    demo_ctx = replace(ctx, author=Author(ctx.author.device, DEMO_INSPECTOR))   # demo rows say they are demo
    try:
        return _build(demo_ctx, sites, lifecycle)
    finally:   # the connection's audit author goes back to the user (Context sets it per connection)
        audit.set_author(ctx.conn, ctx.author.device, ctx.author.name)


def _build(ctx: Context, sites: int, lifecycle: bool) -> DemoSummary:
    today = ctx.today()
    past = replace(ctx, today_override=today - timedelta(days=35)) if lifecycle else ctx
    existing = [c for c in campaigns.list_campaigns(ctx) if c.name == DEMO_CAMPAIGN]
    if existing:   # built before: leave it as the user has worked it
        return _summary(ctx, existing[0].id)
    campaign = campaigns.create_campaign(
        ctx, DEMO_CAMPAIGN, kind="icp_review", authority="某市互联网信息办公室", doc_prefix=DEMO_DOC_PREFIX,
        period_start=date(today.year, 10, 1) if today.month >= 10 else date(today.year - 1, 10, 1),
        period_end=date(today.year, 12, 31),
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = write_demo_list(Path(tmp) / "演示核查名单.xlsx", demo_rows(sites))
        site_import.import_site_list(ctx, campaign.id, path)
    page = site_query.page_sites(ctx.conn, campaign.id, limit=12)
    outcomes = [_review(past, s.id, i) for i, s in enumerate(page)]
    sponsor_ids = sorted({o.finding.sponsor_id for o in outcomes if o.finding is not None})[:2]
    issued = [notices.issue_notice(past, sponsor_id).record for sponsor_id in sponsor_ids]
    if lifecycle and len(issued) == 2:
        _play_lifecycle(ctx, issued, today)
    return _summary(ctx, campaign.id)


def _summary(ctx: Context, campaign_id: str) -> DemoSummary:
    return DemoSummary(
        campaign_id, site_query.count_sites(ctx.conn, campaign_id), site_query.count_reviewed(ctx.conn, campaign_id),
        len(findings.ledger(ctx, campaign_id)), tuple(n.doc_number for n in reversed(notices.list_notices(ctx, campaign_id))),
    )


def _play_lifecycle(ctx: Context, issued, today: date) -> None:
    """Serve both notices in the past; the second one's findings are rectified and closed."""
    overdue, closed = issued
    if overdue.served_on is None:
        notices.record_service(replace(ctx, today_override=today - timedelta(days=30)), overdue.doc_number,
                               today - timedelta(days=30))
    if closed.served_on is None:
        notices.record_service(replace(ctx, today_override=today - timedelta(days=20)), closed.doc_number,
                               today - timedelta(days=20))
    for finding_id in closed.finding_ids:
        for action, reason in ((fs.REPORT, "单位报送书面整改报告"), (fs.PASS_REINSPECTION, "复查时问题已整改")):
            if action in fs.allowed_actions(findings.get_finding(ctx, finding_id).status):
                findings.apply_action(ctx, finding_id, action, reason=reason, on=today - timedelta(days=5))


def _review(ctx: Context, site_id: str, i: int):
    detail = site_query.site_detail(ctx.conn, site_id)
    checks = [FieldCheck(code, value, value, "match") for code, value in detail.filed.items()]
    conclusion, notes = "accurate", ""
    if i % 4 == 1:
        checks = [c if c.field != "contact_phone" else FieldCheck(c.field, c.filed_value, "空号", "mismatch")
                  for c in checks]
        conclusion, notes = "contact_inaccurate", "拨打网站负责人手机，提示为空号。"
    elif i % 4 == 3:
        conclusion, notes = "filing_no_display", "首页底部未悬挂备案编号，也未链接至工业和信息化部备案管理系统。"
    return reviews.record_review(ctx, site_id, checks, conclusion, notes)
