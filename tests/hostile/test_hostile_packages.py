"""Hostile work packages (.wbpkg): truncated, zip bombs, path traversal, hand-made manifests and
changesets that write where no package may (issue 9's hostile pass over issue 13's packages).

Each bad package must be refused with a Chinese reason naming the file, the database left as it
was, and nothing written outside the evidence store. Most cases call the import in-process (the
function the child process runs); a few go through the real command line for the exit code,
the absence of a traceback and the peak memory.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from hostile_files import database_dump, run_cli

from workbench.services import packages
from workbench.services.package_checks import PackageRefused

CHANGES = packages.CHANGES


def _cli(home: Path, *argv) -> object:
    return run_cli("--data-dir", str(home), *map(str, argv))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A lead's demo database, its package, and a laptop that has imported it."""
    from workbench.settings import Settings

    root = tmp_path_factory.mktemp("pkg")
    home = root / "data"
    Settings(inspector="测试员", unit="某市互联网信息办公室").save(home / "config" / "settings.json")
    lead, pkg, laptop = root / "lead.sqlite3", root / "p.wbpkg", root / "laptop.sqlite3"
    assert _cli(home, "demo", "--db", lead, "--sites", 8).returncode == 0
    assert _cli(home, "package", "export", pkg, "--db", lead).returncode == 0
    assert _cli(home, "package", "import", pkg, "--db", laptop, "--inspector", "乙").returncode == 0
    with zipfile.ZipFile(pkg) as z:
        manifest, changeset = json.loads(z.read("manifest.json")), z.read(CHANGES)
    return {"home": home, "lead": lead, "pkg": pkg, "laptop": laptop, "manifest": manifest,
            "changeset": changeset}


@pytest.fixture
def laptop(world, tmp_path) -> Path:
    """A fresh copy of the laptop's database (and nothing beside it)."""
    db = tmp_path / "laptop.sqlite3"
    shutil.copyfile(world["laptop"], db)
    return db


def build(path: Path, manifest: dict, parts: dict[str, bytes], *, raw_manifest: bytes | None = None,
          hashes: bool = True) -> Path:
    """A package at ``path`` holding ``parts``; the manifest lists their true hashes unless
    ``hashes`` is False (then ``manifest['parts']`` is kept as given)."""
    manifest = copy.deepcopy(manifest)
    if hashes:
        manifest["parts"] = {n: hashlib.sha256(d).hexdigest() for n, d in parts.items()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", raw_manifest if raw_manifest is not None
                   else json.dumps(manifest, ensure_ascii=False))
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def import_(db: Path, pkg: Path, tmp_path: Path):
    """The merge as the child process runs it (read_manifest first, as the CLI does)."""
    packages.read_manifest(pkg)
    return packages.import_package(str(db), str(pkg), device="乙机", inspector="乙",
                                   evidence_dir=str(tmp_path / "evidence"))


def assert_refused(db: Path, pkg: Path, tmp_path: Path, *words: str) -> str:
    before = database_dump(db)
    with pytest.raises(PackageRefused) as caught:
        import_(db, pkg, tmp_path)
    message = str(caught.value)
    assert pkg.name in message, message
    for word in words:
        assert word in message, message
    assert database_dump(db) == before
    return message


# --- the archive ----------------------------------------------------------------------------------


def test_a_truncated_package_is_refused_as_incomplete(world, laptop, tmp_path):
    data = world["pkg"].read_bytes()
    cut = tmp_path / "半截.wbpkg"
    cut.write_bytes(data[: len(data) // 2])
    assert_refused(laptop, cut, tmp_path, "不完整")
    empty = tmp_path / "空.wbpkg"
    empty.write_bytes(b"")
    assert_refused(laptop, empty, tmp_path, "不完整")


def test_damaged_data_inside_the_archive_is_refused(world, laptop, tmp_path):
    """The central directory intact, the compressed changeset damaged in its middle."""
    pkg = tmp_path / "损坏.wbpkg"
    shutil.copyfile(world["pkg"], pkg)
    with zipfile.ZipFile(pkg) as z:
        info = z.getinfo(CHANGES)
    data = bytearray(pkg.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 100, start + 400):
        data[i] ^= 0x5A
    pkg.write_bytes(bytes(data))
    assert_refused(laptop, pkg, tmp_path, "损坏")


def _bomb(path: Path, manifest: dict, unpacked: int, declared: int | None = None) -> Path:
    """A package whose changeset inflates to ``unpacked`` bytes of zeros (a few hundred KB on
    disk; one flushed deflate block repeated), its zip headers claiming ``declared`` bytes."""
    block = b"\0" * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.flush()
    repeats = unpacked // len(block)
    crc = 0
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    size = repeats * len(block)
    man = json.dumps({**manifest, "parts": {CHANGES: "0" * 64}}).encode()
    central = []
    with open(path, "wb") as out:
        def member(name: bytes, crc: int, csize: int, usize: int, chunks) -> None:
            offset = out.tell()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, csize, usize, len(name), 0) + name)
            for chunk in chunks:
                out.write(chunk)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, csize, usize,
                                       len(name), 0, 0, 0, 0, 0, offset) + name)

        packed = zlib.compress(man, 6)[2:-4]
        member(b"manifest.json", zlib.crc32(man), len(packed), len(man), [packed])
        member(CHANGES.encode(), crc, repeats * len(piece) + len(last),
               declared if declared is not None else size, [*(piece for _ in range(repeats)), last])
        start = out.tell()
        for entry in central:
            out.write(entry)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start,
                              start, 0))
    return path


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world, laptop, tmp_path):
    bomb = _bomb(tmp_path / "炸弹.wbpkg", world["manifest"], 200 << 20)   # 200 MB in ~200 KB
    assert bomb.stat().st_size < 1 << 20
    assert_refused(laptop, bomb, tmp_path, "压缩炸弹", "倍")
    big = _bomb(tmp_path / "大.wbpkg", world["manifest"], 8 << 20, declared=3 << 30)   # claims 3 GB
    assert_refused(laptop, big, tmp_path, "压缩炸弹", "1024 MB")


def test_a_bomb_that_lies_about_its_size_is_refused_by_its_checksum(world, laptop, tmp_path):
    liar = _bomb(tmp_path / "谎报.wbpkg", world["manifest"], 64 << 20, declared=1000)
    assert_refused(laptop, liar, tmp_path, "损坏")


def test_a_bomb_through_the_command_line_stays_small(world, laptop, tmp_path):
    bomb = _bomb(tmp_path / "炸弹.wbpkg", world["manifest"], 1536 << 20)   # 1.5 GB
    before = database_dump(laptop)
    run = _cli(world["home"], "package", "import", bomb, "--db", laptop, "--inspector", "乙")
    assert run.returncode == 2 and run.stderr.startswith("错误："), run
    assert "炸弹.wbpkg" in run.stderr and "压缩炸弹" in run.stderr and "Traceback" not in run.stderr
    assert run.peak_mb is not None and run.peak_mb < 300, run
    assert database_dump(laptop) == before


def test_duplicate_member_names_are_refused(world, laptop, tmp_path):
    pkg = build(tmp_path / "重名.wbpkg", world["manifest"], {CHANGES: world["changeset"]})
    with zipfile.ZipFile(pkg, "a") as z, pytest.warns(UserWarning):
        z.writestr(CHANGES, b"other")
    assert_refused(laptop, pkg, tmp_path, "重名")


def test_a_missing_package_file_says_so(world, laptop, tmp_path):
    from workbench.errors import NotFoundError

    with pytest.raises(NotFoundError, match="找不到工作包"):
        packages.read_manifest(tmp_path / "没有.wbpkg")
    with pytest.raises(NotFoundError, match="找不到工作包"):
        packages.read_manifest(tmp_path)     # a folder


# --- the manifest ---------------------------------------------------------------------------------

BAD_MANIFESTS = {
    "format 是文字": lambda m: m.update(format="1"),
    "schema 是文字": lambda m: m.update(schema="abc"),
    "schema 缺失": lambda m: m.pop("schema"),
    "package 缺失": lambda m: m.pop("package"),
    "package 是路径": lambda m: m.update(package="../../x"),
    "from 是文字": lambda m: m.update(**{"from": "某人"}),
    "from 缺失": lambda m: m.pop("from"),
    "replica 是路径": lambda m: m["from"].update(replica="../../../tmp/x"),
    "campaign 是列表": lambda m: m.update(campaign=["a"]),
    "campaign id 是数字": lambda m: m["campaign"].update(id=5),
    "acks 是列表": lambda m: m.update(acks=[1]),
    "acks 是路径": lambda m: m.update(acks={"a" * 32: "x/../../../../etc/passwd"}),
}


@pytest.mark.parametrize("case", sorted(BAD_MANIFESTS))
def test_a_manifest_of_the_wrong_shape_is_refused_naming_the_field(world, laptop, tmp_path, case):
    manifest = copy.deepcopy(world["manifest"])
    BAD_MANIFESTS[case](manifest)
    pkg = tmp_path / "清单.wbpkg"
    parts = {CHANGES: world["changeset"]}
    build(pkg, manifest, parts)
    message = assert_refused(laptop, pkg, tmp_path, "manifest.json")
    field = case.split(" ")[0]
    assert field in message or {"replica": "from"}.get(field, "?") in message, message


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe\x00garbage", b"null"])
def test_a_manifest_that_is_not_a_json_object_is_refused(world, laptop, tmp_path, raw):
    pkg = build(tmp_path / "坏清单.wbpkg", world["manifest"], {CHANGES: world["changeset"]}, raw_manifest=raw)
    assert_refused(laptop, pkg, tmp_path, "manifest.json")


@pytest.mark.parametrize("name", ["evidence/../../../outside", "evidence/" + "a" * 64 + "/../../x",
                                  "../outside", "/abs/outside", "evidence\\..\\..\\x"])
def test_part_names_that_leave_the_evidence_store_are_refused(world, laptop, tmp_path, name):
    pkg = build(tmp_path / "穿越.wbpkg", world["manifest"], {CHANGES: world["changeset"], name: b"hello"})
    assert_refused(laptop, pkg, tmp_path, "不是工作包中允许的文件名")
    assert not any(p.is_file() for p in tmp_path.parent.rglob("outside"))
    assert not (tmp_path / "evidence").exists()


def test_an_evidence_part_whose_name_is_not_its_hash_is_refused(world, laptop, tmp_path):
    """A part listed with its content's true hash but stored under another file's name."""
    fake = "b" * 64
    pkg = build(tmp_path / "假证据.wbpkg", world["manifest"], {CHANGES: world["changeset"], f"evidence/{fake}": b"x"})
    assert_refused(laptop, pkg, tmp_path, "文件名与其 SHA-256 不符")
    assert not (tmp_path / "evidence").exists()


def test_a_traversal_through_the_command_line_writes_nothing_outside(world, laptop, tmp_path):
    victim = tmp_path / "victim"
    name = "evidence/" + "../" * 12 + str(victim).lstrip("/")
    pkg = build(tmp_path / "穿越.wbpkg", world["manifest"], {CHANGES: world["changeset"], name: b"owned"})
    before = database_dump(laptop)
    run = _cli(world["home"], "package", "import", pkg, "--db", laptop, "--inspector", "乙")
    assert run.returncode == 2 and "穿越.wbpkg" in run.stderr and "Traceback" not in run.stderr, run
    assert not victim.exists()
    assert database_dump(laptop) == before


# --- the changeset --------------------------------------------------------------------------------


def _changeset(source: Path, tmp_path: Path, *sql: str, setup: tuple[str, ...] = ()) -> bytes:
    """The changeset of ``sql`` run on a scratch copy of ``source`` (its triggers dropped) after
    ``setup`` (not recorded)."""
    import apsw

    from workbench.storage import changes

    scratch = tmp_path / "scratch.sqlite3"
    shutil.copyfile(source, scratch)
    conn = changes.connect(scratch, device="x", inspector="x")
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        for statement in setup:
            conn.execute(statement)
        session = apsw.Session(conn, "main")
        session.attach()
        for statement in sql:
            conn.execute(statement)
        data = session.changeset()
        session.close()
        return data
    finally:
        conn.close()


def _fresh(manifest: dict) -> dict:
    import uuid

    return {**manifest, "package": uuid.uuid4().hex}


def test_a_damaged_changeset_is_refused(world, laptop, tmp_path):
    pkg = build(tmp_path / "乱码.wbpkg", _fresh(world["manifest"]), {CHANGES: b"\x12\x34garbage" * 100})
    assert_refused(laptop, pkg, tmp_path, "变更数据已损坏")


@pytest.mark.parametrize("sql, words", [
    ("INSERT INTO sync_partner (replica, device, inspector) VALUES ('x', 'y', 'z')", ("sync_partner",)),
    ("INSERT INTO column_mapping (signature, mapping) VALUES ('x', '{}')", ("column_mapping",)),
    ("UPDATE audit_log SET after = '{}' WHERE rowid = (SELECT min(rowid) FROM audit_log)", ("审计日志",)),
    ("DELETE FROM audit_log WHERE rowid = (SELECT max(rowid) FROM audit_log)", ("审计日志",)),
])
def test_a_changeset_writing_where_no_package_may_is_refused(world, laptop, tmp_path, sql, words):
    if "column_mapping" in sql:
        cols = [r[1] for r in __import__("sqlite3").connect(laptop).execute("PRAGMA table_info(column_mapping)")]
        sql = f"INSERT INTO column_mapping ({', '.join(cols)}) VALUES ({', '.join(['0'] * len(cols))})"
    pkg = build(tmp_path / "越界.wbpkg", _fresh(world["manifest"]), {CHANGES: _changeset(laptop, tmp_path, sql)})
    assert_refused(laptop, pkg, tmp_path, *words)


def test_evidence_rows_pointing_outside_the_store_are_refused(world, laptop, tmp_path):
    sha = "a" * 64
    inspection = "ins-1"
    sql = ("INSERT INTO evidence (id, inspection_id, item_code, round, sha256, size, original_name, stored_path,"
           " mime, description, created_at, updated_at, device, inspector) VALUES"
           f" ('ev1', '{inspection}', 'x', 1, '{sha}', 5, 'passwd', '../../../../etc/passwd', 'text/plain', '',"
           " '2026', '2026', 'd', 'i')")
    pkg = build(tmp_path / "证据.wbpkg", _fresh(world["manifest"]), {CHANGES: _changeset(laptop, tmp_path, sql)})
    assert_refused(laptop, pkg, tmp_path, "存储路径无效", "passwd")


def test_an_update_moving_an_evidence_file_outside_the_store_is_refused(world, laptop, tmp_path):
    sha = "c" * 64
    row = ("INSERT INTO evidence (id, inspection_id, item_code, round, sha256, size, original_name, stored_path,"
           " mime, description, created_at, updated_at, device, inspector) VALUES"
           f" ('ev2', 'i', 'x', 1, '{sha}', 5, 'a.png', 'cc/{sha}', 'image/png', '', '2026', '2026', 'd', 'i')")
    cs = _changeset(laptop, tmp_path, "UPDATE evidence SET stored_path = '../../../x' WHERE id = 'ev2'", setup=(row,))
    pkg = build(tmp_path / "改证据.wbpkg", _fresh(world["manifest"]), {CHANGES: cs})
    assert_refused(laptop, pkg, tmp_path, "证据文件不能修改")


def test_rows_whose_parents_do_not_exist_are_refused_and_nothing_is_stored(world, laptop, tmp_path):
    sql = ("INSERT INTO review_field (id, review_id, field, verdict) VALUES"
           " ('rf-orphan', 'no-such-review', 'site_name', 'match')")
    pkg = build(tmp_path / "孤儿.wbpkg", _fresh(world["manifest"]), {CHANGES: _changeset(laptop, tmp_path, sql)})
    before = database_dump(laptop)
    with pytest.raises(PackageRefused, match="缺少其上级记录"):
        import_(laptop, pkg, tmp_path)
    assert database_dump(laptop) == before


def test_an_update_of_a_row_that_does_not_exist_changes_nothing_else(world, laptop, tmp_path):
    """A change to a finding this laptop never had: not created from half a row, not an error
    (it is kept as a conflict for a person to decide)."""
    import sqlite3

    ghost = ("INSERT INTO finding (id, campaign_id, sponsor_id, site_id, review_id, inspection_id,"
             " checklist_item_code, category, description, severity, legal_basis, requirement, term_days,"
             " term_unit, start_on, deadline, status, created_at, updated_at, device, inspector)"
             " SELECT 'ghost', campaign_id, sponsor_id, site_id, review_id, inspection_id, checklist_item_code,"
             " category, description, severity, legal_basis, requirement, term_days, term_unit, start_on,"
             " deadline, status, created_at, updated_at, device, inspector FROM finding LIMIT 1")
    cs = _changeset(laptop, tmp_path, "UPDATE finding SET description = 'x' WHERE id = 'ghost'", setup=(ghost,))
    pkg = build(tmp_path / "无此行.wbpkg", _fresh(world["manifest"]), {CHANGES: cs})
    before = database_dump(laptop)
    result = import_(laptop, pkg, tmp_path)
    assert (result.added, result.updated) == (0, 0)
    conn = sqlite3.connect(laptop)
    try:
        assert conn.execute("SELECT count(*) FROM finding WHERE id = 'ghost'").fetchone()[0] == 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    def findings(dump):
        return [line for line in dump if line.startswith('INSERT INTO "finding"')]

    assert findings(database_dump(laptop)) == findings(before)


# --- the whole package ----------------------------------------------------------------------------


def test_a_package_of_another_campaign_is_refused(world, laptop, tmp_path):
    manifest = _fresh(world["manifest"])
    manifest["campaign"] = {"id": "other-campaign", "name": "别的任务"}
    pkg = build(tmp_path / "别的.wbpkg", manifest, {CHANGES: world["changeset"]})
    assert_refused(laptop, pkg, tmp_path, "别的任务", "未导入")


def test_the_same_package_twice_changes_nothing(world, laptop, tmp_path):
    before = database_dump(laptop)
    again = import_(laptop, world["pkg"], tmp_path)
    assert (again.added, again.updated, again.conflicts) == (0, 0, 0) and again.unchanged > 0
    def stored(dump):    # the import itself is logged and acknowledged; nothing else moves
        return [line for line in dump if not line.startswith(('INSERT INTO "audit_log"', 'INSERT INTO "sync_partner"'))]

    assert stored(database_dump(laptop)) == stored(before)
