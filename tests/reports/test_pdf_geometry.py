"""GB/T 9704-2012 信函格式 geometry measured on the rendered PDFs with pdfplumber.

Every measurement here is listed in docs/documents.md with its clause. Run on the demo notice and
opinion, on a long notice (20 findings, long names, URLs, 4-byte characters) and a long opinion,
and with the red elements left out for pre-printed 红头纸.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from workbench.reports import NoticeFinding, ReinspectionOpinion, render_notice, render_reinspection
from workbench.reports.documents import Appeal
from workbench.reports.linebreak import (
    IDENTIFIER,
    MAX_GAP,
    NO_END,
    NO_START,
    SQUEEZABLE,
    SQUEEZE_LEFT,
    is_wide,
)

pdfplumber = pytest.importorskip("pdfplumber")

MM = 72 / 25.4
TOL = 0.5 * MM  # ±0.5 mm
LEFT, RIGHT = 28 * MM, (28 + 156) * MM
TOP, BOTTOM = 37 * MM, (37 + 225) * MM
CELL = 156 * MM / 28  # 15.79 pt
PITCH = (225 * MM - 16) / 21  # 22 em boxes fill the 版心
PAGE_W, PAGE_H = 210 * MM, 297 * MM
RARE = "𡈼"  # CJK extension B (4 bytes in UTF-8), drawn by a fallback font where the body lacks it


def _long_notice(make_notice):
    items = tuple(
        NoticeFinding(
            description=(f"网站后台管理页面（https://admin{i}.example.com.cn/login）对互联网开放且存在"
                         f"弱口令“admin123”，可被任意登录，第{i}项问题"),
            legal_basis="《中华人民共和国网络安全法》（2025修正）第二十三条第（一）项、第六十一条",
            requirement="关闭后台的互联网访问，更换高强度口令，启用登录失败处理；整改完成后提交书面报告",
            evidence=f"截图 evidence-{i}.png；IP 203.0.113.{i}；访问 www.example{i}.cn 可见" if i % 2 else "",
            site=f"济南吉祥{RARE}科技发展集团有限责任公司门户网站第{i}号站点（www.jixiang{i}.com.cn）",
            filing_no=f"鲁ICP备2021527689号-{i}",
            filed="主办单位为济南某某科技有限公司，接入服务商为某某云计算有限公司" if i % 3 == 0 else "",
        )
        for i in range(1, 21)
    )
    return make_notice(
        items, authority="济南市历城区互联网信息办公室", doc_number="鲁历网信责改〔2026〕128号",
        recipient=f"济南吉祥{RARE}科技发展集团有限责任公司（原济南某某信息技术有限公司）",
        inspectors=("张三", "李四", "欧阳娜娜"), place="济南市历城区山大南路27号某某大厦十八层机房",
        basis="《中华人民共和国网络安全法》《网信部门行政执法程序规定》", deadline=date(2026, 12, 18),
        appeal=Appeal("济南市历城区人民政府", "济南市历城区人民法院"),
        cc="济南市通信管理局、济南市公安局网络安全保卫支队")


def _opinion(n: int) -> ReinspectionOpinion:
    items = tuple((f"网站后台管理页面对互联网开放且存在弱口令（鲁ICP备2021527689号-{i}），第{i}项问题",
                   "已整改：后台已关闭互联网访问，口令已更换为符合复杂度要求的高强度口令，并启用了登录失败处理功能和操作日志审计功能" if i % 2 else "未整改到位：仍可通过 www.example.cn/admin 访问")
                  for i in range(1, n + 1))
    return ReinspectionOpinion(authority="某市互联网信息办公室", doc_number="鲁网信复查〔2026〕3号",
                               notice_number="鲁网信整改〔2026〕12号", recipient="济南某某科技有限公司",
                               reinspected_on=date(2026, 12, 20), items=items,
                               conclusion="经复查，你单位仍有问题未整改到位，请于2027年1月8日前（含当日）继续整改。",
                               issued_on=date(2026, 12, 21))


@pytest.fixture(scope="module")
def documents(tmp_path_factory, make_notice):
    """name → (pdfplumber pages as char/rect lists, the text the document was made from)."""
    folder = tmp_path_factory.mktemp("geometry")
    long_notice = _long_notice(make_notice)
    made = {
        "demo notice": (make_notice(), render_notice),
        "long notice": (long_notice, render_notice),
        "demo opinion": (_opinion(3), render_reinspection),
        "long opinion": (_opinion(30), render_reinspection),
        "plain paper": (replace(long_notice, red=False), render_notice),
    }
    result = {}
    for name, (document, render) in made.items():
        path = folder / f"{name}.pdf"
        render(document, path)
        with pdfplumber.open(path) as pdf:
            pages = [(p.width, p.height, list(p.chars), list(p.rects)) for p in pdf.pages]
        result[name] = (pages, document)
    return result


def _is_red(obj) -> bool:
    color = obj.get("non_stroking_color")
    return bool(color) and len(color) == 3 and color[0] > 0.5 and color[1] < 0.2 and color[2] < 0.2


def _body_lines(chars) -> list[list[dict]]:
    """Black text of the 版心 grouped into lines (same em-box top), sorted left to right."""
    lines: dict[float, list[dict]] = {}
    for c in chars:
        if _is_red(c) or c["top"] > BOTTOM + 1 or c["text"].isspace():
            continue
        key = round(c["top"], 1)
        lines.setdefault(key, []).append(c)
    return [sorted(line, key=lambda c: c["x0"]) for _, line in sorted(lines.items())]


def _grid_lines(chars) -> list[list[dict]]:
    """Body lines set in 3号 on the grid (title and 文号 of page 1 excluded)."""
    out = []
    for line in _body_lines(chars):
        if abs(line[0]["size"] - 16) > 0.1:
            continue
        offset = (line[0]["top"] - TOP) / PITCH
        if abs(offset - round(offset)) * PITCH < 0.6:
            out.append(line)
    return out


def _right_edge(line) -> float:
    """Right edge of the last cell: a line-end mark takes half a cell (GB/T 15834 §5.1.10)."""
    last = line[-1]
    if last["text"] in SQUEEZE_LEFT:
        return last["x0"] + CELL / 2
    return last["x1"]


def _text(line) -> str:
    return "".join(c["text"] for c in line)


ALL = ["demo notice", "long notice", "demo opinion", "long opinion", "plain paper"]


@pytest.mark.parametrize("name", ALL)
def test_a4_and_margins(documents, name):
    """A4 (§5.1); 订口 28 mm and the 版心's right edge at 184 mm (§5.2.1): ±0.5 mm."""
    pages, _ = documents[name]
    lefts, rights = [], []
    for width, height, chars, _rects in pages:
        assert abs(width - PAGE_W) < 0.5 and abs(height - PAGE_H) < 0.5
        for line in _grid_lines(chars):
            lefts.append(line[0]["x0"])
            rights.append(_right_edge(line))
            assert line[0]["x0"] >= LEFT - TOL, _text(line)
            assert _right_edge(line) <= RIGHT + TOL, _text(line)
    assert min(lefts) == pytest.approx(LEFT, abs=TOL)
    assert max(rights) == pytest.approx(RIGHT, abs=TOL)


@pytest.mark.parametrize("name", ALL)
def test_full_pages_hold_22_lines_from_the_top_to_the_bottom_margin(documents, name):
    """22 lines a page (§5.2.3): on every page but the first and last, 22 grid lines, the first
    em box at 天头 37 mm and the last ending at 262 mm (±0.5 mm)."""
    pages, _ = documents[name]
    middle = pages[1:-1]
    if name.startswith("long") or name == "plain paper":
        assert middle, "the long documents run to several pages"
    body_font = _body_font(pages)
    for index, (_w, _h, chars, _r) in enumerate(middle, start=1):
        lines = _grid_lines(chars)
        assert lines[0][0]["top"] == pytest.approx(TOP, abs=TOL)
        if len(lines) < 22:  # only where a heading moved on, so as not to end the page, or
            # where the last lines went on with the signature and the 版记 (§7.3.5.1)
            assert (_is_heading(_grid_lines(pages[index + 1][2])[0], body_font)
                    or index == len(pages) - 2)
            assert len(lines) >= 22 - 6
            continue
        assert len(lines) == 22
        assert lines[-1][0]["bottom"] == pytest.approx(BOTTOM, abs=TOL)
    for _w, _h, chars, _r in pages:  # nothing of the body below the 版心
        assert all(line[0]["bottom"] <= BOTTOM + TOL for line in _grid_lines(chars))


def _body_font(pages) -> str:
    """The most used font: the body face (仿宋 or its stand-in)."""
    counts: dict[str, int] = {}
    for _w, _h, chars, _r in pages:
        for c in chars:
            counts[_face(c)] = counts.get(_face(c), 0) + 1
    return max(counts, key=counts.get)


def _face(char) -> str:
    """The font's PostScript name without the subset prefix (AAAAAB+…)."""
    return char["fontname"].split("+")[-1]


def _is_heading(line, body_font) -> bool:
    return not any(_face(c) == body_font for c in line if is_wide(c["text"]))


def _paragraph_lines(pages):
    """(line, is_last_of_paragraph) for every grid line in reading order; a paragraph ends
    where the next line starts indented, or is a heading, or the body ends."""
    body_font = _body_font(pages)
    lines = [line for _w, _h, chars, _r in pages for line in _grid_lines(chars)]
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        ends = (nxt is None or nxt[0]["x0"] > LEFT + TOL or _is_heading(nxt, body_font)
                or _is_heading(line, body_font) and _face(nxt[0]) == body_font
                and _right_edge(line) < RIGHT - CELL)
        out.append((line, ends))
    return out


@pytest.mark.parametrize("name", ALL)
def test_full_lines_hold_28_characters_and_end_flush(documents, name):
    """28 characters a line, 撑满版心 (§5.2.3): every line that is not the last of its
    paragraph ends flush with the 版心 (±0.5 mm); a line of full-width characters holds as
    many characters as it has cells (28, or 26 after a 2-character indent), one more when
    marks were squeezed, one fewer when a character went down with a line-start mark; a line
    without punctuation is set at the 15.79 pt pitch."""
    pages, _ = documents[name]
    counts = {-1: 0, 0: 0, 1: 0}
    lines = _paragraph_lines(pages)
    for i, (line, last) in enumerate(lines):
        text = _text(line)
        if last:
            continue
        assert _right_edge(line) == pytest.approx(RIGHT, abs=TOL), text
        if all(is_wide(c) for c in text):
            cells = round((RIGHT - line[0]["x0"]) / CELL)
            diff = len(text) - cells
            following = _text(lines[i + 1][0])
            if diff > 0:  # marks squeezed to half a cell (先挤进, §5.1.10–5.1.11)
                assert sum(c in SQUEEZABLE for c in text) >= 2 * diff, text
            elif diff == -1:  # pushed out (后推出): a character went down with a mark
                assert following[1] in NO_START or IDENTIFIER.match(following.lstrip("（《“")), \
                    (text, following)
            elif diff < -1:  # an identifier that is never split did not fit
                assert IDENTIFIER.match(following.lstrip("（《“")), (text, following)
            counts[max(-1, min(1, diff))] += 1
            if diff == 0 and not any(c in NO_START or c in NO_END for c in text):
                steps = {round(b["x0"] - a["x0"], 2) for a, b in zip(line, line[1:], strict=False)}
                assert steps == {round(CELL, 2)}, text
    assert counts[0] >= 1, counts


@pytest.mark.parametrize("name", ALL)
def test_line_start_and_end_punctuation(documents, name):
    """GB/T 15834-2011 §5.1: no 。，、；：？！）》” … at a line start, no （《“ at a line end;
    nothing hangs into the margin (checked with the margins)."""
    pages, _ = documents[name]
    for _w, _h, chars, _r in pages:
        for line in _grid_lines(chars):
            text = _text(line)
            assert text[0] not in NO_START, text
            assert text[-1] not in NO_END, text


@pytest.mark.parametrize("name", ALL)
def test_identifiers_are_never_split(documents, name):
    """文号, 备案号 and domains each stand on one line (this product's rule); a URL stands on one
    line or is broken after a / . or - of it, the rest on the next line, no hyphen added."""
    pages, document = documents[name]
    lines = [_text(line) for _w, _h, chars, _r in pages for line in _body_lines(chars)]
    source = repr(document)
    wanted = {m.group() for m in IDENTIFIER.finditer(source)
              if m.group().startswith(("http", "www.")) or m.group().endswith("号")
              or "号-" in m.group()}
    assert wanted
    joined = "\n".join(lines)
    flat = "".join(lines)
    breaks = set(itertools.accumulate(len(line) for line in lines))  # offsets in flat
    for identifier in wanted:
        if identifier in joined:
            continue
        assert identifier.startswith("http") or "/" in identifier, identifier
        at = flat.index(identifier)
        cuts = [i - at for i in breaks if at < i < at + len(identifier)]
        assert cuts, identifier
        for cut in cuts:
            assert identifier[cut - 1] in "/.-" and identifier[cut] not in NO_START, identifier


@pytest.mark.parametrize("name", ALL)
def test_no_wide_gaps_between_characters(documents, name):
    """Justifying never opens a gap wider than MAX_GAP (¼ cell) between two characters, also
    on the lines before an identifier that did not fit (our bound, docs/documents.md). A space
    of the text adds its own width (at most half an em)."""
    pages, document = documents[name]
    source = repr(document)
    bound = MAX_GAP * CELL + 0.05
    widest = 0.0
    for _w, _h, chars, _r in pages:
        for line in _grid_lines(chars):
            for a, b in zip(line, line[1:], strict=False):
                gap = b["x0"] - a["x1"]
                spaced = f"{a['text']} {b['text']}" in source
                assert gap <= (2 * bound + 8 if spaced else bound), (_text(line), a["text"], gap)
                if not spaced:
                    widest = max(widest, gap)
    if name == "long notice":
        assert widest > bound - 1, "the long notice has lines stretched up to the bound"


@pytest.mark.parametrize("name", ["demo notice", "long notice", "demo opinion", "long opinion"])
def test_red_head_of_the_letter_format(documents, name):
    """§10.1: 标志 top 30 mm from the page top; red double rule (thick over thin) 4 mm below it
    and (thin over thick) 20 mm above the page bottom, 170 mm long centred on the 版心; 文号 flush
    right 7/8 of a 3号 character (4.94 mm) under the first rule; title two 行 (2 × 30 pt) below
    it; no red on later pages."""
    pages, document = documents[name]
    _w, _h, chars, rects = pages[0]
    mark = [c for c in chars if _is_red(c)]
    assert "".join(c["text"] for c in mark) == document.authority
    assert min(c["top"] for c in mark) == pytest.approx(30 * MM, abs=TOL)
    mark_bottom = max(c["bottom"] for c in mark)
    red = sorted((r for r in rects if _is_red(r)), key=lambda r: r["top"])
    assert len(red) == 4
    for rule in red:
        assert rule["width"] == pytest.approx(170 * MM, abs=TOL)
        assert rule["x0"] == pytest.approx((28 + 78 - 85) * MM, abs=TOL)
    first, second = red[:2], red[2:]
    assert first[0]["top"] == pytest.approx(mark_bottom + 4 * MM, abs=TOL)
    assert first[0]["height"] > first[1]["height"]  # thick over thin
    assert second[0]["height"] < second[1]["height"]  # thin over thick
    assert second[1]["bottom"] == pytest.approx(PAGE_H - 20 * MM, abs=TOL)
    number = [c for c in chars if abs(c["top"] - (first[1]["bottom"] + 14)) < TOL and not _is_red(c)]
    assert _text(sorted(number, key=lambda c: c["x0"])) == document.doc_number
    assert max(c["x1"] for c in number) == pytest.approx(RIGHT, abs=TOL)
    title = [c for c in chars if abs(c["size"] - 22) < 0.1]
    assert min(c["top"] for c in title) == pytest.approx(max(c["bottom"] for c in number) + 60, abs=TOL)
    for _w2, _h2, later_chars, later_rects in pages[1:]:
        assert not [c for c in later_chars if _is_red(c)]
        assert not [r for r in later_rects if _is_red(r)]


def test_plain_paper_leaves_out_every_red_element_and_nothing_moves(documents):
    """A setting leaves out the red 标志 and rules for pre-printed 红头纸; positions unchanged."""
    red_pages, _ = documents["long notice"]
    plain_pages, _ = documents["plain paper"]
    assert len(red_pages) == len(plain_pages)
    for (_w, _h, red_chars, _r), (_w2, _h2, plain_chars, plain_rects) in zip(red_pages, plain_pages, strict=True):
        assert not [c for c in plain_chars if _is_red(c)] and not [r for r in plain_rects if _is_red(r)]
        black = [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in red_chars if not _is_red(c)]
        assert black == [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in plain_chars]


@pytest.mark.parametrize("name", ALL)
def test_page_numbers(documents, name):
    """§7.5, §10.1: no number on page 1; from page 2 `— n —` in 4号 (14 pt), the 一字线 7 mm
    below the 版心, odd pages one character in from the right, even pages from the left."""
    pages, _ = documents[name]
    first_footer = [c for c in pages[0][2] if c["top"] > BOTTOM + 1]
    assert not first_footer
    for number, (_w, _h, chars, _r) in enumerate(pages[1:], start=2):
        footer = sorted((c for c in chars if c["top"] > BOTTOM + 1), key=lambda c: c["x0"])
        assert _text(footer).replace(" ", "") == f"—{number}—"
        assert all(abs(c["size"] - 14) < 0.1 for c in footer)
        dash = footer[0]
        assert (dash["top"] + dash["bottom"]) / 2 == pytest.approx(BOTTOM + 7 * MM, abs=TOL)
        if number % 2:
            assert footer[-1]["x1"] == pytest.approx(RIGHT - 14, abs=TOL)
        else:
            assert footer[0]["x0"] == pytest.approx(LEFT + 14, abs=TOL)


@pytest.mark.parametrize("name", ["long notice", "long opinion"])
def test_headings_never_end_a_page_and_the_signature_never_stands_alone(documents, name):
    """A heading is never the last line of a page; the 署名 has body text above it on its page."""
    pages, document = documents[name]
    body_font = _body_font(pages)
    for _w, _h, chars, _r in pages:
        lines = _grid_lines(chars)
        assert not _is_heading(lines[-1], body_font), _text(lines[-1])
    last_lines = [_text(line) for line in _grid_lines(pages[-1][2])]
    assert last_lines.index(document.authority) >= 1


def test_rare_character_is_drawn(documents):
    pages, _ = documents["long notice"]
    assert any(c["text"] == RARE for _w, _h, chars, _r in pages for c in chars)
