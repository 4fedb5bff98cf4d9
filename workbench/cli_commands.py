"""The body of each command-line sub-command (argument parsing lives in cli.py)."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from pathlib import Path

from workbench.errors import InputFileError, NotFoundError, ValidationError
from workbench.paths import AppPaths
from workbench.services.context import Context

EXCEL_MAX_COLUMNS = 16384  # XFD, the last column of an Excel sheet
# Commands that may create the database file; every other command needs an existing one.
_CREATES_DB = {"demo", "import", "checklist", "campaign"}


#: The modules without Qt that the window's opening uses (its first screen's reads, the session,
#: the integrity check, the menus' services), with what they import.
WINDOW_SERVICES = ("workbench.app", "workbench.services.audit_labels", "workbench.services.campaigns",
                   "workbench.services.conflicts", "workbench.services.integrity", "workbench.services.sites",
                   "workbench.services.summary", "workbench.services.thread_guard")


def import_window_services() -> None:
    """Import :data:`WINDOW_SERVICES` before PySide6: PySide6's import hook reads the source of
    every module imported after it, to see whether it uses Qt (``inspect.getsource``; 15–25 ms of
    the window's opening for these modules and the standard-library ones they bring, issue 12)."""
    import importlib

    for name in WINDOW_SERVICES:
        importlib.import_module(name)


def run(args: Namespace, paths: AppPaths) -> int:
    """Dispatch ``args.command``; returns the exit code."""
    if args.command == "deadline":
        return _deadline(args)
    if args.command in (None, "gui"):
        import_window_services()
        from workbench.gui.application import run_gui

        return run_gui(paths, Path(args.db) if getattr(args, "db", None) else paths.default_database,
                       smoke=getattr(args, "smoke", False), inspector=getattr(args, "inspector", None))
    if args.command in _FILE_COMMANDS:
        from workbench import cli_integrity

        return _FILE_COMMANDS[args.command](cli_integrity, args, paths)
    from workbench.app import open_context

    if args.command not in _CREATES_DB and not Path(args.db).is_file():
        raise NotFoundError(f"找不到数据库文件 {args.db}（请检查路径；新建数据库请先用 import 或 demo 命令）")
    announce_upgrade(Path(args.db))
    ctx = open_context(args.db, paths, today=args.today, inspector=getattr(args, "inspector", None))
    if ctx.settings.load_problem:
        print(f"警告：{ctx.settings.load_problem}", file=sys.stderr)
    try:
        return _COMMANDS[args.command](ctx, args)
    finally:
        ctx.conn.close()


def announce_upgrade(db: Path) -> None:
    """Say on stderr, before opening ``db``, that an older schema is about to be backed up and
    upgraded: on a province-sized file that takes tens of seconds with nothing else printed."""
    from workbench.services import schema_upgrade

    step = schema_upgrade.pending(db)
    if step is not None:
        print(f"数据库 {db} 由较早的版本创建，正在备份并升级（结构版本 {step.have} → {step.latest}，"
              f"{step.megabytes:,.0f} MB），请稍候…", file=sys.stderr, flush=True)


def _font_notes(ctx: Context) -> None:
    """Say once, after a document command, which roles a stand-in font served (stderr)."""
    from workbench.services import document_settings

    for note in document_settings.stand_in_notes(ctx):
        print(f"字体提示：{note}", file=sys.stderr)


def _campaign_id(ctx: Context, name: str | None) -> str:
    from workbench.services import campaigns

    if name:
        return campaigns.get_campaign(ctx, name).id
    existing = campaigns.list_campaigns(ctx)
    if not existing:
        raise NotFoundError("数据库中还没有检查任务，请先导入名单或新建检查任务")
    if len(existing) > 1:
        names = "、".join(f"“{c.name}”" for c in existing)
        raise ValidationError(f"数据库中有多个检查任务，请用 --campaign 指定其中之一：{names}")
    return existing[0].id


def _deadline(args) -> int:
    from workbench.domain.calendar import WorkCalendar
    from workbench.domain.deadline import compute_deadline
    from workbench.paths import resources_dir

    calendar = WorkCalendar.load(bundled_dir=resources_dir() / "holidays")
    result = compute_deadline(args.start, args.days, args.unit, calendar)
    for warning in result.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    print(result.date.isoformat())
    return 0


def _demo(ctx: Context, args) -> int:
    from workbench.services.demo import build_demo

    if args.findings is not None or args.sites > 1000:
        from workbench.services.demo_scale import build_scale_demo

        made = build_scale_demo(ctx, sites=args.sites, findings=min(args.findings or 0, args.sites))
        print(f"规模演示数据已生成：{args.db}（网站 {made.sites} 个，问题 {made.findings} 个）")
        return 0
    from workbench.services import campaigns
    from workbench.services.demo import DEMO_CAMPAIGN

    existed = any(c.name == DEMO_CAMPAIGN for c in campaigns.list_campaigns(ctx))
    made = build_demo(ctx, sites=args.sites)
    said = "演示数据已存在，未作改动" if existed else "演示数据已生成"    # a second run changes nothing
    print(f"{said}：{args.db}（网站 {made.sites} 个，已核查 {made.reviews} 个，"
          f"问题 {made.findings} 个，整改通知书 {len(made.notices)} 份）")
    return 0


def _load_mapping(path: str | None) -> dict[int, str] | None:
    if not path:
        return None
    from workbench.errors import os_reason

    example = '如 {"7": "site_filing_no"}'
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise InputFileError(f"无法读取列对应关系文件：{os_reason(err)}", path=path) from err
    except ValueError as err:
        raise InputFileError(f"列对应关系文件不是有效的 JSON（{err}）；应为 JSON 对象，{example}", path=path) from err
    if not isinstance(raw, dict):
        raise InputFileError(f"列对应关系文件应为 JSON 对象，{example}", path=path)
    try:
        mapping = {int(k): str(v) for k, v in raw.items()}
    except ValueError as err:
        bad = next(k for k in raw if not k.strip().lstrip("-").isdigit())
        raise InputFileError(f"列序号应为从 0 起的整数，而不是“{bad}”；{example}", path=path) from err
    bad = [k for k in mapping if not 0 <= k < EXCEL_MAX_COLUMNS]
    if bad:
        raise InputFileError(f"列序号应在 0 到 {EXCEL_MAX_COLUMNS - 1} 之间：{bad[0]}", path=path)
    return mapping


def _import(ctx: Context, args) -> int:
    from workbench.services import import_shortcut, site_import

    campaign, report = site_import.import_into_campaign(
        ctx, args.campaign or Path(args.file).stem, args.file, authority=args.authority,
        doc_prefix=args.prefix, sheet=args.sheet, mapping=_load_mapping(args.mapping), shortcut=not args.reread,
    )
    if args.json:
        from workbench.cli import emit_json

        emit_json({"campaign": campaign.name, "import_run": report.run_id, **report.summary})
        return 0
    s = report.summary
    print(f"已导入到检查任务“{campaign.name}”：表头在第 {s['header_row']} 行，数据 {s['data_rows']} 行，"
          f"网站 {s['sites']} 个，域名 {s['domains']} 个；重复行 {s['duplicate_rows']}，冲突行 "
          f"{s['conflict_rows']}，拒收行 {s['rejected_rows']}；新增 {s['added']}，变更 {s['changed']}，"
          f"未变 {s['unchanged']}，本次缺少 {s['missing']}。")
    if not report.reread:
        print(import_shortcut.UNCHANGED_NOTE + "（如需重新读取：--reread）")
    print(f"导入批次编号 {report.run_id[:8]}（导错了可撤销：workbench remove import {report.run_id[:8]} --db {args.db}）")
    for p in report.problems:
        level = "错误" if p.severity == "error" else "警告"
        where = f"第 {p.row} 行" if p.row is not None else "全文件"
        print(f"  {where} {p.column or '整行'}：[{level}] {p.message}")
    return 0


def _sites(ctx: Context, args) -> int:
    from workbench.cli import emit_json
    from workbench.services import sites

    listing = sites.export_sites(ctx, _campaign_id(ctx, args.campaign))
    if args.json:
        emit_json(listing)
    else:
        for s in listing:
            print(f"{s['site_filing_no']}\t{s['sponsor_name']}\t{'; '.join(s['domains'])}")
    return 0


def _export(ctx: Context, args) -> int:
    from workbench.services import ledger, report, summary
    from workbench.services.output_paths import check_output_path

    writer, label, suffix = {
        "summary": (summary.export_summary, "汇总表", ".xlsx"),
        "ledger": (ledger.export_ledger, "整改台账", ".xlsx"),
        "report": (report.export_report, "汇总报告", ".pdf"),
    }[args.what]
    out = check_output_path(args.out, db_path=args.db, force=args.force, suffix=suffix)
    campaign_id = _campaign_id(ctx, args.campaign)
    written = writer(ctx, campaign_id, out, include_personal_data=args.include_personal_data)
    masked = "（含完整个人信息）" if args.include_personal_data else "（个人信息已脱敏）"
    print(f"已导出{label}{masked}：{written}")
    return 0


def _notice_settings(ctx: Context, args) -> None:
    """--contact/--phone/--review-body/--court override the settings for this run."""
    for option, name in (("contact", "contact"), ("phone", "contact_phone"),
                         ("review_body", "review_body"), ("court", "court")):
        value = getattr(args, option, None)
        if value:
            setattr(ctx.settings, name, value.strip())


def _notice(ctx: Context, args) -> int:
    from workbench.services import notices, sponsors

    _notice_settings(ctx, args)
    campaign_id = _campaign_id(ctx, args.campaign) if args.campaign else None
    sponsor = sponsors.find_by_name(ctx, args.org, campaign_id)
    issued = notices.write_notice(ctx, sponsor.id, Path(args.out), force=args.force)
    verb = "重新打印" if issued.reprint else "已生成"
    print(f"{verb}整改通知书 {issued.record.doc_number}：{args.out}")
    _font_notes(ctx)
    return 0


def _notices(ctx: Context, args) -> int:
    from workbench.services import notices

    _notice_settings(ctx, args)
    written = notices.write_notices(ctx, _campaign_id(ctx, args.campaign), Path(args.outdir))
    for path in written:
        print(path)
    print(f"共生成 {len(written)} 份整改通知书")
    _font_notes(ctx)
    return 0


def _receipt(ctx: Context, args) -> int:
    from workbench.services import notices

    record = notices.write_receipt(ctx, args.notice, Path(args.out), force=args.force)
    print(f"已生成送达回证（{record.doc_number}）：{args.out}")
    _font_notes(ctx)
    return 0


def _opinion(ctx: Context, args) -> int:
    from workbench.services import reinspection

    issued = reinspection.write_opinion(ctx, args.notice, Path(args.out), args.date, force=args.force)
    verb = "重新打印" if issued.reprint else "已生成"
    print(f"{verb}整改复查意见书 {issued.record.doc_number}：{args.out}")
    _font_notes(ctx)
    return 0


def _findings(ctx: Context, args) -> int:
    from workbench.cli import emit_json
    from workbench.services import findings

    today = ctx.today()
    views = findings.ledger(ctx, _campaign_id(ctx, args.campaign), overdue_on=today if args.overdue else None)
    rows = [findings.as_json(v, today) for v in views]
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            print(f"{r['deadline']}\t{r['status_label']}\t{r['sponsor_name']}\t{r['category']}")
    return 0


def _campaign(ctx: Context, args) -> int:
    from workbench.cli import emit_json
    from workbench.services import campaigns

    if args.campaign_command == "list":
        listing = campaigns.list_campaigns(ctx)
        if args.json:
            emit_json([{"id": c.id, "name": c.name, "kind": c.kind, "authority": c.authority,
                        "doc_prefix": c.doc_prefix, "period_start": c.period_start,
                        "period_end": c.period_end} for c in listing])
            return 0
        for c in listing:
            print(f"{c.name}\t{c.kind_label}\t检查机关：{c.authority or '—'}\t文号前缀：{c.doc_prefix or '（未设置）'}")
        return 0
    if args.campaign_command == "create":
        c = campaigns.create_campaign(ctx, args.name, args.kind, args.authority or "", args.prefix or "",
                                      args.start, args.end)
        print(f"已新建检查任务“{c.name}”")
        return 0
    changes = {k: v for k, v in (("name", args.rename), ("authority", args.authority),
                                 ("doc_prefix", args.prefix), ("period_start", args.start),
                                 ("period_end", args.end)) if v is not None}
    c = campaigns.update_campaign(ctx, campaigns.get_campaign(ctx, args.name).id, **changes)
    print(f"已修改检查任务“{c.name}”：检查机关 {c.authority or '—'}，文号前缀 {c.doc_prefix or '（未设置）'}")
    return 0


def _checklist(ctx: Context, args) -> int:
    from workbench.cli import emit_json
    from workbench.services import checklist_templates

    if args.checklist_command == "import":
        record = checklist_templates.import_template(ctx, args.file, new_version=args.new_version)
        print(f"已导入检查表“{record.title}”（{record.code} 版本 {record.version}，{record.item_count} 项）")
        return 0
    if args.checklist_command == "export":
        from workbench.services.output_paths import check_output

        record = checklist_templates.find_template(ctx, args.id, args.template_version)
        check_output(ctx, args.out, force=args.force)
        checklist_templates.export_template(ctx, record.id, args.out)
        print(f"已导出检查表 {record.code} 版本 {record.version}：{args.out}")
        return 0
    listing = checklist_templates.describe_templates(ctx, latest_only=not args.all)
    if args.json:
        emit_json(listing)
    else:
        for t in listing:
            print(f"{t['id']}\t{t['version']}\t{t['item_count']} 项\t{t['title']}")
    return 0


def _numbers(ctx: Context, args: Namespace) -> int:
    """``workbench numbers assign --to LAPTOP --count N`` / ``workbench numbers list``."""
    from workbench.domain.number_block import laptop_label
    from workbench.services import notices, number_blocks

    campaign_id = _campaign_id(ctx, args.campaign)
    if args.numbers_command == "assign":
        block = number_blocks.assign(ctx, campaign_id, args.to, count=args.count, first=args.first, last=args.last,
                                     year=args.year, prefix=args.prefix, note=args.note)
        mine = block.holder_replica == block.assigned_by_replica
        print(f"已把文号段 {block.label}（{block.size} 个）分给 {block.holder_label}；"
              + ("本机现在即可使用" if mine else "随下一个发给该电脑的工作包送达（workbench package export … --to 该电脑）"))
        return 0
    blocks = number_blocks.list_blocks(ctx, campaign_id)
    voided = [e for e in notices.number_ledger(ctx, campaign_id) if e.status == "void"]
    if args.json:
        from dataclasses import asdict

        from workbench.cli import emit_json

        emit_json({"blocks": [{**asdict(u.block), **{k: v for k, v in asdict(u).items() if k != "block"}}
                              for u in blocks],
                   "void": [asdict(e) for e in voided]})
        return 0
    if not blocks:
        print("此检查任务没有分配文号段（本机按顺序自行编号）")
    for u in blocks:
        state = f"下一个 {u.next}号" if u.next else "已用完"
        holder = laptop_label(u.block.holder_device, u.block.holder_inspector, u.block.holder_replica, this_one=u.mine)
        print(f"{u.block.label}\t{holder}\t已签发 {u.issued}，"
              f"作废 {u.void}，预留 {u.reserved}，剩 {u.free}（{state}）\t{u.block.lead_label} 分配于 {u.block.assigned_at[:10]}")
    for e in voided:
        print(f"作废：{e.doc_number}\t{e.inspector or e.device}，{e.updated_at[:16]}\t{e.reason}")
    return 0


# Commands that work on the database file itself (may be damaged or of an older schema).
_FILE_COMMANDS = {
    "check": lambda m, a, p: m.check(a, p), "backup": lambda m, a, p: m.backup(a, p),
    "restore": lambda m, a, p: m.restore(a, p), "audit": lambda m, a, p: m.audit_log(a, p),
    "package": lambda m, a, p: m.package(a, p),
    "conflicts": lambda m, a, p: m.conflicts_cmd(a, p),
}
_COMMANDS = {
    "demo": _demo, "import": _import, "sites": _sites, "export": _export, "notice": _notice,
    "notices": _notices, "receipt": _receipt, "opinion": _opinion, "findings": _findings, "checklist": _checklist, "campaign": _campaign,
    "numbers": _numbers,
    "remove": lambda ctx, a: _removal().remove(ctx, a), "trash": lambda ctx, a: _removal().trash(ctx, a),
}


def _removal():
    from workbench import cli_removal

    return cli_removal


