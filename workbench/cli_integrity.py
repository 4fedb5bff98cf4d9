"""Command-line commands on the database file as a whole: check, backup, restore, audit."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from workbench.errors import NotFoundError
from workbench.paths import AppPaths

#: Exit code of ``workbench check`` when a check found problems (2 stays "bad input").
CHECK_FAILED = 3


def _existing(db: str) -> Path:
    path = Path(db)
    if not path.is_file():
        raise NotFoundError(f"找不到数据库文件 {db}")
    return path


def check(args: Namespace, paths: AppPaths) -> int:
    """``workbench check --db DB``: prints each check and its problems; 0 ok, 3 problems."""
    from workbench.services.integrity import CHECKS, check_database

    db = _existing(args.db)
    report = check_database(db, paths.evidence_dir_for(db))
    if args.json:
        from workbench.cli import emit_json

        emit_json(report.as_dict())
    else:
        for r in report.results:
            mark = "通过" if r.ok else f"未通过（{len(r.problems)} 个问题）"
            counted = f"，检查了 {r.checked} 项" if r.checked else ""
            print(f"{CHECKS[r.key]}：{mark}{counted}")
            for p in r.problems:
                print(f"  - {p}")
        print("结论：数据库完好" if report.ok else "结论：发现问题，请从备份恢复（workbench restore）或联系管理员")
    return 0 if report.ok else CHECK_FAILED


def backup(args: Namespace, paths: AppPaths) -> int:
    """``workbench backup OUT --db DB``: a verified online copy."""
    from workbench.services.integrity import backup_to

    out = backup_to(_existing(args.db), Path(args.out), force=args.force)
    print(f"已备份到 {out}（已通过完整性检查）")
    return 0


def restore(args: Namespace, paths: AppPaths) -> int:
    """``workbench restore BACKUP --db DB``: replace the database with a verified backup."""
    from workbench.app import open_context
    from workbench.services.integrity import restore as restore_db
    from workbench.storage import audit

    kept = restore_db(Path(args.db), Path(args.backup), force=args.force)
    ctx = open_context(args.db, paths)
    try:
        audit.record(ctx.conn, "restore", "database", "", None,
                     {"backup": str(args.backup), "previous": str(kept) if kept else None})
    finally:
        ctx.conn.close()
    print(f"已用 {args.backup} 恢复数据库 {args.db}" + (f"；原来的数据库保存在 {kept}" if kept else ""))
    return 0


def audit_log(args: Namespace, paths: AppPaths) -> int:
    """``workbench audit --db DB [--entity T] [--id ID] [--csv OUT] [--json]``."""
    from workbench.app import open_context
    from workbench.storage import audit

    ctx = open_context(_existing(args.db), paths)
    try:
        filters = {"entity": args.entity, "mentions": args.entity_id}
        if args.csv:
            from workbench.services.output_paths import check_output

            check_output(ctx, args.csv, force=args.force)
            n = audit.export_csv(ctx.conn, Path(args.csv), **filters)
            print(f"已导出审计日志 {n} 条到 {args.csv}")
            return 0
        rows = audit.entries(ctx.conn, **filters)
        if args.json:
            from dataclasses import asdict

            from workbench.cli import emit_json

            emit_json([asdict(e) for e in rows])
            return 0
        for e in rows:
            changes = "；".join(f"{k}: {b} → {a}" for k, (b, a) in e.changed_fields().items())
            label = audit.ACTION_LABELS.get(e.action, e.action)
            print(f"{e.at} {e.device}/{e.inspector} {label} {e.entity} {e.entity_id} {changes}"[:400])
    finally:
        ctx.conn.close()
    return 0


def package(args: Namespace, paths: AppPaths) -> int:
    """``workbench package export OUT --db DB [--campaign N] [--to P]`` and
    ``workbench package import PKG --db DB [--json]``."""
    from workbench.app import open_context
    from workbench.services import packages
    from workbench.storage.backup import automatic_backup

    db = Path(args.db)
    if args.package_command == "export":
        from workbench.services.output_paths import check_output_path

        check_output_path(args.out, db_path=_existing(args.db), force=args.force,
                          evidence_dir=paths.evidence_dir_for(db))
    from workbench.cli_commands import announce_upgrade

    announce_upgrade(db)
    ctx = open_context(db, paths, inspector=args.inspector)   # migrated before the child process opens it
    try:
        author = ctx.author
        common = {"db": str(db), "device": author.device, "inspector": author.inspector,
                  "evidence_dir": str(paths.evidence_dir_for(db))}
        if args.package_command == "export":
            res = packages.run_isolated("export_package", out=args.out, campaign=args.campaign, to=args.to, **common)
            total = sum(sum(ops.values()) for t, ops in res.counts.items() if t != "audit_log")
            print(f"已导出工作包 {res.path}：检查任务“{res.campaign}”，{total} 条变更，"
                  f"审计日志 {sum(res.counts.get('audit_log', {}).values())} 条，证据文件 {res.files} 个"
                  + (f"（对方 {res.partner[:8]}）" if res.partner else "（全部工作）"))
            return 0
        limits = packages.package_checks.ReadLimits.from_settings(ctx.settings)
        packages.read_manifest(Path(args.package), limits)     # refuse a broken file before any backup
        automatic_backup(ctx.conn, db, "merge")
        res = packages.run_isolated("import_package", pkg=args.package, **common)
    finally:
        ctx.conn.close()
    if args.json:
        from workbench.cli import emit_json

        emit_json(res.as_dict())
    else:
        who = res.sender.get("inspector") or res.sender.get("device") or "?"
        print(f"已导入 {who} 的工作包（检查任务“{res.campaign}”）：新增 {res.added}，更新 {res.updated}，"
              f"未变 {res.unchanged}，冲突 {res.conflicts}（待人工裁决），审计日志 {res.log_entries} 条")
    return 0


def conflicts_cmd(args: Namespace, paths: AppPaths) -> int:
    """``workbench conflicts --db DB [--json]`` lists the open conflicts with every candidate
    (value, who, when); ``--decide ID --take N`` takes candidate N."""
    from workbench.app import open_context
    from workbench.errors import ValidationError
    from workbench.services import conflicts

    ctx = open_context(_existing(args.db), paths, inspector=getattr(args, "inspector", None))
    try:
        listed = conflicts.list_conflicts(ctx)
        if args.decide:
            hits = [c for c in listed if c.id.startswith(args.decide)]
            if len(hits) != 1 or not args.take or args.take > len(hits[0].candidates):
                raise ValidationError(f"找不到待裁决的冲突 {args.decide}，或 --take 不在候选值范围内（用 workbench conflicts 查看）")
            conflicts.decide(ctx, hits[0].id, hits[0].candidates[args.take - 1].value)
            print(f"已裁决：{hits[0].title} {hits[0].column or '整条记录'} = {hits[0].candidates[args.take - 1].value}")
            return 0
        if args.json:
            from dataclasses import asdict

            from workbench.cli import emit_json

            emit_json([asdict(c) for c in listed])
            return 0
        if not listed:
            print("没有待裁决的冲突")
        for c in listed:
            print(f"[{c.id[:8]}] {c.title} · {conflicts.FIELD_LABELS.get(c.column, c.column) or '整条记录'}"
                  f"（{conflicts.KIND_LABELS.get(c.kind, c.kind)}）")
            for n, cand in enumerate(c.candidates, start=1):
                print(f"    {n}. {cand.value!r}  —— {cand.inspector or cand.device}，{cand.at}")
    finally:
        ctx.conn.close()
    return 0
