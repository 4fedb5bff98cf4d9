"""Write an N-row messy site list (.xlsx) with the distortions real lists carry, for benchmarks.

Usage: python benchmarks/generate_site_list.py [--rows N] [--seed S] [--shared-strings] OUT.xlsx

With --shared-strings every text is kept once in xl/sharedStrings.xml and cells refer to it by
number, as Excel saves a workbook (openpyxl's write-only mode writes inline strings).

The sheet has a title row and a note row above the header, blank rows between data, exact
duplicates, a conflicting repeat, a row without identity, a 合计 row at the end and, on about
half the rows, one or two distortions: full-width or lower-case filing numbers, missing 号,
stray spaces and NBSP, URLs for domains, several domains per cell, phones as numbers or with
+86, landlines, dates as serials and text, lower-case or wrong-check-digit USCC, zero-width
spaces and internationalised domains. All values are invented.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import zipfile
from datetime import date, timedelta

from openpyxl import Workbook

HEADERS = (
    "序号", "地市", "主办单位名称", "单位性质", "统一社会信用代码", "主体备案号", "网站名称", "网站备案号",
    "网站域名", "网站首页网址", "接入服务商", "IP地址", "网站负责人", "联系电话", "电子邮箱", "审核通过日期",
    "公安备案号", "备注",
)
CITIES = ("济南市", "青岛市", "淄博市", "烟台市", "潍坊市", "济宁市", "临沂市", "威海市")
NATURES = ("企业", "个人", "政府机关", "事业单位", "社会团体", "民办非企业单位")
PROVIDERS = ("中国电信股份有限公司山东分公司", "阿里云计算有限公司", "腾讯云计算（北京）有限责任公司")
SYLLABLES = ("hai", "yue", "qd", "jn", "lu", "tian", "ming", "rui", "feng", "xin", "bo", "wo")
TLDS = ("com", "cn", "net", "com.cn", "org.cn", "top")
IDN = ("海岳宏图.网络", "泉城明德.中国", "齐鲁东岱.网络")
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ICP-"}
DISTORTIONS = (
    "fullwidth_icp", "lower_icp", "no_hao", "spaces", "url_domain", "multi_domain", "phone_number",
    "phone_plus86", "landline", "date_serial", "date_text", "date_cn", "date_compact", "uscc_lower",
    "uscc_bad", "zero_width", "idn",
)


def uscc(rng: random.Random) -> str:
    """A random USCC with a valid GB 32100 check digit (facts.md §5)."""
    body = "9137" + "".join(rng.choice("0123456789") for _ in range(4))
    body += "".join(rng.choice(USCC_CHARS) for _ in range(9))
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]


def clean_row(n: int, rng: random.Random) -> list:
    """One canonical row for site number ``n``."""
    subject = f"鲁ICP备{2015 + n % 11}{n:06d}号"
    domain = "".join(rng.choice(SYLLABLES) for _ in range(3)) + f"{n}." + rng.choice(TLDS)
    approved = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
    return [
        n, rng.choice(CITIES), f"测试{n}号科技有限公司", rng.choice(NATURES), uscc(rng), subject,
        f"网站{n}", f"{subject}-1", domain, f"https://www.{domain}/", rng.choice(PROVIDERS),
        f"{rng.randrange(1, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        "张三", f"13{rng.randrange(10**9):09d}", f"user{n}@example.com", approved,
        f"鲁公网安备 370102{n % 100:02d}{n:06d}号", "",
    ]


def distort(row: list, kind: str, rng: random.Random) -> None:
    """Apply one distortion to ``row`` in place."""
    if kind == "fullwidth_icp":
        row[7] = row[7].translate(FULL_WIDTH)
    elif kind == "lower_icp":
        row[7] = row[7].replace("ICP", "icp")
    elif kind == "no_hao":
        row[7] = row[7].replace("号", "")
    elif kind == "spaces":
        row[2], row[7] = f"\xa0{row[2]}  ", f" {row[7]}\t"
    elif kind == "url_domain":
        row[8] = f"HTTP://WWW.{row[8].upper()}/index.html"
    elif kind == "multi_domain":
        row[8] = f"{row[8]}；m.{row[8]}"
    elif kind in ("phone_number", "phone_plus86") and str(row[13]).isdigit():
        row[13] = float(row[13]) if kind == "phone_number" else f"+86 {row[13][:3]} {row[13][3:7]} {row[13][7:]}"
    elif kind == "landline":
        row[13] = f"0531-8{rng.randrange(10**7):07d}"
    elif kind.startswith("date_") and isinstance(row[15], date):
        d = row[15]
        row[15] = {"date_serial": float((d - date(1899, 12, 30)).days), "date_text": f"{d.year}/{d.month}/{d.day}",
                   "date_cn": f"{d.year}年{d.month}月{d.day}日", "date_compact": d.strftime("%Y%m%d")}[kind]
    elif kind in ("uscc_lower", "uscc_bad"):
        row[4] = row[4].lower() if kind == "uscc_lower" else row[4][:17] + ("0" if row[4][17] != "0" else "1")
    elif kind == "zero_width":
        row[8] = row[8][:2] + "\u200b" + row[8][2:]
    elif kind == "idn":
        row[8] = f"站{row[0]}." + rng.choice(IDN).split(".")[1]


def messy_row(n: int, rng: random.Random) -> list:
    """Data row ``n`` as people send it: a clean row, half the time with one or two distortions."""
    row = clean_row(n, rng)
    if rng.random() < 0.5:
        for kind in rng.sample(DISTORTIONS, rng.choice((1, 2))):
            distort(row, kind, rng)
    return row


def generate(path: str, rows: int, seed: int = 2026) -> None:
    """Write ``rows`` data rows (plus noise rows) to ``path``."""
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("核查名单")
    sheet.append(["网站备案信息准确性核查名单（基准测试数据）"])
    sheet.append(["填报单位：某市通信管理办公室"])
    sheet.append(list(HEADERS))
    written: list[list] = []
    for n in range(1, rows + 1):
        row = messy_row(n, rng)
        if n % 1000 == 0 and written:
            row = [n, *rng.choice(written)[1:]]  # exact duplicate but for 序号
        elif n % 1000 == 500 and written:
            row = [n, *written[-1][1:]]
            row[9] = "https://changed.example.com/"  # same filing number, different data
        elif n % 5000 == 1:
            row = [n, "", "（此行无效）"] + [""] * 15
        sheet.append(row)
        written.append(row)
        if n % 2000 == 0:
            sheet.append([])
            written = written[-50:]
    sheet.append([f"合计：{rows} 条"])
    book.save(path)


_INLINE_CELL = re.compile(rb'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?) t="inlineStr"(?: />|/>|><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>)')
_SHARED_STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />')
_SHARED_STRINGS_REL = ('<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                       'sharedStrings" Target="sharedStrings.xml" Id="rIdShared" />')


def to_shared_strings(path: str) -> None:
    """Rewrite the workbook at ``path`` as Excel saves it: every text once in
    xl/sharedStrings.xml (in order of first use, ``xml:space="preserve"`` only where a text
    starts or ends with white space), cells of type ``s`` holding its number, and no cell
    element for an empty text."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        text = match.group(2)
        if not text:
            return b""
        return b'%s t="s"><v>%d</v></c>' % (match.group(1), strings.setdefault(text, len(strings)))

    temporary = path + ".tmp"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename.startswith("xl/worksheets/"):
                with source.open(info) as sheet, target.open(info.filename, "w", force_zip64=True) as out:
                    rest = b""
                    while chunk := sheet.read(1 << 22):
                        rest += chunk
                        cut = rest.rfind(b"</row>") + len(b"</row>")
                        out.write(_INLINE_CELL.sub(shared, rest[:cut]))
                        rest = rest[cut:]
                    out.write(_INLINE_CELL.sub(shared, rest))
                continue
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", _SHARED_STRINGS_TYPE.encode() + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", _SHARED_STRINGS_REL.encode() + b"</Relationships>")
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
                      b'openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                      % (len(strings), len(strings)))
            batch = []
            for text in strings:
                space = b' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else b""
                batch.append(b"<si><t%s>%s</t></si>" % (space, text))
                if len(batch) >= 10000:
                    out.write(b"".join(batch))
                    batch.clear()
            out.write(b"".join(batch) + b"</sst>")
    os.replace(temporary, path)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--shared-strings", action="store_true",
                        help="keep the texts in one shared-strings part, as Excel saves them")
    args = parser.parse_args()
    generate(args.out, args.rows, args.seed)
    if args.shared_strings:
        to_shared_strings(args.out)


if __name__ == "__main__":
    main()
