"""``workbench gui …`` is parsed by a parser of that command alone (issue 12: the window's
opening), which must read every command line exactly as the full parser does."""

from __future__ import annotations

import pytest

from workbench import cli

WINDOW_LINES = ([], ["gui"], ["gui", "--db", "a.sqlite3"], ["--data-dir", "d", "gui", "--smoke"],
                ["gui", "--sm", "--db", "b", "--inspector", "张三", "--today", "2026-12-03"])
OTHER_LINES = (["gui", "--bogus"], ["gui", "--today", "2026-13-01"], ["gui", "--db"], ["import"],
               ["deadline", "2026-01-05", "10", "--working"], ["gui", "-h"], ["--version"], ["nothing"])


@pytest.mark.parametrize("argv", WINDOW_LINES)
def test_the_window_s_command_line_is_read_as_the_full_parser_reads_it(argv, monkeypatch):
    full = vars(cli.build_parser().parse_args(argv))
    built = []
    real = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda window_only=False: built.append(window_only) or real(window_only))
    assert vars(cli.parse_arguments(argv)) == full
    assert built == [True]   # the full parser was not built


@pytest.mark.parametrize("argv", OTHER_LINES)
def test_any_other_line_gets_the_full_parser_s_answer(argv, capsys):
    def outcome(parse):
        try:
            result = ("args", vars(parse(argv)))
        except SystemExit as stop:
            result = ("exit", stop.code)
        out, err = capsys.readouterr()
        return result, out, err

    assert outcome(cli.parse_arguments) == outcome(lambda a: cli.build_parser().parse_args(a))
