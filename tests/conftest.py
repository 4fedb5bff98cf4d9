"""Shared test setup: offscreen Qt, a fresh migrated database per test, the shared samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


def pytest_configure(config):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def conn(tmp_path):
    """A freshly migrated database file under tmp_path, closed after the test."""
    from workbench.storage.database import open_database

    c = open_database(tmp_path / "test.sqlite3")
    yield c
    c.close()


@pytest.fixture
def samples() -> Path:
    """The shared sample folder; tests that need it are skipped where it is absent."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples not present")
    return SAMPLES
