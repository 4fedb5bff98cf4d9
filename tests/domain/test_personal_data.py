"""Masking personal data in exports: phones, ID numbers, e-mail, names; identifiers left alone."""

from __future__ import annotations

import pytest

from workbench.domain.personal_data import (
    FULL_NOTE,
    MASKED_NOTE,
    disclosure_line,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
    mask_value,
)


@pytest.mark.parametrize(("text", "masked"), [
    ("13812345678", "138****5678"),
    ("电话 138-1234-5678 与备案不符", "电话 138****5678 与备案不符"),
    ("+86 13812345678", "138****5678"),
    ("座机0531-88881234", "座机0531-****1234"),
    ("身份证37010219900101123X，", "身份证370102********123X，"),
    ("联系 zhangsan@example.com 处理", "联系 z***@example.com 处理"),
])
def test_free_text_masks_numbers_and_addresses(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", [
    "鲁ICP备12345678号-2", "91370100MA3C0XXXX2", "913701001234567890", "2026-05-06",
    "鲁网信整改〔2026〕12号", "", "无",
])
def test_identifiers_and_dates_are_not_taken_for_personal_data(text):
    assert mask_text(text) == text


def test_column_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("12345") == "****" and mask_phone("") == ""
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧阳**" and mask_name("") == ""
    assert mask_id_number("370102199001011234") == "370102********1234"
    assert mask_email("a@b.cn") == "a***@b.cn" and mask_email("not an address") == "***"
    assert mask_value("phone", "13812345678") == "138****5678"
    assert mask_value(None, 5) == 5


def test_the_choice_is_worded_for_the_record():
    assert disclosure_line(False) == MASKED_NOTE and "脱敏" in MASKED_NOTE
    assert disclosure_line(True) == FULL_NOTE and "完整" in FULL_NOTE
