"""The command line: the same use cases as the window, for scripts, batch work and checking."""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from datetime import date

from workbench import __version__, cli_messages
from workbench.errors import WorkbenchError, os_reason
from workbench.services.context import describe_database_error

log = logging.getLogger(__name__)


def _count(text: str) -> int:
    """A count of 1 to 1,000,000 (the scale demo); argparse type."""
    try:
        value = int(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"应为整数：{text}") from err
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"应在 1 到 1000000 之间：{text}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"应为整数：{text}") from err
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"应在 1 到 1000 之间：{text}")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        if len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isascii():
            raise argparse.ArgumentTypeError(f"没有这一天：{text}") from err      # 2026-02-30
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from err


# The days "--today" may stand for: every date the workbench computes from it (deadlines, the
# demo's history five weeks back, document years) stays far inside what dates can hold.
TODAY_RANGE = (date(2000, 1, 1), date(2099, 12, 31))


def _today(text: str) -> date:
    day = _day(text)
    if not TODAY_RANGE[0] <= day <= TODAY_RANGE[1]:
        raise argparse.ArgumentTypeError(
            f"“今天”应在 {TODAY_RANGE[0].isoformat()} 到 {TODAY_RANGE[1].isoformat()} 之间：{text}")
    return day


class _Parser(argparse.ArgumentParser):
    """argparse with one-line Chinese errors (exit code 2) instead of a usage block, and each
    option's help on the line below it (argparse pads by characters, so a Chinese placeholder
    would push the help column out of line)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", lambda prog: argparse.HelpFormatter(prog, max_help_position=6))
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        self.exit(2, f"错误：命令参数有误（{message}）；用 “{self.prog} -h” 查看用法\n")


INSPECTOR_HELP = "检查人员姓名，记入所写的每条记录（缺省为设置中的姓名；都没有时拒绝写入）"


class _NotTheWindow(Exception):
    """The command line is not one the window's own parser reads (:func:`parse_arguments`)."""


class _WindowParser(_Parser):
    """The parser of ``workbench [gui …]`` alone: any error means "ask the full parser"."""

    def error(self, message: str):
        raise _NotTheWindow(message)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """``argv`` parsed. ``workbench gui …`` (and no command: the window) is read by a parser of that
    command alone, as the full one would read it; anything else, help, --version and every error
    by the full parser (its messages and exits). Building the full parser, every sub-command with
    its options, took ~5 ms of each window opening (issue 12)."""
    words = sys.argv[1:] if argv is None else argv
    if not {"-h", "--help", "--version"} & set(words):
        try:
            return build_parser(window_only=True).parse_args(words)
        except _NotTheWindow:
            pass
    return build_parser().parse_args(words)


def build_parser(window_only: bool = False) -> argparse.ArgumentParser:
    """The argument parser with every sub-command (``window_only``: the ``gui`` command alone,
    raising instead of exiting on any error; see :func:`parse_arguments`)."""
    cli_messages.install()   # argparse's own words (用法、选项、缺少参数…) in Chinese
    kind = _WindowParser if window_only else _Parser
    p = kind(prog="workbench", description="检查工作台：网站备案核查与网络安全检查")
    p.add_argument("--version", action="version", version=f"workbench {__version__}",
                   help=cli_messages.translate("show program's version number and exit"))
    p.add_argument("--data-dir", help="把数据库、设置和日志都放在此文件夹（便携模式）")
    sub = p.add_subparsers(dest="command", parser_class=kind)

    def cmd(name: str, help_: str, db_required: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("--db", required=db_required, help="数据库文件路径")
        sp.add_argument("--today", type=_today, help="以此日期为“今天”（YYYY-MM-DD）")
        sp.add_argument("--inspector", help=INSPECTOR_HELP)
        return sp

    sp = cmd("gui", "打开窗口", db_required=False)
    sp.add_argument("--smoke", action="store_true",
                    help="自动走查每个界面并计时，输出一行 JSON 后退出（可在无显示器时运行）")
    if window_only:
        return p
    sp = cmd("demo", "生成演示数据库（不打开窗口）")
    sp.add_argument("--sites", type=_count, default=48,
                    help="演示网站数（1–1000 走导入流程；更多或给出 --findings 时批量写入规模演示数据）")
    sp.add_argument("--findings", type=_count, help="规模演示：已核查并登记问题的网站数")
    sp = cmd("import", "导入网站名单（.xlsx/.xls/.ods/.csv）")
    sp.add_argument("file")
    sp.add_argument("--campaign", help="检查任务名称（不存在则新建；缺省为文件名）")
    sp.add_argument("--authority", default="", help="新建检查任务时的检查机关")
    sp.add_argument("--prefix", default="", help="新建检查任务时的文号前缀，如 鲁网信整改")
    sp.add_argument("--sheet")
    sp.add_argument("--mapping", help="列对应关系 JSON 文件：{列序号(从0起): 字段名}")
    sp.add_argument("--reread", action="store_true",
                    help="重新读取名单，即使它与此检查任务上次导入的名单相同、数据也未改动")
    sp.add_argument("--json", action="store_true")
    sp = cmd("sites", "列出已导入的网站")
    sp.add_argument("--campaign")
    sp.add_argument("--json", action="store_true")
    sp = cmd("export", "导出汇总表 / 整改台账（.xlsx）或汇总报告（.pdf）")
    sp.add_argument("what", choices=["summary", "ledger", "report"],
                    help="summary 汇总表；ledger 整改台账；report 汇总报告 PDF")
    sp.add_argument("out")
    sp.add_argument("--campaign")
    sp.add_argument("--include-personal-data", action="store_true",
                    help="完整导出联系人、电话、证件号码、电子邮箱（默认脱敏）")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sp = cmd("notice", "生成一个单位的整改通知书 PDF")
    sp.add_argument("out")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sp.add_argument("--org", required=True, help="主办单位名称")
    sp.add_argument("--campaign")
    _notice_settings(sp)
    sp = cmd("notices", "为有待整改问题的每个单位生成整改通知书")
    sp.add_argument("outdir")
    sp.add_argument("--campaign")
    _notice_settings(sp)
    sp = cmd("receipt", "生成送达回证 PDF")
    sp.add_argument("out")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sp.add_argument("--notice", required=True, help="整改通知书文号")
    sp = cmd("opinion", "生成整改复查意见书 PDF")
    sp.add_argument("out")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sp.add_argument("--notice", required=True, help="所复查的整改通知书文号")
    sp.add_argument("--date", type=_day, help="复查日期（缺省为今天）")
    sp = cmd("findings", "问题台账")
    sp.add_argument("--campaign")
    sp.add_argument("--overdue", action="store_true", help="只列出逾期问题")
    sp.add_argument("--json", action="store_true")
    sp = cmd("check", "检查数据库：完整性、引用、证据文件哈希、审计日志哈希链（发现问题时退出码为 3）")
    sp.add_argument("--json", action="store_true")
    sp = cmd("backup", "把数据库备份到一个文件（在线备份并校验）")
    sp.add_argument("out")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sp = cmd("restore", "用备份文件替换数据库（先校验备份，并先备份当前数据库）")
    sp.add_argument("backup")
    sp.add_argument("--force", action="store_true", help="备份来自另一个数据库（另一台电脑）时也替换")
    sp = cmd("audit", "审计日志：查看或导出（CSV）")
    sp.add_argument("--entity", help="只看某类记录（表名，如 finding、review）")
    sp.add_argument("--id", dest="entity_id", help="只看涉及此记录 ID 的条目")
    sp.add_argument("--csv", help="导出到此 CSV 文件")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sp.add_argument("--json", action="store_true")
    sp = sub.add_parser("package", help="工作包：导出本机的工作、导入其他电脑的工作")
    pk = sp.add_subparsers(dest="package_command", required=True)
    c = pk.add_parser("export", help="导出自上次与对方交换以来的变更")
    c.add_argument("out", help="工作包文件（.wbpkg）")
    c.add_argument("--db", required=True, help="数据库文件路径")
    c.add_argument("--campaign", help="检查任务名称（数据库中只有一个任务时可省略）")
    c.add_argument("--to", help="交换对象（设备名或编号；缺省为全部工作，用于分发任务）")
    c.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    c.add_argument("--inspector", help=INSPECTOR_HELP)
    c = pk.add_parser("import", help="导入工作包并合并（冲突留待人工裁决）")
    c.add_argument("package", help="工作包文件（.wbpkg）")
    c.add_argument("--db", required=True, help="数据库文件路径")
    c.add_argument("--inspector", help=INSPECTOR_HELP)
    c.add_argument("--json", action="store_true")
    sp = cmd("conflicts", "合并冲突：列出待裁决的冲突，或裁决一条")
    sp.add_argument("--decide", metavar="冲突编号", help="要裁决的冲突编号（列表中的前 8 位即可）")
    sp.add_argument("--take", type=int, choices=[1, 2, 3], help="采用第几个候选值")
    sp.add_argument("--json", action="store_true")
    from workbench import cli_removal

    def common(c: argparse.ArgumentParser) -> None:
        c.add_argument("--db", required=True, help="数据库文件路径")
        c.add_argument("--today", type=_today, help=argparse.SUPPRESS)
        c.add_argument("--inspector", help=INSPECTOR_HELP)

    cli_removal.add_parsers(sub, common)
    sp = sub.add_parser("campaign", help="检查任务：列出、新建、修改")
    cp = sp.add_subparsers(dest="campaign_command", required=True)
    for name, help_ in (("list", "列出检查任务"), ("create", "新建检查任务"), ("set", "修改检查任务")):
        c = cp.add_parser(name, help=help_)
        c.add_argument("--db", required=True, help="数据库文件路径")
        c.add_argument("--today", type=_today, help=argparse.SUPPRESS)
        c.add_argument("--inspector", help=INSPECTOR_HELP)
        if name == "list":
            c.add_argument("--json", action="store_true")
            continue
        c.add_argument("name", help="检查任务名称")
        c.add_argument("--authority", help="检查机关")
        c.add_argument("--prefix", help="文号前缀，如 鲁网信整改")
        c.add_argument("--start", type=_day, help="检查期间开始（YYYY-MM-DD）")
        c.add_argument("--end", type=_day, help="检查期间结束（YYYY-MM-DD）")
        if name == "create":
            c.add_argument("--kind", choices=["icp_review", "security_inspection"], default="icp_review")
        else:
            c.add_argument("--rename", help="新名称")
    _numbers_parser(sub)
    sp = sub.add_parser("checklist", help="检查表模板")
    cl = sp.add_subparsers(dest="checklist_command", required=True)
    for name, help_ in (("list", "列出检查表模板"), ("import", "从 Excel 导入检查表模板"), ("export", "导出检查表模板到 Excel")):
        c = cl.add_parser(name, help=help_)
        c.add_argument("--db", required=True, help="数据库文件路径")
        c.add_argument("--today", type=_today, help=argparse.SUPPRESS)
        c.add_argument("--inspector", help=INSPECTOR_HELP)
        if name == "list":
            c.add_argument("--json", action="store_true")
            c.add_argument("--all", action="store_true", help="列出所有版本")
        elif name == "import":
            c.add_argument("file")
            c.add_argument("--new-version", action="store_true", help="同一版本号内容不同时另存为新版本")
        else:
            c.add_argument("id", help="模板编号（如 website_security）或模板记录 ID")
            c.add_argument("out")
            c.add_argument("--version", dest="template_version", help="模板版本（缺省为最新）")
            c.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sp = sub.add_parser("deadline", help="计算整改期限")
    sp.add_argument("start", type=_day)
    sp.add_argument("days", type=int)
    unit = sp.add_mutually_exclusive_group(required=True)
    unit.add_argument("--working", action="store_const", const="working", dest="unit")
    unit.add_argument("--calendar", action="store_const", const="calendar", dest="unit")
    cli_messages.name_arguments(p)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 2 bad input, 1 unexpected error)."""
    # Run as the shipped bundle does, which leaves numpy out (packaging/workbench.spec): sqlite-utils,
    # openpyxl and pypdfium2 use it only when present, and loading it costs 0.1–0.2 s of every
    # window opening and import where a Python has it (scipy brings it). The one place this is set.
    sys.modules.setdefault("numpy", None)
    args = parse_arguments(argv)
    from workbench.paths import AppPaths

    paths = AppPaths.for_user(args.data_dir)
    try:
        from workbench.app import configure_logging

        configure_logging(paths)
    except OSError as err:
        print(f"警告：无法写入日志文件夹 {paths.log_dir}：{err}", file=sys.stderr)
    try:
        from workbench import cli_commands

        return cli_commands.run(args, paths)
    except WorkbenchError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        return 0
    except sqlite3.Error as err:   # locked, read-only, disk full, damaged file
        log.exception("database error")
        print(f"错误：{describe_database_error(err, getattr(args, 'db', None))}", file=sys.stderr)
        return 2
    except OSError as err:
        log.exception("file error")
        where = f" {err.filename}" if err.filename else ""
        print(f"错误：无法读写文件{where}：{os_reason(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as err:  # the last line of defence: the user gets one line, the log the traceback
        log.exception("unexpected error")
        print(f"意外错误：{type(err).__name__}: {err}（详情见日志 {paths.log_dir}）", file=sys.stderr)
        return 1


def emit_json(obj) -> None:
    """Print one JSON object (UTF-8, Chinese kept readable)."""
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    raise SystemExit(main())


def _notice_settings(sp) -> None:
    """Options that stand in, for this run, for settings a notice must print (issue 10)."""
    sp.add_argument("--contact", help="联系人（缺省取“设置”）")
    sp.add_argument("--phone", help="联系电话（缺省取“设置”）")
    sp.add_argument("--review-body", help="行政复议机关，如 某市人民政府（缺省取“设置”）")
    sp.add_argument("--court", help="行政诉讼的人民法院（缺省取“设置”）")


def _numbers_parser(sub) -> None:
    """``workbench numbers assign|list``: blocks of 文号 handed to the laptops (issue 13)."""
    sp = sub.add_parser("numbers", help="文号段：负责人把文号分段分给各台电脑；查看文号段和作废的文号")
    nb = sp.add_subparsers(dest="numbers_command", required=True)
    for name, help_ in (("assign", "把一段文号分给一台电脑（随下一个工作包送达）"),
                        ("list", "列出文号段的使用情况和作废的文号（谁、何时、为何）")):
        c = nb.add_parser(name, help=help_)
        c.add_argument("--db", required=True, help="数据库文件路径")
        c.add_argument("--today", type=_today, help=argparse.SUPPRESS)
        c.add_argument("--inspector", help=INSPECTOR_HELP)
        c.add_argument("--campaign", help="检查任务名称（只有一个任务时可省略）")
        if name == "list":
            c.add_argument("--json", action="store_true")
            continue
        c.add_argument("--to", required=True, help="分给哪台电脑：本机，或导入过其工作包的电脑的设备名、检查人员或编号")
        c.add_argument("--count", type=_count, help="文号个数（从下一个空闲文号起）")
        c.add_argument("--first", type=_count, help="起号（缺省为下一个空闲文号）")
        c.add_argument("--last", type=_count, help="末号")
        c.add_argument("--year", type=int, help="年份（缺省为今年）")
        c.add_argument("--prefix", help="文号前缀（缺省为检查任务的前缀；复查意见书如 鲁网信复查）")
        c.add_argument("--note", default="", help="备注")
