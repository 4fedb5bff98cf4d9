"""Tests for workbench.domain.domains: URLs, several per cell, IDN."""

import pytest

from workbench.domain.domains import parse_domain, split_domains
from workbench.domain.site import Domain


@pytest.mark.parametrize(
    "text, name",
    [
        ("HTTP://WWW.RUNWO.CN/index.html", "runwo.cn"),
        ("https://user@www.example.com:8080/a?b#c", "example.com"),
        ("Example.COM.", "example.com"),
        ("www.com", "www.com"),
        ("sub.www.example.cn", "sub.www.example.cn"),
    ],
)
def test_parse_domain_reduces_urls(text, name):
    assert parse_domain(text) == Domain(name, name)


def test_idn_has_unicode_and_punycode():
    assert parse_domain("海岳宏图.网络") == Domain("海岳宏图.网络", "xn--wcs19h9yar40c.xn--io0a7i")
    assert parse_domain("xn--bcher-kva.de") == Domain("bücher.de", "xn--bcher-kva.de")
    assert parse_domain("Bücher.DE") == Domain("bücher.de", "xn--bcher-kva.de")


@pytest.mark.parametrize("text", ["1.2.3.4", "localhost", "a..b", "-bad.com", "http://"])
def test_parse_domain_rejects_non_domains(text):
    assert parse_domain(text) is None


def test_split_domains_on_every_separator():
    domains, url, issues = split_domains("a.com;b.cn；c.net,d.org，e.top、f.cc\ng.com\r\nh.cn ; i.cn\u3000，j.cn")
    assert [d.name for d in domains] == [
        "a.com", "b.cn", "c.net", "d.org", "e.top", "f.cc", "g.com", "h.cn", "i.cn", "j.cn",
    ]
    assert (url, issues) == ("", ())


@pytest.mark.parametrize("text", ["exa mple.com", "exa\tmple.com", "exa\u3000mple.com", "a.com b.cn",
                                  "http://exa mple.com/x"])
def test_a_space_inside_an_item_refuses_it_and_never_cuts_it(text):
    domains, _, issues = split_domains(text)
    assert domains == ()
    assert issues == ("domain_invalid",)


def test_a_bad_item_beside_a_good_one_keeps_only_the_good_one():
    domains, _, issues = split_domains("exa mple.com；good.cn")
    assert [d.name for d in domains] == ["good.cn"]
    assert issues == ("domain_invalid",)


def test_split_domains_zero_width_and_repeats():
    domains, _, _ = split_domains("jn\u200bqiao.com.cn;www.jnqiao.com.cn")
    assert domains == (Domain("jnqiao.com.cn", "jnqiao.com.cn"),)


def test_split_domains_reports_first_url_and_invalid_items():
    domains, url, issues = split_domains("https://www.x.cn/;1.2.3.4")
    assert domains == (Domain("x.cn", "x.cn"),)
    assert url == "https://www.x.cn/"
    assert issues == ("domain_invalid",)


def test_plain_cjk_labels_encode_as_the_idna_codec_does():
    import encodings.idna
    import random

    from workbench.domain.domains import _label_to_ascii

    rng = random.Random(5)
    chars = "abz09-" + "".join(map(chr, (0x4E00, 0x4E01, 0x7AD9, 0x7F51, 0x9FA5)))
    for _ in range(2000):
        label = "".join(rng.choice(chars) for _ in range(rng.randrange(1, 30)))
        if label.isascii():
            continue
        try:
            expected = encodings.idna.ToASCII(label).decode("ascii")
        except UnicodeError:
            with pytest.raises(UnicodeError):
                _label_to_ascii.__wrapped__(label)
            continue
        assert _label_to_ascii.__wrapped__(label) == expected, label


def test_labels_outside_the_plain_range_still_go_through_nameprep():
    assert parse_domain("straße.de") == Domain("straße.de", "strasse.de")  # nameprep maps ß to ss
    assert parse_domain("站Ü.cn").ascii == "xn--" + "站ü".encode("punycode").decode() + ".cn"
    assert parse_domain("\u9fa6站.cn") == Domain("\u9fa6站.cn", "xn--" + "\u9fa6站".encode("punycode").decode() + ".cn")
    assert parse_domain("站" * 60 + ".cn") is None  # longer than 63 characters in punycode


def test_a_trailing_line_break_is_not_part_of_the_domain():
    assert split_domains("a.com\n") == ((Domain("a.com", "a.com"),), "", ())
    assert split_domains("a.cn；m.a.cn") == ((Domain("a.cn", "a.cn"), Domain("m.a.cn", "m.a.cn")), "", ())
