"""A small tmpfs to stand for a USB stick: write-protected, or full (root only, as in CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


class Medium:
    """A tmpfs of ``size`` mounted at ``path``; ``protect()`` makes it read-only (a USB stick's
    write-protect switch), ``fill(leave)`` leaves only ``leave`` bytes free."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def mount(cls, path: Path, size: str) -> Medium:
        """Mount it, or skip the test where that is not allowed."""
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("mounting a tmpfs needs root")
        path.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        return cls(path)

    def protect(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def fill(self, leave: int) -> None:
        free = shutil.disk_usage(self.path).free
        (self.path / "filler").write_bytes(b"\0" * max(0, free - leave))

    def remove(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=False)
