"""argparse's own messages in Chinese (usage, help headings, wrong or missing arguments).

argparse looks its messages up through the module's gettext functions ``argparse._`` and
``argparse.ngettext`` each time it shows one (the documented way to translate it is gettext);
:func:`install` points them at :data:`MESSAGES`. Messages not listed (programming errors in
the parser's definition, never shown to a user) stay as argparse writes them.
"""

from __future__ import annotations

import argparse

# argparse message id (Python 3.11–3.13) -> Chinese, same %-placeholders (unused ones may go).
MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",           # Python before 3.10
    "show this help message and exit": "显示本帮助后退出",
    "show program's version number and exit": "显示版本号后退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 %(value)r 这一项（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "expected one argument": "后面需要一个值",
    "expected at least one argument": "后面至少需要一个值",
    "expected at most one argument": "后面至多一个值",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值",
    "one of the arguments %s is required": "须给出 %s 之一",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "ignored explicit argument %r": "多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有 %(parser_name)r 这个命令（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}
PLURAL_MESSAGES = {"expected %s argument": "后面需要 %s 个值"}


def translate(message: str) -> str:
    """The Chinese text of an argparse message id (the id itself when not listed)."""
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """``ngettext`` for argparse: Chinese has one form."""
    if singular in PLURAL_MESSAGES:
        return PLURAL_MESSAGES[singular]
    return singular if n == 1 else plural


def install() -> None:
    """Make argparse speak Chinese in this process (idempotent)."""
    argparse._ = translate
    argparse.ngettext = translate_plural


# Names shown for positional arguments (usage lines and "缺少必需的参数：…") instead of the
# English ``dest``; arguments with a fixed list of choices keep showing the list.
POSITIONAL_NAMES = {"file": "文件", "out": "输出文件", "outdir": "输出文件夹", "backup": "备份文件",
                    "package": "工作包文件", "target": "对象", "id": "编号", "name": "名称",
                    "start": "起始日期", "days": "天数"}
COMMAND_NAME = "命令"

# Placeholders shown after options that take a value ("--db 数据库文件" instead of "--db DB"),
# by the option's ``dest``; options not listed keep argparse's upper-case dest.
OPTION_NAMES = {
    "data_dir": "文件夹", "db": "数据库文件", "today": "日期", "inspector": "姓名",
    "sites": "个数", "findings": "个数", "campaign": "任务名称", "authority": "机关名称",
    "prefix": "前缀", "sheet": "工作表", "mapping": "JSON文件", "org": "单位名称",
    "contact": "联系人", "phone": "电话", "review_body": "机关名称", "court": "法院名称",
    "notice": "文号", "date": "日期", "entity": "表名", "entity_id": "记录ID", "csv": "CSV文件",
    "to": "交换对象", "start": "日期", "end": "日期", "rename": "新名称", "count": "个数",
    "first": "起号", "last": "末号", "year": "年份", "note": "备注", "template_version": "版本",
}
# Help for options that are the same everywhere and were given none where they are defined.
OPTION_HELP = {
    "json": "以 JSON 输出（供其他程序读取）",
    "campaign": "检查任务名称（数据库中只有一个任务时可省略）",
    "sheet": "要导入的工作表名称（缺省为第一个认出表头的可见工作表）",
    "kind": "任务类型：icp_review 网站备案核查；security_inspection 网络安全检查",
}
# --working / --calendar share one dest, so their help goes by option.
UNIT_HELP = {"--working": "按工作日计算（跳过周末和法定节假日）", "--calendar": "按自然日计算"}


def name_arguments(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` and its sub-commands' arguments Chinese names (metavar) and fill the
    help of common options left without one (:data:`OPTION_NAMES`, :data:`OPTION_HELP`)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            action.metavar = action.metavar or COMMAND_NAME
            for sub in dict.fromkeys(action.choices.values()):
                name_arguments(sub)
        elif not action.option_strings:
            if action.metavar is None and action.choices is None:
                action.metavar = POSITIONAL_NAMES.get(action.dest)
        else:
            if action.metavar is None and action.nargs != 0 and action.choices is None:
                action.metavar = OPTION_NAMES.get(action.dest)
            if action.help is None:
                action.help = UNIT_HELP.get(action.option_strings[-1]) or OPTION_HELP.get(action.dest)
