"""Filing numbers and registration codes: ICP, operating licence, public security, USCC, resident ID.

Every parser takes text already cleaned by :func:`workbench.domain.text.clean_text` or raw text
(it cleans again; cleaning is idempotent) and returns the canonical form plus warning codes.
Sources: facts.md §1 (ICP numbers and licences), §2 (公安联网备案号), §5 (check digits).
"""

from __future__ import annotations

import re
import unicodedata
from operator import mul
from typing import NamedTuple

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from workbench.domain.text import compact_text

# Both forms of each renamed province are accepted and kept as written (facts.md §1: 川/蜀,
# 贵/黔, 甘/陇 and 陕/秦 all appear on real numbers, so neither form is wrong).
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"

# Patterns are re.ASCII (\d is 0-9 only: full-width digits must go through NFKC first) and end
# in \Z, not $, which would let a trailing line break through into a stored value.
# facts.md §1 "Suggested validator", loosened for what lists really hold: lower-case icp, the
# 号 missing or written after the suffix (沪ICP备2021527689-3号), any dash.
_ICP_RE = re.compile(
    rf"([{PROVINCES}])[Ii][Cc][Pp]([备证])(\d{{6}}|\d{{8}}|\d{{10}})(号?)"
    r"(?:([-_—–]+)(\d{1,4})([AXKaxk])?(号?))?\Z",
    re.ASCII,
)
# The canonical forms IcpNumber.canonical writes, site number (with -N) and subject number.
_CANONICAL_SUBJECT = rf"[{PROVINCES}]ICP[备证](?:\d{{6}}|\d{{8}}|\d{{10}})号"
_CANONICAL_SITE_RE = re.compile(_CANONICAL_SUBJECT + r"-[1-9]\d{0,3}[AXK]?\Z", re.ASCII)
_CANONICAL_SUBJECT_RE = re.compile(_CANONICAL_SUBJECT + r"\Z", re.ASCII)
_PLAIN_DIGIT_RE = re.compile("[0-9\uff10-\uff19]")  # the digits NFKC may rightly fold: ASCII, full-width
_LICENCE_RE = re.compile(rf"([{PROVINCES}])(A2|B1|B2|B1\.B2)-(\d{{8}})(?:-(\d+))?\Z", re.ASCII)
_PSB_RE = re.compile(rf"([{PROVINCES}])公网安备(\d{{14}})(号?)\Z", re.ASCII)
_PSB_CANONICAL_RE = re.compile(rf"[{PROVINCES}]公网安备 \d{{14}}号\Z", re.ASCII)
_ID_RE = re.compile(r"\d{17}[\dX]\Z", re.ASCII)
# GB 32100-2015 (facts.md §5, §10): position 1 the registration authority (1-9, A 中央编办,
# N 农业, Y 其他), position 2 the organisation type (digit or letter), 3-8 the division code
# (digits), 9-17 the organisation code and 18 the check character, all from a 31-symbol
# alphabet without I, O, S, V, Z. python-stdnum 2.x wants digits in positions 1-2 and so
# rejects valid codes such as Y1370100MA3C50001J: the check is done here for that shape.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Each alphabet byte → its value 0-30, for the check sum over ``text.encode()``.
_USCC_VALUE_BYTES = bytes.maketrans(_USCC_ALPHABET.encode(), bytes(range(31)))
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"[1-9ANY][0-9A-HJ-NP-RTUW-Y]\d{6}[0-9A-HJ-NP-RTUW-Y]{10}\Z", re.ASCII)


class IcpNumber(NamedTuple):
    """A parsed ICP filing number (a NamedTuple: cheap to build for every row of a big list).

    Attributes:
        province: the 管局's abbreviation as written, e.g. ``鲁``.
        kind: ``备`` (non-commercial filing) or ``证`` (commercial licence).
        digits: 6, 8 or 10 digits.
        suffix: the service number after ``-`` (``1``, ``2A``) without leading zeros, ``''`` for
            a subject number. ``0`` (or ``0A``…) when the cell said ``-0``: sequence numbers
            start at 1, so such a number names no service (callers refuse it).
        issues: warning codes: ``icp_missing_hao`` (no 号), ``icp_misplaced_hao`` (号 after -N,
            also ``号-6号``), ``icp_dash`` (several dashes, ``号--1``), ``icp_suffix_zeros``
            (leading zeros, ``号-01``).
    """

    province: str
    kind: str
    digits: str
    suffix: str = ""
    issues: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        """The 主体备案号, e.g. ``鲁ICP备12345678号`` (the number without ``-N``)."""
        return f"{self.province}ICP{self.kind}{self.digits}号"

    @property
    def canonical(self) -> str:
        """The number as it should be written: ``鲁ICP备12345678号-1`` or the subject form."""
        return f"{self.subject}-{self.suffix}" if self.suffix else self.subject


def parse_icp(text: str) -> IcpNumber | None:
    """Parse an ICP filing number (备案号) in any of the forms lists carry.

    Accepted (facts.md §1): full-width characters and spaces anywhere (removed by NFKC and
    cleanup), lower-case ``icp``, a missing ``号`` (warning ``icp_missing_hao``) or ``号`` written
    after the suffix (warning ``icp_misplaced_hao``; facts.md: record as 备案号书写不规范, not as
    invalid), any dash before the suffix (several: warning ``icp_dash``), leading zeros in the
    suffix (dropped, warning ``icp_suffix_zeros``). Not accepted: digits that are no typing
    distortion, such as superscripts, circled or mathematical digits (``号-¹``, ``号-①``; see
    :func:`has_odd_digits`), although NFKC would turn them into ordinary ones.

    Args:
        text: the cell text.

    Returns:
        The parsed number, or None when the text is not an ICP number.
    """
    match = _ICP_RE.match(text)
    if match is None:
        compact = compact_text(text)
        match = _ICP_RE.match(compact)
        # NFKC turned some other digit (¹, ①, 𝟙) into 0-9 when the count of digits grew.
        if match is None or len(_PLAIN_DIGIT_RE.findall(compact)) != len(_PLAIN_DIGIT_RE.findall(text)):
            return None
    province, kind, digits, hao, dashes, suffix, letter, late_hao = match.groups()
    issues: list[str] = []
    if late_hao:
        issues.append("icp_misplaced_hao")
    elif not hao:
        issues.append("icp_missing_hao")
    if dashes and len(dashes) > 1:
        issues.append("icp_dash")
    if suffix and suffix[0] == "0" and len(suffix) > 1:
        suffix = suffix.lstrip("0") or "0"
        issues.append("icp_suffix_zeros")
    return IcpNumber(province, kind, digits, (suffix or "") + (letter or "").upper(), tuple(issues))


def has_odd_digits(text: str) -> bool:
    """True when ``text`` holds a digit other than 0-9 and full-width ０-９.

    Superscript (``¹``), subscript, circled (``①``), mathematical (``𝟙``) and other scripts'
    digits (``٧``) are no input-method distortion of a filing number: NFKC would silently make
    ``号-¹`` read as ``号-1`` (breaker report A10). Decided by ``unicodedata.digit``.
    """
    if text.isascii():
        return False
    return any(
        not c.isascii() and not "\uff10" <= c <= "\uff19" and unicodedata.digit(c, None) is not None
        for c in text
    )


def is_canonical_site_no(text: str) -> bool:
    """True when ``text`` is a site filing number exactly as :attr:`IcpNumber.canonical` writes it.

    A cheap test that lets an importer keep a tidy cell (``鲁ICP备12345678号-1``) without parsing
    it: for such text ``parse_icp(text).canonical == text`` and ``issues == ()``.
    """
    return _CANONICAL_SITE_RE.match(text) is not None


def is_canonical_subject_no(text: str) -> bool:
    """True when ``text`` is a subject filing number as :attr:`IcpNumber.subject` writes it.

    For such text ``parse_icp(text).subject == text`` and ``issues == ()``.
    """
    return _CANONICAL_SUBJECT_RE.match(text) is not None


def parse_licence(text: str) -> str | None:
    """Return an operating licence number (经营许可证号) canonical, e.g. ``鲁B2-20190001``.

    Format from facts.md §1: province + A2/B1/B2/B1.B2 + ``-`` + 8 digits, optional ``-N``.

    Args:
        text: the cell text.

    Returns:
        The canonical licence number, or None when the text is not one.
    """
    value = compact_text(text).upper().replace("—", "-").replace("–", "-")
    match = _LICENCE_RE.match(value)
    return match.group(0) if match else None


def parse_psb(text: str) -> tuple[str, tuple[str, ...]]:
    """Normalise a public-security filing number (公安联网备案号).

    Canonical form, as on real footers and in the samples (facts.md §2): province + ``公网安备``
    + one space + 14 digits + ``号``, e.g. ``鲁公网安备 37010202000001号``. A missing 号 is
    accepted with warning ``psb_missing_hao``; other forms (legacy ``浙备3301000000001号``) are
    kept as cleaned text with warning ``psb_format``.

    Args:
        text: the cell text.

    Returns:
        (number, warning codes); ``('', ())`` for blank input.
    """
    if _PSB_CANONICAL_RE.match(text):
        return text, ()
    value = compact_text(text)
    if not value:
        return "", ()
    match = _PSB_RE.match(value)
    if match is None:
        return value, ("psb_format",)
    province, digits, hao = match.groups()
    return f"{province}公网安备 {digits}号", (() if hao else ("psb_missing_hao",))


def check_certificate(text: str) -> tuple[str, tuple[str, ...]]:
    """Normalise a sponsor's certificate number: USCC, or a resident ID for individuals.

    USCC (统一社会信用代码, GB 32100-2015) is upper-cased and its check digit verified with
    ``stdnum.cn.uscc``; a resident ID (身份证, GB 11643-1999: 17 digits with a valid birth date
    and a check digit 0-9/X) is verified with ``stdnum.cn.ric`` (facts.md §5). Warning codes:
    ``uscc_check_digit`` (wrong USCC check digit), ``id_check_digit`` (wrong ID check digit),
    ``uscc_invalid`` (neither form, e.g. an old 组织机构代码). The value is always kept.

    Args:
        text: the cell text.

    Returns:
        (number, warning codes); ``('', ())`` for blank input.
    """
    if _USCC_RE.match(text) and _uscc_check_ok(text):
        return text, ()  # the common tidy cell
    value = compact_text(text).upper().replace("-", "")
    if not value:
        return "", ()
    shaped = _USCC_RE.match(value) is not None
    if shaped and _uscc_check_ok(value):
        return value, ()
    if _looks_like_resident_id(value):
        return value, _stdnum_issues(ric.validate, value, "id_check_digit")
    if len(value) == 15 and value.isdigit():
        return value, ()  # legacy 15-digit ID: no check digit to verify (facts.md §5)
    if shaped:
        return value, ("uscc_check_digit",)  # GB 32100 shape, wrong check character
    return value, _stdnum_issues(uscc.validate, value, "uscc_check_digit")


def _uscc_valid(value: str) -> bool:
    """True when ``value`` is a USCC with a correct check character (GB 32100-2015, facts.md §5).

    Done here, not with ``stdnum.cn.uscc``: stdnum 2.x refuses codes whose first two
    characters are letters (registration authorities A, N, Y; facts.md §10), and its
    per-character cleanup costs ~10-20 µs a call, too slow for 100,000-row lists. Text of
    another shape is left to stdnum (which then calls it invalid). For all-digit-prefix codes
    tests/domain/test_identifiers.py compares the two on random codes.
    """
    return _USCC_RE.match(value) is not None and _uscc_check_ok(value)


def _uscc_check_ok(value: str) -> bool:
    """The check character of an 18-character value already matching ``_USCC_RE`` (ASCII)."""
    total = sum(map(mul, value.encode().translate(_USCC_VALUE_BYTES), _USCC_WEIGHTS))  # 17 weights
    return value[17] == _USCC_ALPHABET[-total % 31]


def _looks_like_resident_id(value: str) -> bool:
    """True when ``value`` is shaped like an 18-character ID with a real birth date."""
    if _ID_RE.match(value) is None or value[6:8] not in ("18", "19", "20"):
        return False
    try:
        ric.get_birth_date(value)
    except ValidationError:
        return False
    return True


def _stdnum_issues(validate, value: str, checksum_code: str) -> tuple[str, ...]:
    """Run a stdnum validator: () when valid, the checksum code, or ``uscc_invalid``."""
    try:
        validate(value)
    except InvalidChecksum:
        return (checksum_code,)
    except ValidationError:
        return ("uscc_invalid",)
    return ()
