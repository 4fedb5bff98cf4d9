"""Evidence files are copied into the store by hash, recorded, and checked for tampering."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from workbench.errors import InputFileError, ValidationError, WorkbenchError
from workbench.services import inspection_service as svc
from workbench.storage.evidence_store import EvidenceStore

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 50


@pytest.fixture
def inspection(ctx, org, templates):
    return svc.start_inspection(ctx, campaign_id=org.campaign_id, sponsor_id=org.sponsor_id,
                                template_id=templates["website_security"].id,
                                inspected_on=date(2026, 3, 2))


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "来自 U 盘" / "..evil"
    folder.mkdir(parents=True)
    path = folder / "../..evil/检查记录 (1).pdf"
    path.write_bytes(PDF)
    return path


def test_evidence_is_copied_under_its_hash(ctx, store, inspection, source):
    ev = svc.add_evidence(ctx, inspection.id, source, item_code="J-01",
                          description="首页截图")
    sha = hashlib.sha256(PDF).hexdigest()
    assert (ev.sha256, ev.size, ev.original_name, ev.mime) == (sha, len(PDF), "检查记录 (1).pdf",
                                                                "application/pdf")
    assert ev.stored_path == f"{sha[:2]}/{sha}"
    stored = store.path_of(ev.stored_path)
    assert stored.read_bytes() == PDF and not stored.is_symlink()
    assert stored.resolve().is_relative_to(store.root.resolve())
    source.write_bytes(b"changed later")  # editing the original does not touch the evidence
    assert stored.read_bytes() == PDF
    assert svc.list_evidence(ctx, inspection.id, "J-01") == [ev]
    assert svc.verify_evidence(ctx) == []


def test_same_bytes_are_stored_once(ctx, store, inspection, source, tmp_path):
    copy = tmp_path / "另一个名字.bin"
    copy.write_bytes(PDF)
    a = svc.add_evidence(ctx, inspection.id, source)
    b = svc.add_evidence(ctx, inspection.id, copy, item_code="A-01")
    assert a.id != b.id and a.stored_path == b.stored_path
    assert len([p for p in store.root.rglob("*") if p.is_file()]) == 1


def test_integrity_check_reports_modified_and_missing_files(ctx, store, inspection, source, tmp_path):
    kept = svc.add_evidence(ctx, inspection.id, source)
    other = tmp_path / "photo.jpg"
    other.write_bytes(b"\xff\xd8\xff\xe0" + b"jpeg" * 10)
    gone = svc.add_evidence(ctx, inspection.id, other, item_code="C-01")
    assert gone.mime == "image/jpeg"

    tampered = store.path_of(kept.stored_path)
    tampered.write_bytes(PDF[:-1] + b"X")
    store.path_of(gone.stored_path).unlink()
    problems = svc.verify_evidence(ctx, inspection.id)
    assert {(p.evidence.id, p.status) for p in problems} == {(kept.id, "modified"), (gone.id, "missing")}


def test_bad_evidence_input_is_refused(ctx, store, inspection, tmp_path):
    with pytest.raises(InputFileError, match="不存在"):
        svc.add_evidence(ctx, inspection.id, tmp_path / "nothing.png")
    with pytest.raises(InputFileError):
        svc.add_evidence(ctx, inspection.id, tmp_path)
    real = tmp_path / "x.txt"
    real.write_text("证据", encoding="utf-8")
    with pytest.raises(ValidationError, match="不在本次检查范围内"):
        svc.add_evidence(ctx, inspection.id, real, item_code="ZZ-1")
    assert ctx.conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 0


def test_stored_paths_outside_the_store_are_refused(tmp_path):
    store = EvidenceStore(tmp_path / "store")
    for bad in ("../secret", "/etc/passwd", "ab/../../x", "AB/" + "A" * 64):
        with pytest.raises(WorkbenchError):
            store.path_of(bad)
