"""Tests for workbench.domain.identifiers: ICP, licence, public-security numbers, USCC, ID."""

import random

import pytest
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from workbench.domain.identifiers import (
    _uscc_valid,
    check_certificate,
    parse_icp,
    parse_licence,
    parse_psb,
)


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("鲁ICP备12345678号-1", "鲁ICP备12345678号-1"),
        ("鲁ＩＣＰ备１２３４５６７８号－１", "鲁ICP备12345678号-1"),
        ("鲁icp备2026357238号-2", "鲁ICP备2026357238号-2"),
        (" 沪ICP备2024048836号-1\t", "沪ICP备2024048836号-1"),
        ("京ICP证030173号-1", "京ICP证030173号-1"),
        ("陕ICP备2024026116号-1a", "陕ICP备2024026116号-1A"),
        ("蜀ICP备2026007879号-1", "蜀ICP备2026007879号-1"),
        ("鲁ICP备17279291号", "鲁ICP备17279291号"),
    ],
)
def test_parse_icp_canonical(text, canonical):
    number = parse_icp(text)
    assert number is not None
    assert number.canonical == canonical
    assert number.issues == ()


def test_parse_icp_missing_hao_is_accepted_with_warning():
    number = parse_icp("鲁ICP备2022873237-1")
    assert number.canonical == "鲁ICP备2022873237号-1"
    assert number.subject == "鲁ICP备2022873237号"
    assert number.issues == ("icp_missing_hao",)


def test_parse_icp_hao_after_suffix_is_flagged():
    number = parse_icp("沪ICP备2021527689-3号")
    assert number.canonical == "沪ICP备2021527689号-3"
    assert number.issues == ("icp_misplaced_hao",)


@pytest.mark.parametrize("text", ["", "鲁B2-20190001", "ICP备12345678号-1", "鲁ICP备1234567号-1", "abc"])
def test_parse_icp_rejects_non_numbers(text):
    assert parse_icp(text) is None


def test_subject_strips_the_suffix():
    assert parse_icp("浙ICP备2019423448号-12").subject == "浙ICP备2019423448号"


@pytest.mark.parametrize(
    "text, canonical",
    [("鲁B2-20190001", "鲁B2-20190001"), ("皖B1.B2-20070020", "皖B1.B2-20070020"),
     ("粤ｂ２－２００９００５９", "粤B2-20090059"), ("粤B2-20090059-5", "粤B2-20090059-5")],
)
def test_parse_licence(text, canonical):
    assert parse_licence(text) == canonical


def test_parse_licence_rejects_icp_numbers():
    assert parse_licence("鲁ICP备12345678号-1") is None


def test_parse_psb_canonical_has_one_space():
    assert parse_psb("鲁公网安备37010202000001号") == ("鲁公网安备 37010202000001号", ())
    assert parse_psb("鲁公网安备　 37010202000001号") == ("鲁公网安备 37010202000001号", ())
    assert parse_psb("鲁公网安备 37010202000001") == ("鲁公网安备 37010202000001号", ("psb_missing_hao",))
    assert parse_psb("浙备3301000000001号") == ("浙备3301000000001号", ("psb_format",))
    assert parse_psb("") == ("", ())


def test_check_certificate_valid_and_lower_case_uscc():
    assert check_certificate("91110108551385082Q") == ("91110108551385082Q", ())
    assert check_certificate("1237110290bu8r0k87") == ("1237110290BU8R0K87", ())


def test_check_certificate_wrong_check_digit_is_kept_with_warning():
    assert check_certificate("9137130214578N7G70") == ("9137130214578N7G70", ("uscc_check_digit",))


def test_check_certificate_resident_id():
    assert check_certificate("11010519491231002x") == ("11010519491231002X", ())
    assert check_certificate("110105194912310021") == ("110105194912310021", ("id_check_digit",))


def test_check_certificate_old_organisation_code_is_invalid():
    assert check_certificate("55138508-2") == ("551385082", ("uscc_invalid",))
    assert check_certificate("") == ("", ())


def _stdnum_codes(value):
    """The warning codes stdnum's verdict on ``value`` as a USCC stands for."""
    try:
        uscc.validate(value)
    except InvalidChecksum:
        return ("uscc_check_digit",)
    except ValidationError:
        return ("uscc_invalid",)
    return ()


def test_fast_uscc_check_agrees_with_stdnum():
    rng = random.Random(7)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(3000):
        # position 1 is a registration authority: 1-9 (A, N, Y are tested below)
        body = rng.choice("123456789") + "".join(rng.choice("0123456789") for _ in range(7))
        body += "".join(rng.choice(alphabet) for _ in range(9))
        good = body + uscc.calc_check_digit(body)
        bad = body + rng.choice(alphabet)
        assert _uscc_valid(good) is True
        assert _uscc_valid(bad) is uscc.is_valid(bad)
        assert check_certificate(good) == (good, ())
        assert check_certificate(good.lower()) == (good, ())
        if not bad.isdigit():  # an all-digit code may be read as a resident ID instead
            assert check_certificate(bad) == (bad, _stdnum_codes(bad))


@pytest.mark.parametrize("text", ["9137010MA3C7XXX7X", "9137010AMA3C7XXX7X", "91370100MA3C7XXX7O", "913701"])
def test_codes_not_of_uscc_shape_are_judged_by_stdnum(text):
    assert check_certificate(text) == (text, _stdnum_codes(text))
    assert _stdnum_codes(text) == ("uscc_invalid",)


@pytest.mark.parametrize(
    "text", ["鲁ICP备12345678号-1", "京ICP证030173号-12", "陕ICP备2024026116号-1A", "蜀ICP备2026007879号-9999"]
)
def test_canonical_site_numbers_are_recognised_as_parse_icp_writes_them(text):
    from workbench.domain.identifiers import is_canonical_site_no, is_canonical_subject_no

    assert is_canonical_site_no(text) and not is_canonical_subject_no(text)
    number = parse_icp(text)
    assert (number.canonical, number.issues) == (text, ())
    assert is_canonical_subject_no(number.subject)


@pytest.mark.parametrize(
    "text",
    ["鲁icp备12345678号-1", "鲁ICP备12345678-1", "鲁ICP备12345678号-1a", "鲁ICP备12345678号—1",
     " 鲁ICP备12345678号-1", "鲁ICP备12345678号-1\n", "鲁ICP备１２３４５６７８号-1",
     "鲁ICP备1234567号-1", "鲁ICP备12345678号-12345"],
)
def test_other_forms_are_not_taken_as_canonical(text):
    from workbench.domain.identifiers import is_canonical_site_no

    assert not is_canonical_site_no(text)
    number = parse_icp(text)
    assert number is None or number.canonical != text or number.issues


def test_full_width_digits_and_line_breaks_never_reach_a_stored_value():
    assert parse_icp("鲁ICP备１２３４５６７８号-1").canonical == "鲁ICP备12345678号-1"
    assert parse_icp("鲁ICP备12345678号-1\n").canonical == "鲁ICP备12345678号-1"
    assert check_certificate("９１１１０１０８５５１３８５０８２Ｑ") == ("91110108551385082Q", ())
    assert check_certificate("91110108551385082Q\n") == ("91110108551385082Q", ())
    assert parse_psb("鲁公网安备 37010202000001号\n") == ("鲁公网安备 37010202000001号", ())


def test_hao_written_twice_is_flagged_as_misplaced():
    number = parse_icp("鲁ICP备2023000006号-6号")
    assert number.canonical == "鲁ICP备2023000006号-6"
    assert number.issues == ("icp_misplaced_hao",)


def test_several_dashes_are_read_but_flagged():
    number = parse_icp("鲁ICP备2023000006号--1")
    assert number.canonical == "鲁ICP备2023000006号-1"
    assert number.issues == ("icp_dash",)


def test_leading_zeros_of_the_suffix_are_dropped_with_a_warning():
    number = parse_icp("鲁ICP备2023000006号-01")
    assert number.canonical == "鲁ICP备2023000006号-1"
    assert number.issues == ("icp_suffix_zeros",)


@pytest.mark.parametrize("text", ["鲁ICP备2023000006号-0", "鲁ICP备2023000006号-00", "鲁ICP备2023000006号-0A"])
def test_suffix_zero_is_kept_as_zero_for_the_caller_to_refuse(text):
    from workbench.domain.identifiers import is_canonical_site_no

    assert parse_icp(text).suffix[0] == "0"
    assert not is_canonical_site_no(text)


@pytest.mark.parametrize(
    "text", ["鲁ICP备2023000006号-¹", "鲁ICP备2023000006号-①", "鲁ICP备2023000006号-₁",
             "鲁ICP备2023000006号-𝟙𝟚", "鲁ICP备2023000006号-٧", "鲁ICP备²⁰²³⁰⁰⁰⁰⁰⁶号-1"]
)
def test_superscript_circled_and_other_script_digits_are_not_read(text):
    from workbench.domain.identifiers import has_odd_digits

    assert has_odd_digits(text)
    assert parse_icp(text) is None


def test_full_width_digits_are_not_odd():
    from workbench.domain.identifiers import has_odd_digits

    assert not has_odd_digits("鲁ICP备２０２３０００００６号－１")
    assert not has_odd_digits("鲁ICP备2023000006号-1")


@pytest.mark.parametrize("code", ["Y1370100MA3C50001J", "N2370102MA3C50001L", "A1370100MA3C5000XU",
                                  "1237110290BU8R0K87"])
def test_uscc_with_letters_first_is_checked_by_gb32100(code):
    """facts.md §10: stdnum 2.x rejects codes led by a letter; GB 32100 allows A, N, Y (and a
    letter type in position 2). The check character decides."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    body = code[:17]
    check = alphabet[-sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True)) % 31]
    good = body + check
    assert check_certificate(good) == (good, ())
    wrong = body + next(c for c in alphabet if c != check)
    assert check_certificate(wrong) == (wrong, ("uscc_check_digit",))


def test_uscc_examples_from_the_legal_review_are_valid():
    assert check_certificate("Y1370100MA3C50001J") == ("Y1370100MA3C50001J", ())
    assert check_certificate("N2370102MA3C50001L") == ("N2370102MA3C50001L", ())
    assert check_certificate("Z1370100MA3C50001J")[1] == ("uscc_invalid",)  # no authority Z
