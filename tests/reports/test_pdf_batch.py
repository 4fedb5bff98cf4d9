"""Batch rendering of notices: safe names inside the folder, progress, cancel, no overwrite."""

from __future__ import annotations

import threading

import pytest

from workbench.domain.progress import Cancelled
from workbench.errors import ValidationError
from workbench.reports import render_notices


def test_one_pdf_per_notice_with_safe_names(tmp_path, make_notice, pdf_text):
    out_dir = tmp_path / "文书"
    notices = [make_notice(findings=1, recipient="../../逃逸公司"),
               make_notice(findings=1, recipient='某<公司>:*?"|', doc_number="鲁网信整改〔2026〕13号"),
               make_notice(findings=1, recipient="../../逃逸公司")]
    seen = []
    paths = render_notices(notices, out_dir, on_progress=seen.append)
    assert [p.parent for p in paths] == [out_dir] * 3
    assert [p.name for p in paths] == ["鲁网信整改〔2026〕12号-....逃逸公司.pdf",
                                       "鲁网信整改〔2026〕13号-某公司.pdf",
                                       "鲁网信整改〔2026〕12号-....逃逸公司 (2).pdf"]
    assert sorted(out_dir.iterdir()) == sorted(paths)
    assert not list(tmp_path.glob("*.pdf"))
    assert "某<公司>:*?\"|" in pdf_text(paths[1]).replace("\n", "")
    assert [(p.done, p.total) for p in seen] == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_existing_files_are_not_overwritten(tmp_path, make_notice):
    existing = tmp_path / "鲁网信整改〔2026〕12号-甲公司.pdf"
    existing.write_bytes(b"keep me")
    (path,) = render_notices([make_notice(findings=1, recipient="甲公司")], tmp_path)
    assert existing.read_bytes() == b"keep me"
    assert path.name == "鲁网信整改〔2026〕12号-甲公司 (2).pdf"


def test_cancel_removes_what_this_run_wrote(tmp_path, make_notice):
    cancel = threading.Event()
    other = tmp_path / "other.pdf"
    other.write_bytes(b"x")

    def progress(p):
        if p.done == 2:
            cancel.set()

    with pytest.raises(Cancelled):
        render_notices([make_notice(findings=1)] * 4, tmp_path, cancel=cancel,
                       on_progress=progress)
    assert sorted(tmp_path.iterdir()) == [other]


def test_invalid_notice_names_which_one(tmp_path, make_notice):
    bad = make_notice(findings=(), doc_number="鲁网信整改〔2026〕99号", recipient="乙公司")
    with pytest.raises(ValidationError, match="99号，乙公司"):
        render_notices([make_notice(findings=1), bad], tmp_path)


def test_written_pdf_is_readable_by_others_like_any_new_file(tmp_path):
    import os
    import stat

    from workbench.atomic import write_bytes

    old = os.umask(0o022)
    try:
        write_bytes(tmp_path / "x.pdf", b"%PDF-1.4")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.pdf").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]
