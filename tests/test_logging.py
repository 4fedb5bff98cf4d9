"""The log: in the data folder, rotating, holding the traceback of an unexpected error."""

from __future__ import annotations

import logging

from workbench import app
from workbench.paths import AppPaths


def test_log_lives_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBENCH_DATA_DIR", raising=False)
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(tmp_path / "data"))
    paths = AppPaths.for_user()
    assert paths.log_file == tmp_path / "data" / "logs" / "workbench.log"


def test_log_rotates_and_keeps_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(app, "LOG_BYTES", 2000)
    paths = AppPaths.for_user(tmp_path)
    root = logging.getLogger()
    try:
        log_file = app.configure_logging(paths)
        try:
            {}["键"]
        except KeyError:
            logging.getLogger("test").exception("unexpected error")
        for i in range(100):
            logging.getLogger("test").info("line %d %s", i, "x" * 40)
    finally:
        for handler in [h for h in root.handlers if getattr(h, "_workbench_log", False)]:
            root.removeHandler(handler)
            handler.close()
    assert log_file == tmp_path / "logs" / "workbench.log"
    rotated = sorted((tmp_path / "logs").glob("workbench.log.*"))
    assert 1 <= len(rotated) <= app.LOG_BACKUPS
    everything = "".join(p.read_text(encoding="utf-8") for p in [log_file, *rotated])
    assert "Traceback" in everything and "KeyError" in everything
