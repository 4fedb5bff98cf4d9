"""The shared output-path check: never the database, never an existing file without --force."""

from __future__ import annotations

import os

import pytest

from workbench.errors import ValidationError
from workbench.services.output_paths import check_output_path


def test_new_file_passes(tmp_path):
    assert check_output_path(tmp_path / "汇总.xlsx", db_path=tmp_path / "db.sqlite3") == tmp_path / "汇总.xlsx"


def test_existing_file_needs_force(tmp_path):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(ValidationError, match="文件已存在.*--force"):
        check_output_path(out, db_path=None)
    assert check_output_path(out, db_path=None, force=True) == out


@pytest.mark.parametrize("extra", ["", "-wal", "-journal"])
def test_database_and_its_companions_are_refused_even_with_force(tmp_path, extra):
    db = tmp_path / "work.xlsx"
    db.write_bytes(b"db")
    target = tmp_path / f"work.xlsx{extra}"
    with pytest.raises(ValidationError, match="数据库文件"):
        check_output_path(target, db_path=db, force=True)


def test_database_reached_through_another_spelling_or_link(tmp_path):
    db = tmp_path / "a.xlsx"
    db.write_bytes(b"db")
    (tmp_path / "sub").mkdir()
    with pytest.raises(ValidationError, match="数据库文件"):
        check_output_path(tmp_path / "sub" / ".." / "a.xlsx", db_path=db, force=True)
    link = tmp_path / "link.xlsx"
    os.symlink(db, link)
    with pytest.raises(ValidationError, match="数据库文件"):
        check_output_path(link, db_path=db, force=True)


def test_folder_and_wrong_suffix(tmp_path):
    with pytest.raises(ValidationError, match="文件夹"):
        check_output_path(tmp_path, db_path=None, force=True)
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        check_output_path(tmp_path / "x.pdf", db_path=None, suffix=".xlsx")
