"""Domains from what people type: URLs, several per cell, internationalised names."""

from __future__ import annotations

import encodings.idna
import re
import unicodedata
from functools import lru_cache

from workbench.domain.site import Domain
from workbench.domain.text import ZERO_WIDTH

# Separators people use between several domains in one cell (after NFKC ；，→ ;,): semicolons,
# commas, the enumeration comma 、 and line breaks (those str.splitlines() knows). Not spaces
# or tabs: "exa mple.com" must be refused as a whole, not read as the unrelated "mple.com"
# (breaker report A6); spaces around a separator are stripped.
_SPLIT_RE = re.compile(r"[;,、\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_DELETE = {ord(c): None for c in ZERO_WIDTH}
# RFC 1035 §2.3.1 labels (letters, digits, inner hyphens, ≤ 63 characters), ≤ 253 in all, and a
# top-level label that is alphabetic or an IDNA A-label (RFC 5890), so IP addresses are refused.
# \Z, not $: a trailing line break must not pass as part of a tidy domain.
_ASCII_DOMAIN_RE = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z"
)
# Labels that IDNA 2003 nameprep (RFC 3491) leaves unchanged: lower-case ASCII letters, digits and
# hyphens plus CJK Unified Ideographs U+4E00–U+9FA5 (assigned in Unicode 3.2, no case, no NFKC
# mapping, not prohibited, bidi class L). Their ToASCII form is "xn--" + punycode (RFC 3490 §4.1).
_PLAIN_CJK_LABEL_RE = re.compile(r"[a-z0-9\-\u4e00-\u9fa5]+\Z")


def split_domains(text: str) -> tuple[tuple[Domain, ...], str, tuple[str, ...]]:
    """Read every domain out of one cell.

    The cell may hold several domains separated by ``;；,，、`` or line breaks, and each may be a
    URL. Each is reduced by :func:`parse_domain`; repeats are dropped. White space around an
    item is ignored; an item with white space inside (``exa mple.com``) is not a domain.

    Args:
        text: the cell text.

    Returns:
        (domains in cell order, the first item that was written as a URL or ``''``, warning
        codes: ``domain_invalid`` when some item is not a domain).
    """
    if _is_tidy(text):
        return (Domain(text, text),), "", ()  # the common tidy cell
    cleaned = unicodedata.normalize("NFKC", text.translate(_DELETE)) if not text.isascii() else text
    found: dict[str, Domain] = {}
    url = ""
    issues: tuple[str, ...] = ()
    for token in _SPLIT_RE.split(cleaned):
        token = token.strip()
        if not token:
            continue
        domain = parse_domain(token)
        if domain is None:
            issues = ("domain_invalid",)
            continue
        if not url and ("/" in token or ":" in token):
            url = token
        found.setdefault(domain.ascii, domain)
    return tuple(found.values()), url, issues


def parse_domain(text: str) -> Domain | None:
    """Reduce a URL or host name to the domain stored for a website.

    Rules: lower case; scheme (``http://``), user info, port, path, query and fragment removed;
    a trailing dot and one leading ``www.`` removed (the samples' convention: a site is filed
    under its registered domain). Internationalised names are kept in both forms: ``name`` in
    Unicode and ``ascii`` in punycode (IDNA 2003 via Python's ``idna`` codec, RFC 3490).

    Args:
        text: one URL or host name, already split from its neighbours.

    Returns:
        The domain, or None when the text is not a valid domain (e.g. an IP address).
    """
    if _is_tidy(text):
        return Domain(text, text)
    host = text.strip().lower()
    if any(c.isspace() for c in host):
        return None  # never cut at a space: "exa mple.com" is not "mple.com"
    if "://" in host:
        host = host.split("://", 1)[1]
    for stop in "/?#":
        host = host.split(stop, 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    if host.startswith("www.") and host.count(".") > 1:
        host = host[4:]
    labels = host.split(".")
    try:
        ascii_form = host if host.isascii() else ".".join(_label_to_ascii(x) for x in labels)
        name = ".".join(_label_to_unicode(x) for x in labels) if "xn--" in host else host
    except UnicodeError:
        return None
    if _ASCII_DOMAIN_RE.match(ascii_form) is None:
        return None
    return Domain(name=name.lower(), ascii=ascii_form)


def _is_tidy(text: str) -> bool:
    """True when ``text`` is already its own domain: ASCII host name, no www., no A-label."""
    if _ASCII_DOMAIN_RE.match(text) is None:
        return False
    return not text.startswith("www.") and "xn--" not in text


@lru_cache(maxsize=4096)
def _label_to_ascii(label: str) -> str:
    """One label in IDNA ToASCII form (RFC 3490 §4.1); cached, as top-level labels repeat."""
    if label.isascii():
        return label
    if _PLAIN_CJK_LABEL_RE.match(label) and not label.startswith("xn--"):
        encoded = "xn--" + label.encode("punycode").decode("ascii")
        if len(encoded) <= 63:  # else ToASCII below raises, as RFC 3490 §4.1 step 8 says
            return encoded
    return encodings.idna.ToASCII(label).decode("ascii")


@lru_cache(maxsize=4096)
def _label_to_unicode(label: str) -> str:
    """One label in IDNA ToUnicode form (RFC 3490 §4.2)."""
    return encodings.idna.ToUnicode(label) if label.startswith("xn--") else label
