"""The forwarded workbooks (汇总表, 整改台账) read back from a demo database: values against an
independent SQL count, personal-data masks, charts, conditional formats and print setup."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from wbtest import make_ctx
from workbench.cli import main
from workbench.exporters.cells import FOOTER_TEXT, MIN_PRINT_SCALE, display_width
from workbench.exporters.findings_ledger import HEADERS as LEDGER_HEADERS
from workbench.exporters.summary import FINDING_HEADERS, REVIEW_HEADERS
from workbench.services import campaigns, ledger, summary
from workbench.services.demo import build_demo

PHONE = "13812345678"
ID_NO = "370102199001011234"


@pytest.fixture
def demo(conn):
    ctx = make_ctx(conn, today=date(2026, 12, 3))
    build_demo(ctx, sites=60)
    cid = campaigns.list_campaigns(ctx)[0].id
    # personal data typed into free text: a review note and a finding description
    conn.execute("UPDATE review SET notes = ? WHERE rowid = (SELECT min(rowid) FROM review)",
                 (f"联系人手机 {PHONE}，身份证 {ID_NO}",))
    conn.execute("UPDATE finding SET description = description || ? WHERE rowid = (SELECT min(rowid) FROM finding)",
                 (f" 负责人电话 {PHONE}",))
    conn.commit()
    return ctx, cid


def _all_text(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def _assert_print_setup(ws, header_row: int | None, paper: int = 9):
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == paper
    fits = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    if fits:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    else:
        assert ws.page_setup.scale == MIN_PRINT_SCALE
    assert ws.oddFooter.center.text == FOOTER_TEXT
    if header_row:
        assert ws.print_title_rows == f"${header_row}:${header_row}"


def test_summary_workbook_is_ready_to_forward(demo, tmp_path):
    ctx, cid = demo
    conn = ctx.conn
    out = summary.export_summary(ctx, cid, tmp_path / "汇总表.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["概况", "核查明细", "问题清单", "准确率-接入商", "准确率-地市", "模板信息"]
    overview = wb["概况"]
    figures = {overview.cell(r, 1).value: overview.cell(r, 2) for r in range(3, overview.max_row + 1)}
    reviewed = conn.execute("SELECT count(*) FROM review r JOIN site s ON s.id = r.site_id WHERE s.campaign_id = ?", (cid,)).fetchone()[0]
    accurate = conn.execute("SELECT count(*) FROM review r JOIN site s ON s.id = r.site_id"
                            " WHERE s.campaign_id = ? AND r.conclusion = 'accurate'", (cid,)).fetchone()[0]
    assert reviewed > accurate > 0
    assert figures["已核查网站"].value == reviewed
    assert figures["总体准确率"].value == pytest.approx(accurate / reviewed)
    assert figures["总体准确率"].number_format == "0.0%"
    overdue = conn.execute("SELECT count(*) FROM finding WHERE campaign_id = ? AND deadline < '2026-12-03'"
                           " AND status IN ('rectifying', 'awaiting_reinspection', 'failed_reinspection')", (cid,)).fetchone()[0]
    assert overdue > 0 and figures["逾期问题"].value == overdue
    assert figures["已整改问题"].value == conn.execute(
        "SELECT count(*) FROM finding WHERE campaign_id = ? AND status = 'closed'", (cid,)).fetchone()[0]
    # three native charts on 概况, drawn from the accuracy sheets and the status block
    charts = {c.title.tx.rich.p[0].r[0].t: c for c in overview._charts}
    assert set(charts) == {"准确率（按接入服务商）", "准确率（按地市）", "问题数（按状态）"}
    status_chart = charts["问题数（按状态）"]
    labels_ref = status_chart.series[0].cat.numRef or status_chart.series[0].cat.strRef
    first, last = (int(cell.split("$")[-1]) for cell in labels_ref.f.split("!")[1].split(":"))
    assert [overview.cell(r, 1).value for r in range(first, last + 1)] == [
        "待整改", "整改中", "待复查", "已整改", "复查未通过", "撤销"]  # the statuses, not their header
    assert status_chart.y_axis.majorUnit == int(status_chart.y_axis.majorUnit) >= 1  # counts: whole steps
    # page 1: figures and the status chart; a page break; page 2: the accuracy charts, whole
    (page_break,) = overview.row_breaks.brk
    assert status_chart.anchor._from.row < page_break.id < overview.max_row + 20
    for title in ("准确率（按接入服务商）", "准确率（按地市）"):
        assert charts[title].anchor._from.row > page_break.id  # 0-based row after the break
        assert charts[title].height <= 16
    # conditional formats: overdue finding rows, accuracy below the alert level
    findings = wb["问题清单"]
    rules = [(str(rng.sqref), r.formula[0]) for rng in findings.conditional_formatting for r in rng.rules]
    assert rules == [(f"A2:K{findings.max_row}", "AND(ISNUMBER($J2),$J2<0)")]
    provider = wb["准确率-接入商"]
    rules = [(str(rng.sqref), r.formula[0]) for rng in provider.conditional_formatting for r in rng.rules]
    assert rules == [(f"D2:D{provider.max_row}", "AND(ISNUMBER(D2),D2<0.9)")]
    for ws, header_row in ((overview, None), (wb["核查明细"], 1), (findings, 1), (provider, 1),
                           (wb["准确率-地市"], 1), (wb["模板信息"], None)):
        _assert_print_setup(ws, header_row)
    # a wrapped row is given the height of its lines
    details = wb["核查明细"]
    notes_col = [c.value for c in details[1]].index("备注") + 1
    tall = [r for r in range(2, details.max_row + 1) if details.cell(r, notes_col).alignment.wrap_text]
    assert tall and all(details.row_dimensions[r].height and details.row_dimensions[r].height > 15 for r in tall)
    # in a tall row every cell sits in the middle, not at the foot of the row
    assert all(details.cell(r, c).alignment.vertical == "center"
               for r in tall for c in range(1, len(REVIEW_HEADERS) + 1) if details.cell(r, c).value is not None)
    # a column of short values is not kept wide by its header (严重程度: 高/中/低), the header wraps
    severity_col = FINDING_HEADERS.index("严重程度") + 1
    assert findings.column_dimensions[get_column_letter(severity_col)].width <= 8
    assert findings.cell(1, severity_col).alignment.wrap_text
    # masked by default, and the choice recorded
    text = _all_text(details) + _all_text(findings)
    assert PHONE not in text and ID_NO not in text
    assert "138****5678" in text and "370102********1234" in text
    info = {r[0].value: r[1].value for r in wb["模板信息"].iter_rows(min_row=2)}
    assert "脱敏" in info["个人信息"] and info["检查任务"] == campaigns.get_campaign(ctx, cid).name


def test_summary_with_personal_data_keeps_it_and_says_so(demo, tmp_path):
    ctx, cid = demo
    wb = load_workbook(summary.export_summary(ctx, cid, tmp_path / "s.xlsx", include_personal_data=True))
    assert PHONE in _all_text(wb["核查明细"]) and ID_NO in _all_text(wb["核查明细"])
    info = {r[0].value: r[1].value for r in wb["模板信息"].iter_rows(min_row=2)}
    assert "完整个人信息" in info["个人信息"]


def test_ledger_lists_every_finding_with_its_state(demo, tmp_path):
    ctx, cid = demo
    conn = ctx.conn
    out = ledger.export_ledger(ctx, cid, tmp_path / "整改台账.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["整改台账", "模板信息"]
    ws = wb["整改台账"]
    assert tuple(c.value for c in ws[2]) == LEDGER_HEADERS
    rows = [dict(zip(LEDGER_HEADERS, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=3)]
    assert len(rows) == conn.execute("SELECT count(*) FROM finding WHERE campaign_id = ?", (cid,)).fetchone()[0]
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    closed = [r for r in rows if r["状态"] == "已整改"]
    assert closed and all(r["剩余天数"] is None and r["复查结果"].startswith("复查通过") for r in closed)
    served = conn.execute("SELECT n.doc_number, n.served_on FROM notice n WHERE n.campaign_id = ? AND served_on IS NOT NULL",
                          (cid,)).fetchall()
    by_number = {r["通知书文号"]: r for r in rows}
    for number, served_on in served:
        assert by_number[number]["送达日期"].date().isoformat() == served_on
    overdue = [r for r in rows if isinstance(r["剩余天数"], int) and r["剩余天数"] < 0]
    assert overdue and all("登记问题" in r["处理记录"] for r in rows)
    assert all(r["剩余天数"] == (r["整改期限"].date() - date(2026, 12, 3)).days for r in overdue)
    text = _all_text(ws)
    assert PHONE not in text and "138****5678" in text
    rules = [(str(rng.sqref), r.formula[0]) for rng in ws.conditional_formatting for r in rng.rules]
    assert rules == [(f"A3:P{ws.max_row}", "AND(ISNUMBER($M3),$M3<0)")]
    _assert_print_setup(ws, 2, paper=8)  # 16 columns: A3 landscape, one page wide
    # 序号 and 剩余天数 are numbers: Excel shows ##### when one does not fit, so room for them
    widths = {h: ws.column_dimensions[get_column_letter(i)].width for i, h in enumerate(LEDGER_HEADERS, 1)}
    assert widths["序号"] >= 8 and widths["剩余天数"] >= display_width("逾期100天") + 1
    assert ws.row_dimensions[1].height >= 20  # the 14 pt title is not clipped
    # every cell sits in the middle of its row, also those written without a style of their own:
    # xf 0 and the Normal style are centred, and no column or row carries a style LibreOffice
    # would give such cells instead
    assert all(c.alignment.vertical == "center" for row in ws.iter_rows(min_row=3) for c in row if c.value is not None)
    with ZipFile(out) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        styles_xml = archive.read("xl/styles.xml").decode()
    assert not re.search(r"<col [^>]*style=", sheet_xml) and not re.search(r"<row [^>]*\bs=", sheet_xml)
    assert re.search(r'<cellStyleXfs[^>]*><xf [^>]*><alignment vertical="center"', styles_xml)
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_cli_exports_refuse_to_overwrite_without_force(demo, tmp_path, capsys, monkeypatch):
    ctx, _cid = demo
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    db = tmp_path / "test.sqlite3"
    out = tmp_path / "台账.xlsx"
    assert main(["export", "ledger", str(out), "--db", str(db), "--today", "2026-12-03"]) == 0
    assert "个人信息已脱敏" in capsys.readouterr().out
    before = out.read_bytes()
    assert main(["export", "ledger", str(out), "--db", str(db)]) == 2
    assert "--force" in capsys.readouterr().err and out.read_bytes() == before
    assert main(["export", "summary", str(out), "--db", str(db), "--force", "--include-personal-data"]) == 0
    assert "含完整个人信息" in capsys.readouterr().out
    assert load_workbook(out).sheetnames[0] == "概况"
    db_bytes = db.read_bytes()
    assert main(["export", "summary", str(db), "--db", str(db), "--force"]) == 2
    assert "数据库文件" in capsys.readouterr().err and db.read_bytes() == db_bytes


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_prints_every_workbook_at_8pt_or_more(demo, tmp_path):
    """The one LibreOffice conversion of the suite: both workbooks, every page, every character."""
    pdfplumber = pytest.importorskip("pdfplumber")
    ctx, cid = demo
    books = [summary.export_summary(ctx, cid, tmp_path / "汇总表.xlsx"),
             ledger.export_ledger(ctx, cid, tmp_path / "整改台账.xlsx")]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, books)],
                   check=True, capture_output=True, timeout=240)
    for book in books:
        with pdfplumber.open(book.with_suffix(".pdf")) as pdf:
            assert len(pdf.pages) >= 2
            sizes = [c["size"] for page in pdf.pages for c in page.chars]
            footers = [page.extract_text() for page in pdf.pages]
        assert sizes and min(sizes) >= 8.0, (book.name, min(sizes))
        assert all("第" in t and "页" in t for t in footers)
    # 概况 as printed: figures and the status chart on page 1, both accuracy charts whole on
    # page 2 without the figures' header repeated above them
    with pdfplumber.open(books[0].with_suffix(".pdf")) as pdf:
        first, second = (pdf.pages[i].extract_text().replace(" ", "") for i in (0, 1))
    assert "总体准确率" in first and "问题数（按状态）" in first
    assert "准确率（按接入服务商）" in second and "准确率（按地市）" in second and "项目" not in second


def _count(conn, sql: str, *params) -> int:
    return conn.execute(sql, params).fetchone()[0]


def test_report_numbers_match_an_independent_count(demo, tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    from workbench.services import report

    ctx, cid = demo
    conn = ctx.conn
    out = report.export_report(ctx, cid, tmp_path / "汇总报告.pdf")
    with pdfplumber.open(out) as pdf:
        pages = [p.extract_text() for p in pdf.pages]
        sizes = [c["size"] for p in pdf.pages for c in p.chars]
        curves = sum(len(p.rects) + len(p.lines) + len(p.curves) for p in pdf.pages)
    text = "\n".join(pages)
    squeezed = text.replace(" ", "")
    sites = _count(conn, "SELECT count(*) FROM site WHERE campaign_id = ?", cid)
    reviewed = _count(conn, "SELECT count(*) FROM review JOIN site ON site.id = review.site_id WHERE site.campaign_id = ?", cid)
    accurate = _count(conn, "SELECT count(*) FROM review JOIN site ON site.id = review.site_id"
                            " WHERE site.campaign_id = ? AND conclusion = 'accurate'", cid)
    findings = _count(conn, "SELECT count(*) FROM finding WHERE campaign_id = ?", cid)
    overdue = _count(conn, "SELECT count(*) FROM finding WHERE campaign_id = ? AND deadline < '2026-12-03'"
                           " AND status IN ('rectifying', 'awaiting_reinspection', 'failed_reinspection')", cid)
    closed = _count(conn, "SELECT count(*) FROM finding WHERE campaign_id = ? AND status = 'closed'", cid)
    assert re.search(rf"网站总数{sites}(?!\d)", squeezed)
    assert re.search(rf"已核查网站{reviewed}(?!\d)", squeezed)
    assert f"总体准确率{accurate / reviewed * 100:.1f}%" in squeezed
    assert re.search(rf"问题总数{findings}(?!\d)", squeezed)
    assert re.search(rf"逾期问题{overdue}(?!\d)", squeezed) and f"逾期问题（共{overdue}个）" in squeezed
    assert re.search(rf"已整改问题{closed}(?!\d)", squeezed)
    for provider, n in conn.execute("SELECT s.access_provider, count(*) FROM review r JOIN site s ON s.id = r.site_id"
                                    " WHERE s.campaign_id = ? GROUP BY 1", (cid,)):
        assert re.search(rf"{re.escape(provider)}{n}\d+", squeezed), provider
    # cover, colophon with the personal-data choice, charts, page numbers, nothing under 8 pt
    assert campaigns.get_campaign(ctx, cid).name.replace(" ", "") in squeezed and "个人信息已脱敏" in squeezed
    assert "100%" in squeezed and curves > 40  # axis labels and the bars / lines of the charts
    assert all(f"第{i}页/共{len(pages)}页" in page.replace(" ", "") for i, page in enumerate(pages, 1))
    assert round(min(sizes), 3) >= 8.0


def test_cli_report_needs_pdf_and_force(demo, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    db = tmp_path / "test.sqlite3"
    assert main(["export", "report", str(tmp_path / "r.xlsx"), "--db", str(db)]) == 2
    assert ".pdf" in capsys.readouterr().err
    out = tmp_path / "r.pdf"
    assert main(["export", "report", str(out), "--db", str(db), "--include-personal-data"]) == 0
    assert out.read_bytes().startswith(b"%PDF") and "含完整个人信息" in capsys.readouterr().out
    assert main(["export", "report", str(out), "--db", str(db)]) == 2


def test_report_scores_by_checklist_section_match_the_stored_answers(demo, tmp_path):
    """四、安全检查得分: per section (符合 + 0.5 × 部分符合) ÷ 适用项 × 100 over every inspection,
    recounted here from inspection_response with SQL, and drawn as a chart."""
    pdfplumber = pytest.importorskip("pdfplumber")
    from workbench.services import checklist_templates, report, sites
    from workbench.services import inspection_service as svc

    ctx, cid = demo
    template = {t.code: t for t in checklist_templates.list_templates(ctx)}["website_security"]
    answers = ("compliant", "partial", "non_compliant", "compliant", "not_applicable")
    for n, site in enumerate(sites.page(ctx, cid)[:2]):
        ins = svc.start_inspection(ctx, campaign_id=cid, sponsor_id=sites.detail(ctx, site.id).sponsor_id,
                                   template_id=template.id, inspected_on=date(2026, 11, 20 + n), inspectors="李检查")
        checklist = svc.load_inspection(ctx, ins.id).template
        for i, item in enumerate(checklist.items):
            svc.answer_item(ctx, ins.id, item.code, answers[(i + n) % len(answers)])
    section_of = {item.code: checklist.section(item.section).title for item in checklist.items}
    points: dict[str, float] = {}
    applicable: dict[str, int] = {}
    for code, response in ctx.conn.execute(
            "SELECT r.item_code, r.response FROM inspection_response r JOIN inspection i ON i.id = r.inspection_id"
            " WHERE i.campaign_id = ?", (cid,)):
        title = section_of[code]
        points[title] = points.get(title, 0) + {"compliant": 1, "partial": 0.5}.get(response, 0)
        applicable[title] = applicable.get(title, 0) + (response in ("compliant", "partial", "non_compliant"))
    out = report.export_report(ctx, cid, tmp_path / "汇总报告.pdf")
    with pdfplumber.open(out) as pdf:
        last = pdf.pages[-1]
        text = last.extract_text().replace(" ", "")
        bars = len(last.rects)
    assert "四、安全检查得分（按检查表章节）" in text and "共2次检查" in text
    for title, earned in points.items():
        assert f"{title.replace(' ', '')}2{earned / applicable[title] * 100:.1f}" in text, title
    assert bars >= len(points)  # one bar per section (plus the table's cells)
