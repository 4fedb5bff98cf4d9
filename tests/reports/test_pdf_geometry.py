"""GB/T 9704-2012 page geometry measured on the rendered PDF (facts.md §6) via pdftotext -bbox."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import pytest

from workbench.reports import render_notice

MM = 72 / 25.4
LEFT = 28 * MM
RIGHT = LEFT + 156 * MM
TOP = 37 * MM
BOTTOM = TOP + 225 * MM  # from the top edge, as pdftotext measures
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@pytest.fixture(scope="module")
def pages(tmp_path_factory, make_notice):
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = tmp_path_factory.mktemp("geometry") / "notice.pdf"
    render_notice(make_notice(findings=12), out)
    html = subprocess.run([exe, "-bbox", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    result = []
    for page in html.split("<page ")[1:]:
        size = tuple(float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        words = [(*map(float, m.groups()[:4]), unescape(m.group(5))) for m in WORD.finditer(page)]
        result.append((size, words))
    return result


def test_a4_pages(pages):
    assert len(pages) >= 2
    for (width, height), _ in pages:
        assert abs(width - 210 * MM) < 0.5 and abs(height - 297 * MM) < 0.5


def test_text_stays_in_the_type_area(pages):
    for _, words in pages:
        body = [w for w in words if w[1] < BOTTOM]
        assert body
        assert min(w[0] for w in body) >= LEFT - 0.5
        assert max(w[2] for w in body) <= RIGHT + 16.5  # one hanging punctuation mark at most
        assert min(w[1] for w in body) >= TOP - 0.5


def test_salutation_flush_left_and_body_indented_two_characters(pages):
    words = pages[0][1]
    salutation = next(w for w in words if w[4].startswith("济南<b>&某某</b>"))
    intro = next(w for w in words if w[4].startswith("某市互联网信息办公室于"))
    assert abs(salutation[0] - LEFT) < 0.5
    assert abs(intro[0] - (LEFT + 32)) < 0.5
    assert intro[1] - salutation[1] == pytest.approx(225 * MM / 22, abs=0.2)  # 22 lines a page


def test_page_numbers_below_type_area_odd_right_even_left(pages):
    for number, (_, words) in enumerate(pages, start=1):
        footer = [w for w in words if w[1] > BOTTOM]
        assert str(number) in {w[4] for w in footer}
        assert min(w[1] for w in footer) > BOTTOM + 4 * MM
        if number % 2:
            assert max(w[2] for w in footer) == pytest.approx(RIGHT - 14, abs=1.5)
        else:
            assert min(w[0] for w in footer) == pytest.approx(LEFT + 14, abs=1.5)
