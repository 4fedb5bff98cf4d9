"""``workbench remove campaign|inspection|evidence|import`` and ``workbench trash list|restore``.

The command line asks no confirmation: it prints what went (the same sentence the window's
confirmation shows) and how to undo it. Without a target, ``remove`` lists what can be removed
and exits with code 2.
"""

from __future__ import annotations

from argparse import Namespace

from workbench.errors import NotFoundError, ValidationError
from workbench.services.context import Context

KINDS = ("campaign", "inspection", "evidence", "import")
_TARGET_HELP = {
    "campaign": "检查任务名称",
    "inspection": "检查编号（列表中的前 8 位即可）",
    "evidence": "证据文件编号（前 8 位即可）或文件名",
    "import": "导入批次编号（前 8 位即可），或 latest 表示最近一次导入",
}


def add_parsers(sub, common) -> None:
    """Add ``remove`` and ``trash`` to the sub-command parsers ``sub``; ``common(parser)`` adds
    --db, --inspector and the hidden --today."""
    sp = sub.add_parser("remove", help="删除检查任务、检查、证据文件，或撤销一次导入（可在回收站恢复）")
    kinds = sp.add_subparsers(dest="remove_kind", required=True)
    for kind in KINDS:
        c = kinds.add_parser(kind, help=_TARGET_HELP[kind])
        c.add_argument("target", nargs="?", help=_TARGET_HELP[kind] + "；省略时列出可选项")
        c.add_argument("--campaign", help="检查任务名称（数据库中有多个任务时用于列出或 latest）")
        common(c)
    sp = sub.add_parser("trash", help="回收站：列出已删除的内容，或恢复一项")
    actions = sp.add_subparsers(dest="trash_command", required=True)
    c = actions.add_parser("list", help="列出回收站中的内容")
    c.add_argument("--json", action="store_true")
    common(c)
    c = actions.add_parser("restore", help="恢复回收站中的一项（撤销删除）")
    c.add_argument("id", help="回收站编号（列表中的前 8 位即可）")
    common(c)


def remove(ctx: Context, args: Namespace) -> int:
    """Remove what ``args`` names and print what went; exit code 0 (2 with a list when no target)."""
    from workbench.services import removals

    kind = args.remove_kind
    if not args.target:
        return _list_choices(ctx, kind, args)
    plan = {
        "campaign": lambda: removals.plan_campaign(ctx, _campaign(ctx, args.target).id),
        "inspection": lambda: removals.plan_inspection(ctx, _inspection(ctx, args.target, args.campaign)),
        "evidence": lambda: removals.plan_evidence(ctx, _evidence(ctx, args.target)),
        "import": lambda: removals.plan_import(ctx, _import_run(ctx, args.target, args.campaign)),
    }[kind]()
    removal = removals.remove(ctx, plan)
    done = "已撤销" if kind == "import" else "已删除"
    print(f"{done}{removal.entity_label}“{plan.label}”（操作人：{removal.inspector}）。{plan.summary}")
    print(f"回收站编号 {removal.id[:8]}；恢复：workbench trash restore {removal.id[:8]} --db {args.db}")
    return 0


def trash(ctx: Context, args: Namespace) -> int:
    """List the 回收站 or restore one entry of it."""
    from workbench.services import removals
    from workbench.services.import_undo import local_minute

    if args.trash_command == "restore":
        found = [r for r in removals.removed(ctx) if r.id.startswith(args.id.strip())] if args.id.strip() else []
        if len(found) != 1:
            raise NotFoundError(f"回收站中没有编号为“{args.id}”的一项（用 workbench trash list 查看）" if not found
                                else f"编号“{args.id}”对应回收站中的多项，请多写几位")
        removal = removals.restore(ctx, found[0].id)
        print(f"已恢复{removal.entity_label}“{removal.label}”（原由 {removal.inspector} 删除）。")
        return 0
    rows = removals.removed(ctx)
    if args.json:
        from dataclasses import asdict

        from workbench.cli import emit_json

        emit_json([{**asdict(r), "entity_label": r.entity_label} for r in rows])
        return 0
    if not rows:
        print("回收站是空的。")
    for r in rows:
        print(f"{r.id[:8]}\t{r.entity_label}\t{r.label}\t{r.inspector}\t{local_minute(r.removed_at)}\t{r.summary}")
    return 0


def _campaign(ctx: Context, name: str):
    from workbench.services import campaigns

    return campaigns.get_campaign(ctx, name)


def _campaign_ids(ctx: Context, name: str | None) -> list[str]:
    from workbench.services import campaigns

    return [_campaign(ctx, name).id] if name else [c.id for c in campaigns.list_campaigns(ctx)]


def _unique(found: list, what: str, target: str):
    if not found:
        raise NotFoundError(f"找不到{what}“{target}”（省略编号可列出可选项）")
    if len(found) > 1:
        raise ValidationError(f"“{target}”对应多个{what}，请多写几位编号")
    return found[0]


def _inspection(ctx: Context, target: str, campaign: str | None) -> str:
    from workbench.storage import inspection_repo

    found = [i.id for cid in _campaign_ids(ctx, campaign) for i in inspection_repo.list_inspections(ctx.conn, cid)
             if i.id.startswith(target.strip())]
    return _unique(found, "检查", target)


def _evidence(ctx: Context, target: str) -> str:
    from workbench.storage import inspection_repo

    every = inspection_repo.list_evidence(ctx.conn)
    found = [e.id for e in every if e.id.startswith(target.strip())] or [
        e.id for e in every if e.original_name == target]
    return _unique(found, "证据文件", target)


def _import_run(ctx: Context, target: str, campaign: str | None) -> str:
    from workbench.services import import_undo

    if target != "latest":
        return import_undo.get_run(ctx, target).id
    ids = _campaign_ids(ctx, campaign)
    if len(ids) > 1:
        raise ValidationError("数据库中有多个检查任务，请用 --campaign 指定要撤销哪个任务的最近一次导入")
    runs = [r for r in import_undo.list_runs(ctx, ids[0] if ids else None) if not r.undone]
    if not runs:
        raise NotFoundError("没有可撤销的导入批次")
    return runs[0].id


def _list_choices(ctx: Context, kind: str, args: Namespace) -> int:
    """Print what ``remove KIND`` could take; returns 2 (nothing removed, a target is needed)."""
    from workbench.services import campaigns, import_undo
    from workbench.storage import inspection_repo

    lines: list[str] = []
    if kind == "campaign":
        lines = [c.name for c in campaigns.list_campaigns(ctx)]
    elif kind == "inspection":
        lines = [f"{i.id[:8]}\t{i.inspected_on.isoformat()}\t{i.target}"
                 for cid in _campaign_ids(ctx, args.campaign) for i in inspection_repo.list_inspections(ctx.conn, cid)]
    elif kind == "evidence":
        lines = [f"{e.id[:8]}\t{e.original_name}\t{e.item_code or '整次检查'}" for e in inspection_repo.list_evidence(ctx.conn)]
    else:
        for cid in _campaign_ids(ctx, args.campaign):
            for r in import_undo.list_runs(ctx, cid):
                s = r.stats
                lines.append(f"{r.id[:8]}\t{r.label}\t{r.inspector}\t新增 {s.get('added', 0)}，变更 "
                             f"{s.get('changed', 0)}，本次缺少 {s.get('missing', 0)}\t{r.state}")
    for line in lines:
        print(line)
    raise ValidationError(
        f"请写出要{'撤销' if kind == 'import' else '删除'}的{_TARGET_HELP[kind]}"
        + ("（上面列出了可选项）" if lines else "（目前没有可选项）"))
