"""Removing a campaign, an inspection, an evidence file or an import — said first, recorded, undoable.

Nothing is deleted: a removal hides the row (``storage.removal_repo``) and keeps everything, so
撤销删除 in the 回收站 brings it back as it was. Issued document numbers (文号) stay taken: the
notices are kept and numbering counts them. Who removed or restored what, and when, is stored
with the removal and in the audit log (``storage.audit``). Removing an import (撤销导入) is
different: it puts the rows the import wrote back as they were (``services.import_undo``).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.removal import Removal
from workbench.services.context import Context
from workbench.storage import audit, campaign_repo, import_basis_repo, inspection_repo, removal_repo
from workbench.storage.connection import transaction


@dataclass(frozen=True)
class RemovalPlan:
    """What a removal would take away: ``entity``/``entity_id``, ``label`` (its name) and
    ``summary`` (a Chinese sentence with the counts, shown in the confirmation)."""

    entity: str
    entity_id: str
    label: str
    summary: str


def plan_campaign(ctx: Context, campaign_id: str) -> RemovalPlan:
    """What removing a campaign (e.g. demo data in a real database) takes with it.

    Raises:
        NotFoundError: no such campaign.
    """
    campaign = campaign_repo.get(ctx.conn, campaign_id)
    n = removal_repo.campaign_counts(ctx.conn, campaign_id)
    summary = (f"检查任务“{campaign.name}”及其 {n['sites']} 个网站、{n['reviews']} 条核查记录、"
               f"{n['findings']} 个问题、{n['inspections']} 次检查、{n['evidence']} 个证据文件将从各界面移除。")
    if n["notices"]:
        summary += f"已签发的 {n['notices']} 份文书的文号仍然保留，不会再编给其他单位。"
    return RemovalPlan("campaign", campaign.id, campaign.name, summary)


def plan_inspection(ctx: Context, inspection_id: str) -> RemovalPlan:
    """What removing an inspection takes with it (findings already raised stay in the ledger).

    Raises:
        NotFoundError: no such inspection.
    """
    inspection = inspection_repo.get_inspection(ctx.conn, inspection_id)
    n = removal_repo.inspection_counts(ctx.conn, inspection_id)
    label = f"{inspection.target or '检查'}（{inspection.inspected_on.isoformat()}）"
    summary = f"检查“{label}”及其 {n['responses']} 条检查结论、{n['evidence']} 个证据文件将被移除。"
    if n["findings"]:
        summary += f"由它登记的 {n['findings']} 个问题仍留在问题台账中。"
    return RemovalPlan("inspection", inspection.id, label, summary)


def plan_evidence(ctx: Context, evidence_id: str) -> RemovalPlan:
    """What removing one evidence file takes (the file itself stays in the evidence folder).

    Raises:
        NotFoundError: no such evidence.
    """
    evidence = next((e for e in inspection_repo.list_evidence(ctx.conn) if e.id == evidence_id), None)
    if evidence is None:
        from workbench.errors import NotFoundError

        raise NotFoundError("找不到该证据文件（可能已删除）")
    where = f"（检查项 {evidence.item_code}）" if evidence.item_code else ""
    return RemovalPlan("evidence", evidence.id, evidence.original_name,
                       f"证据文件“{evidence.original_name}”{where}将从本次检查中移除。")


def plan_import(ctx: Context, run_id: str) -> RemovalPlan:
    """What undoing an import (撤销导入) takes away and puts back.

    Raises:
        NotFoundError: no such import run.
        ValidationError: it cannot be undone now (the message says why and what to do).
    """
    from workbench.services import import_undo

    run = import_undo.check_undo(ctx, run_id)
    return RemovalPlan("import", run.id, run.label, import_undo.summary(ctx, run))


def remove(ctx: Context, plan: RemovalPlan) -> Removal:
    """Carry out a confirmed removal (hides the row; recorded with ``ctx.author`` and the time).

    Raises:
        InspectorMissingError: no inspector name is set.
        ValidationError: it is removed already; an import cannot be undone now.
    """
    if plan.entity == "import":
        from workbench.services import import_undo

        return import_undo.undo(ctx, import_undo.get_run(ctx, plan.entity_id), plan.label, plan.summary)
    if plan.entity == "campaign":      # a bulk removal: a verified backup first (docs/sync.md)
        from pathlib import Path

        from workbench.services.integrity import take_backup

        db = ctx.conn.execute("PRAGMA database_list").fetchone()[2]
        if db:
            take_backup(ctx, Path(db), "removal")
    with transaction(ctx.conn):
        removal = removal_repo.insert(ctx.conn, plan.entity, plan.entity_id, plan.label, plan.summary, ctx.author)
        if plan.entity == "campaign":   # its next import reads the list again (services/import_shortcut.py)
            import_basis_repo.forget(ctx.conn, plan.entity_id)
        audit.record(ctx.conn, "remove", plan.entity, plan.entity_id, after={"summary": plan.summary})
    return removal


def removed(ctx: Context) -> list[Removal]:
    """The 回收站: removals not yet undone, newest first."""
    return removal_repo.active(ctx.conn)


def restore(ctx: Context, removal_id: str) -> Removal:
    """撤销删除: show a removed row again, as it was.

    Raises:
        NotFoundError: no such removal, or already restored.
        ValidationError: an undone import whose rows were changed since (nothing changed).
    """
    with transaction(ctx.conn):
        removal = removal_repo.restore(ctx.conn, removal_id, ctx.author)
        if removal.entity == "import":
            from workbench.services import import_undo

            import_undo.redo(ctx, removal.entity_id)
        elif removal.entity == "campaign":
            import_basis_repo.forget(ctx.conn, removal.entity_id)
        audit.record(ctx.conn, "restore", removal.entity, removal.entity_id, after={"label": removal.label})
    return removal
