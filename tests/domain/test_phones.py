"""Tests for workbench.domain.phones."""

import pytest

from workbench.domain.phones import normalise_phone


@pytest.mark.parametrize(
    "value, phone",
    [
        (13500007610.0, "13500007610"),
        (13500007610, "13500007610"),
        ("+86 134 0000 6384", "13400006384"),
        ("0086-134-0000-6384", "13400006384"),
        ("8613400006384", "13400006384"),
        ("0531-83028078", "0531-83028078"),
        ("053183028078", "0531-83028078"),
        ("01083028078", "010-83028078"),
        ("(0531)83028078", "0531-83028078"),
        ("０５３１－８３０２８０７８", "0531-83028078"),
        ("0531-83028078-123", "0531-83028078-123"),
        ("400-800-1234", "400-800-1234"),
        ("13500007610；0531-83028078", "13500007610;0531-83028078"),
        ("", ""),
    ],
)
def test_normalise_phone(value, phone):
    assert normalise_phone(value) == (phone, ())


def test_unknown_phone_is_kept_with_warning():
    assert normalise_phone("打电话问前台") == ("打电话问前台", ("phone_invalid",))
    assert normalise_phone("1350000761") == ("1350000761", ("phone_invalid",))


def test_line_breaks_and_full_width_digits_do_not_survive():
    assert normalise_phone("13500007610\n") == ("13500007610", ())
    assert normalise_phone("１３５００００７６１０") == ("13500007610", ())
