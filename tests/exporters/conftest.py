"""Helpers for the exporter tests: read a written workbook back, look at a sheet's raw XML."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook


@pytest.fixture
def read_back():
    """Open a written .xlsx with openpyxl (normal mode, styles available)."""

    def _open(path: Path):
        return load_workbook(path)

    return _open


@pytest.fixture
def sheet_xml():
    """The raw XML of every worksheet part of an .xlsx, concatenated."""

    def _xml(path: Path) -> str:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            return "".join(archive.read(n).decode("utf-8") for n in names)

    return _xml
