"""Running the command line inside a test, with user folders under the test's tmp_path."""

from __future__ import annotations

from workbench.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    """``workbench ARGV…`` in this process: (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def named_data_dir(tmp_path, monkeypatch) -> None:
    """User folders under ``tmp_path/data``, with the inspector's name and unit set as the
    window's 设置 would (writing commands refuse to write without a name)."""
    from workbench.app import settings_path
    from workbench.paths import AppPaths
    from workbench.settings import Settings

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    Settings(inspector="测试检查员", unit="某市互联网信息办公室").save(settings_path(AppPaths.for_user(tmp_path / "data")))
