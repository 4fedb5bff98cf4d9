"""Per-field cell normalisers and the problem codes they report, with their Chinese messages."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import date, datetime, time

from workbench.domain.dates import is_plausible_approval, parse_date
from workbench.domain.domains import split_domains
from workbench.domain.identifiers import (
    check_certificate,
    has_odd_digits,
    is_canonical_site_no,
    is_canonical_subject_no,
    parse_icp,
    parse_licence,
    parse_psb,
)
from workbench.domain.phones import normalise_phone
from workbench.domain.text import clean_free_text, clean_text, compact_text

# code → (severity, message). ``error`` rejects the row: it cannot identify a website.
PROBLEMS: dict[str, tuple[str, str]] = {
    "site_no_missing": ("error", "缺少网站备案号，无法确定是哪个网站"),
    "site_no_invalid": ("error", "网站备案号格式无法识别"),
    "site_no_is_licence": ("error", "这是经营许可证号（ICP证号或 B2 等许可证编号），不是网站备案号；网站备案号应带网站序号“-N”"),
    "site_no_without_suffix": ("error", "只有主体备案号，缺少网站序号“-N”，无法确定是哪个网站"),
    "site_no_suffix_zero": ("error", "网站序号从 1 开始，“-0”不是有效的网站备案号"),
    "icp_odd_digits": ("error", "备案号中有上标、圈码等特殊数字字符，请改为普通数字"),
    "icp_missing_hao": ("warning", "备案号缺少“号”字，书写不规范"),
    "icp_misplaced_hao": ("warning", "备案号中“号”字位置不对，书写不规范"),
    "icp_dash": ("warning", "备案号中网站序号前的连接号重复，书写不规范"),
    "icp_suffix_zeros": ("warning", "网站序号前有多余的 0（如“-01”），书写不规范，已去掉"),
    "subject_no_invalid": ("warning", "主体备案号格式无法识别，已按网站备案号推出"),
    "subject_mismatch": ("warning", "主体备案号与网站备案号不一致，已按网站备案号推出"),
    "uscc_check_digit": ("warning", "统一社会信用代码校验位错误（GB 32100-2015），请核对"),
    "id_check_digit": ("warning", "身份证号码校验位错误（GB 11643-1999），请核对"),
    "uscc_invalid": ("warning", "不是有效的统一社会信用代码或身份证号码"),
    "excel_precision": ("warning", "数字超过 15 位有效数字，可能已被 Excel 截断，请核对原始数据"),
    "domain_invalid": ("warning", "含有无法识别的域名，已忽略该项"),
    "domain_from_homepage": ("warning", "网站域名为空，已从首页网址取得"),
    "domain_missing": ("warning", "缺少网站域名"),
    "phone_invalid": ("warning", "电话号码格式无法识别"),
    "date_invalid": ("warning", "日期无法识别"),
    "date_implausible": ("warning", "日期不合理（早于 2000 年或晚于今天），请核对"),
    "psb_format": ("warning", "公安备案号格式不规范"),
    "psb_missing_hao": ("warning", "公安备案号缺少“号”字"),
    "email_invalid": ("warning", "电子邮箱格式无法识别"),
    "ip_invalid": ("warning", "IP 地址格式无法识别"),
    "duplicate_row": ("warning", "与第 {other} 行完全相同（序号除外），未重复导入"),
    "conflicting_row": ("warning", "与第 {other} 行网站备案号相同但内容不同（{fields}），以第 {other} 行为准"),
    "sponsor_mismatch": ("warning", "与第 {other} 行的主体备案号相同，但{fields}不同，请核对（保存时以第 {other} 行为准，统一社会信用代码取校验通过的）"),
    "hidden_chars": (
        "warning", "含不可见的控制字符（如 U+202E 会使文字倒序显示），已删除；原值中以 [U+xxxx] 标出"
    ),
    "formula_no_value": (
        "warning", "单元格是公式，但文件中没有保存计算结果，已按空白读取；请用 Excel 打开并保存后再导入"
    ),
}

# code → short Chinese label for a flag kept on a stored site (shown beside the site).
FLAG_LABELS: dict[str, str] = {
    code: message for code, (_severity, message) in PROBLEMS.items() if "{" not in message
} | {
    "duplicate_row": "名单中有与此行完全相同的重复行",
    "conflicting_row": "名单中有网站备案号相同但内容不同的行，以首次出现的为准",
    "sponsor_mismatch": "名单中同一主体备案号下的主办单位信息与前面的行不同，请核对",
}

Normalised = tuple[object, tuple[str, ...]]
# \Z, not $: a trailing line break must not pass into a stored value.
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+\Z")
_LIST_RE = re.compile(r"[;,、\s]+")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# A dotted quad, as ipaddress accepts it.
_IPV4_RE = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}\Z", re.ASCII)
_EXCEL_DIGITS = 1e15  # Excel keeps 15 significant digits (Microsoft: "Excel specifications")


def cell_text(cell: object) -> str:
    """A cell as the text the user sees: numbers without float artefacts, dates ISO 8601.

    Args:
        cell: a value from the reader (str, float, int, bool, date, datetime, time).

    Returns:
        E.g. ``13500007610.0`` → ``13500007610``; ``date(2019, 3, 5)`` → ``2019-03-05``.
    """
    if type(cell) is str:
        return cell
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return "" if cell is None else str(cell)


def precision_issues(cell: object) -> tuple[str, ...]:
    """``('excel_precision',)`` for a number cell of 16 or more digits (Excel rounded it)."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and abs(cell) >= _EXCEL_DIGITS:
        return ("excel_precision",)
    return ()


def norm_text(cell: object) -> Normalised:
    """Free text (names, nature, city, provider, remark): :func:`clean_free_text` of the cell."""
    if type(cell) is str:
        return clean_free_text(cell), ()
    return clean_free_text(cell_text(cell)), precision_issues(cell)


def norm_site_no(cell: object) -> Normalised:
    """Site filing number → its canonical text (facts.md §1), e.g. ``鲁ICP备12345678号-1``.

    The value is None, with an error code, when the cell cannot identify a site: not an ICP
    number, an operating licence (also ``京ICP证000001号`` without ``-N``), a subject number
    without ``-N``, ``-0``, or digits such as ``¹``/``①`` that no input method produces.
    """
    if type(cell) is str and is_canonical_site_no(cell):
        return cell, ()  # the common tidy cell
    text = cell_text(cell)
    number = parse_icp(text)
    if number is None:
        if parse_licence(text):
            return None, ("site_no_is_licence",)
        return None, ("icp_odd_digits",) if has_odd_digits(text) else ("site_no_invalid",)
    if not number.suffix:
        # 京ICP证030173号 is the ICP 经营许可证 itself; only 京ICP证030173号-1 names a site.
        return None, ("site_no_is_licence",) if number.kind == "证" else ("site_no_without_suffix",)
    if number.suffix[0] == "0":
        return None, ("site_no_suffix_zero",)  # facts.md §1: services are numbered from -1
    return number.canonical, number.issues


def norm_subject_no(cell: object) -> Normalised:
    """Subject filing number → canonical text without ``-N``; None (``subject_no_invalid``)."""
    if type(cell) is str and is_canonical_subject_no(cell):
        return cell, ()  # the common tidy cell
    number = parse_icp(cell_text(cell))
    if number is None:
        return None, ("subject_no_invalid",) if compact_text(cell_text(cell)) else ()
    return number.subject, number.issues


def norm_certificate(cell: object) -> Normalised:
    """USCC or resident ID, upper-cased, check digit verified (facts.md §5)."""
    if type(cell) is str:
        return check_certificate(cell)
    value, issues = check_certificate(cell_text(cell))
    return value, issues + precision_issues(cell)


def norm_domains(cell: object) -> Normalised:
    """(domains, first URL) from one cell; see :func:`workbench.domain.domains.split_domains`."""
    domains, url, issues = split_domains(cell if type(cell) is str else cell_text(cell))
    return (domains, clean_text(url) if url else ""), issues


def norm_phone(cell: object) -> Normalised:
    """Phone numbers; see :func:`workbench.domain.phones.normalise_phone`."""
    if type(cell) is str:
        return normalise_phone(cell)
    value, issues = normalise_phone(cell)
    return value, issues + precision_issues(cell)


def norm_email(cell: object) -> Normalised:
    """E-mail address without spaces; ``email_invalid`` when it has no ``x@y.z`` shape."""
    text = cell_text(cell)
    if text.isascii() and text.isprintable() and _EMAIL_RE.match(text):
        return text, ()
    value = compact_text(text)
    return value, (() if not value or _EMAIL_RE.match(value) else ("email_invalid",))


def norm_ip(cell: object) -> Normalised:
    """IP addresses (several allowed, joined by ``;``), checked with :mod:`ipaddress`."""
    text = cell_text(cell)
    if _IPV4_RE.match(text):
        return text, ()
    parts = [p for p in _LIST_RE.split(clean_text(text)) if p]
    try:
        for part in parts:
            ipaddress.ip_address(part)
    except ValueError:
        return ";".join(parts), ("ip_invalid",)
    return ";".join(parts), ()


def norm_approved_on(cell: object) -> Normalised:
    """审核通过日期 → date; ``date_implausible`` when before 2000 or after today (value kept)."""
    day, issues = parse_date(cell)
    if day is not None and not is_plausible_approval(day, date.today()):
        return day, (*issues, "date_implausible")
    return day, issues


def norm_psb(cell: object) -> Normalised:
    """Public-security filing number, ``鲁公网安备 37010202000001号`` (facts.md §2)."""
    return parse_psb(cell_text(cell))


NORMALISERS: dict[str, Callable[[object], Normalised]] = {
    "site_filing_no": norm_site_no,
    "subject_filing_no": norm_subject_no,
    "uscc": norm_certificate,
    "domains": norm_domains,
    "contact_phone": norm_phone,
    "email": norm_email,
    "ip": norm_ip,
    "approved_on": norm_approved_on,
    "psb_filing_no": norm_psb,
}


def normaliser_for(field: str) -> Callable[[object], Normalised]:
    """The normaliser of ``field``; free text for the rest (names, nature, city, remark…)."""
    return NORMALISERS.get(field, norm_text)
