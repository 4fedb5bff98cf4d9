"""Tests for workbench.domain.text: NFKC, Unicode spaces and zero-width characters."""

from workbench.domain.text import clean_text, compact_text


def test_clean_text_strips_nbsp_and_collapses_spaces():
    assert clean_text("\xa0聊城嘉禾数据服务有限公司  ") == "聊城嘉禾数据服务有限公司"


def test_clean_text_turns_ideographic_space_and_line_breaks_into_one_space():
    assert clean_text("济南\u3000市\r\n历下区\t 路") == "济南 市 历下区 路"


def test_clean_text_deletes_zero_width_characters():
    assert clean_text("jn\u200bqiao\u200d.com\ufeff") == "jnqiao.com"


def test_clean_text_applies_nfkc_to_full_width_forms():
    assert clean_text("鲁ＩＣＰ备１２３４５６７８号－１") == "鲁ICP备12345678号-1"
    assert clean_text("腾讯云计算（北京）有限责任公司") == "腾讯云计算(北京)有限责任公司"


def test_clean_text_keeps_tidy_text_and_blank():
    assert clean_text("淄博海岳科技有限公司") == "淄博海岳科技有限公司"
    assert clean_text("a b") == "a b"
    assert clean_text("") == ""
    assert clean_text(" \xa0\u3000 ") == ""


def test_compact_text_removes_every_space():
    assert compact_text("网站\n备案号 ") == "网站备案号"
    assert compact_text("鲁公网安备　37010202000001 号") == "鲁公网安备37010202000001号"


def test_free_text_keeps_chinese_punctuation_but_folds_fullwidth_alnum():
    from workbench.domain.text import clean_free_text

    assert clean_free_text("西部数码（成都）股份有限公司") == "西部数码（成都）股份有限公司"
    assert clean_free_text("\u200bＡＢＣ科技\u3000有限公司１２３\u00a0") == "ABC科技 有限公司123"
    assert clean_free_text("说明：一、二；三") == "说明：一、二；三"
    assert clean_free_text("") == ""


def _free_text_reference(value):
    """clean_free_text's rules without its fast path: delete, fold, collapse spaces."""
    from workbench.domain.text import _DELETE_INVISIBLE, _FULLWIDTH_ALNUM

    return " ".join(value.translate(_DELETE_INVISIBLE).translate(_FULLWIDTH_ALNUM).split())


def test_free_text_fast_path_agrees_with_the_rules():
    import random

    from workbench.domain.text import clean_free_text

    pieces = ["公司", "（成都）", "a", "Ｚ", "９", "、", " ", "  ", "\u3000", "\xa0", "\u200b", "\ufeff",
              "\t", "\n", "\x85", "\u2028", "Ａｂ", "ｚ", "！", "x1", "\u00ad", "－", "\x00", "\x07",
              "\x1b", "\x7f", "\x9b", "\x1f"]
    rng = random.Random(11)
    for _ in range(5000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 6)))
        assert clean_free_text(value) == _free_text_reference(value), repr(value)


def test_control_characters_are_deleted_from_every_kind_of_text():
    from workbench.domain.text import clean_free_text

    raw = "坏\x00单位\x07\x1b[31m红\x7f\x9b"
    assert clean_free_text(raw) == "坏单位[31m红"
    assert clean_text(raw) == "坏单位[31m红"
    assert clean_text("a\x00b\x08c") == "abc"  # all-ASCII text takes the same path
    assert compact_text("\x1b鲁ICP备 12345678号") == "鲁ICP备12345678号"


def test_control_white_space_becomes_a_space_not_nothing():
    from workbench.domain.text import clean_free_text

    assert clean_free_text("甲\t乙\x1c丙\x85丁") == "甲 乙 丙 丁"
    assert clean_text("a\x0bb\x0cc") == "a b c"
