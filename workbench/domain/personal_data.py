"""Masking personal data (个人信息) in exports and reports: 138****5678, 张*, 3701**********1234.

Exports leave the laptop (they are mailed upward), so contact names, phone numbers, ID numbers
and e-mail addresses are masked unless the user explicitly chooses to include them in full
(PIPL 个人信息保护法 art. 51 "采取相应的加密、去标识化等安全技术措施"; facts.md checklist item 19).
The choice is written into every export (:func:`disclosure_line`).

Masks keep enough to recognise a record without revealing it, as Chinese government portals do:
a mobile number keeps its first 3 and last 4 digits, an ID number its region (6) and last 4,
a name its surname, an e-mail address its first character and domain.
"""

from __future__ import annotations

import re

#: Kinds of personal data a column may hold.
NAME, PHONE, ID_NUMBER, EMAIL = "name", "phone", "id_number", "email"

#: Column headers (as exported) that hold personal data, and the kind of each.
PERSONAL_HEADERS = {
    "联系人": NAME, "网站负责人": NAME, "负责人": NAME, "联系人姓名": NAME, "法定代表人": NAME,
    "联系电话": PHONE, "手机": PHONE, "手机号码": PHONE, "电话": PHONE, "联系方式": PHONE,
    "身份证号": ID_NUMBER, "证件号码": ID_NUMBER, "身份证号码": ID_NUMBER,
    "电子邮箱": EMAIL, "邮箱": EMAIL, "电子邮件": EMAIL, "Email": EMAIL,
}

MASKED_NOTE = "个人信息已脱敏（联系人、电话、证件号码、电子邮箱部分隐去；默认）"
FULL_NOTE = "含完整个人信息（导出人明确选择；请按个人信息保护要求妥善保管、限定范围传递）"

# 18-digit resident ID (GB 11643: region 1-8xxxxx, birth date, sequence, check digit X/0-9), not
# part of a longer run, so an all-digit 统一社会信用代码 (starting 9, or no date inside) is kept.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-8]\d{5})((?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
                    r"(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)")
# Every pattern below needs 7 digits in a row (with separators at most 1 apart) or an @.
_MAYBE_PERSONAL = re.compile(r"\d[- ]?\d{3}|@")
_EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mask_phone(text: str) -> str:
    """``13812345678`` → ``138****5678``; ``0531-88881234`` → ``0531-****1234``.

    Text that contains no recognisable number keeps its first 3 and last 4 characters when it
    has at least 8 characters, else becomes ``****``; an empty text stays empty.
    """
    if not text:
        return text
    masked = mask_text(text)
    if masked != text:
        return masked
    digits = text.strip()
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "****"


def mask_name(text: str) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧阳**`` (two-character surnames kept), ``Tom`` → ``T**``."""
    text = text.strip()
    if not text:
        return text
    keep = 2 if len(text) >= 4 and not text.isascii() else 1
    return text[:keep] + "*" * max(len(text) - keep, 1)


def mask_id_number(text: str) -> str:
    """``370102199001011234`` → ``370102********1234``; other texts keep 2 + 2 characters."""
    masked = _ID_RE.sub(_id_mask, text)
    if masked != text or not text:
        return masked
    return f"{text[:2]}{'*' * max(len(text) - 4, 2)}{text[-2:]}" if len(text) > 4 else "****"


def mask_email(text: str) -> str:
    """``zhangsan@example.com`` → ``z***@example.com``."""
    masked = _EMAIL_RE.sub(r"\1***@\2", text)
    return masked if masked != text or not text else "***"


def mask_text(text: str) -> str:
    """Mask every ID number, mobile or landline number and e-mail address inside free text.

    Used on descriptions, notes and histories, where an inspector may have typed a contact's
    number. Names inside free text cannot be recognised reliably and are left as written.
    """
    if not text or not _MAYBE_PERSONAL.search(text):
        return text
    text = _ID_RE.sub(_id_mask, text)
    text = _MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE_RE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
    return _EMAIL_RE.sub(r"\1***@\2", text)


def _id_mask(match: re.Match) -> str:
    middle = len(match.group(2)) + len(match.group(3)) - 4
    tail = (match.group(2) + match.group(3))[-4:]
    return f"{match.group(1)}{'*' * middle}{tail}"


_MASKERS = {NAME: mask_name, PHONE: mask_phone, ID_NUMBER: mask_id_number, EMAIL: mask_email}


def mask_value(kind: str | None, value: object) -> object:
    """Mask ``value`` as personal data of ``kind`` (None: free text); non-text values unchanged."""
    if not isinstance(value, str):
        return value
    return _MASKERS[kind](value) if kind else mask_text(value)


def disclosure_line(include_personal_data: bool) -> str:
    """The sentence recorded in an export's 模板信息 sheet / a report's colophon."""
    return FULL_NOTE if include_personal_data else MASKED_NOTE
