"""Shared helpers for the PDF document tests: sample data and text extraction with poppler."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from workbench.reports import NoticeFinding, RectificationNotice
from workbench.reports import fonts as fonts_module

HOSTILE_NAME = "济南<b>&某某</b>科技有限公司"


def _make_notice(findings: int | tuple = 3, **changes) -> RectificationNotice:
    if isinstance(findings, tuple):
        return RectificationNotice(**{**_notice_fields(), "findings": findings, **changes})
    items = tuple(
        NoticeFinding(
            description=f"网站后台管理页面对互联网开放且存在弱口令，第{i}项问题",
            legal_basis="《中华人民共和国网络安全法》（2025年修正）第二十三条、第六十一条",
            requirement="关闭后台的互联网访问，更换高强度口令，启用登录失败处理。",
            evidence=f"截图 evidence-{i}.png；IP 203.0.113.{i}" if i % 2 else "",
        )
        for i in range(1, findings + 1)
    )
    return RectificationNotice(**{**_notice_fields(), "findings": items, **changes})


def _notice_fields() -> dict:
    return dict(
        authority="某市互联网信息办公室",
        doc_number="鲁网信整改〔2026〕12号",
        recipient=HOSTILE_NAME,
        recipient_uscc="91110108551385082Q",
        inspected_on=date(2026, 11, 20),
        inspectors=("张三", "李四"),
        place="济南市历下区某路1号",
        findings=(),
        deadline=date(2026, 12, 15),
        term_text="10个工作日",
        contact="王五",
        contact_phone="0531-12345678",
        issued_on=date(2026, 11, 29),
    )


@pytest.fixture(scope="session")
def make_notice():
    """make_notice(findings=3 or a tuple of NoticeFinding, **changes) -> a realistic notice.

    The recipient's name holds ``<b>&`` markup characters.
    """
    return _make_notice


def _poppler(tool: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} (poppler-utils) not installed")
    return exe


@pytest.fixture
def pdf_text():
    """pdf_text(path, layout=False) -> the PDF's text via pdftotext; skips without poppler."""

    def extract(path: Path, layout: bool = False) -> str:
        args = [_poppler("pdftotext"), *(["-layout"] if layout else []), str(path), "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout

    return extract


@pytest.fixture
def pdf_fonts():
    """pdf_fonts(path) -> rows of pdffonts as dicts with name, type, emb; skips without poppler."""

    def listing(path: Path) -> list[dict]:
        out = subprocess.run([_poppler("pdffonts"), str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
        rows = []
        for line in out:
            parts = line.split()
            # name, type words…, encoding, emb, sub, uni, object id, generation
            rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5]})
        return rows

    return listing


@pytest.fixture
def page_count():
    """page_count(path) -> number of pages via pdfinfo; skips without poppler."""

    def count(path: Path) -> int:
        out = subprocess.run([_poppler("pdfinfo"), str(path)], capture_output=True, text=True,
                             check=True).stdout
        return int(next(line.split()[-1] for line in out.splitlines()
                        if line.startswith("Pages:")))

    return count


@pytest.fixture
def fresh_fonts(monkeypatch):
    """Font discovery caches cleared before and after, so env/monkeypatched lookups apply."""
    fonts_module._find.cache_clear()
    fonts_module.find_fallback_font.cache_clear()
    yield monkeypatch
    fonts_module._find.cache_clear()
    fonts_module.find_fallback_font.cache_clear()
