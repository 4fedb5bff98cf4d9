"""撤销导入: taking back an import of the wrong list (wrong campaign, wrong file), and redoing it.

Undoing an import run puts every sponsor and site row it wrote back as it was before
(``storage.import_undo_repo``): the sites and sponsors it created go, values it changed on
existing sites come back (domains included), sites it marked absent are present again. The run
itself, its problems and the audit log stay as history; the undo is a removal (回收站), so
撤销删除 there puts the import's rows back as it left them.

What blocks an undo (nothing is changed then; the message names how many and which):

- reviews (核查记录) or findings (问题) made after the import on a site whose filed values the
  import created or changed (or a finding against a sponsor it created). They are never deleted
  and never left pointing at values they were not made against: an inspector can trust that an
  undo returns the list exactly as it was, or does nothing. A wrongly imported list that has been
  worked on is taken out as a whole with 删除检查任务 (it keeps everything, in the 回收站).
- a later import (or a merged work package) changed the same rows: imports are undone newest
  first, and the message names the later import to undo first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbench.domain.import_change import RowChange
from workbench.errors import NotFoundError, ValidationError
from workbench.faults import crash_point
from workbench.services.context import Context
from workbench.storage import audit, import_basis_repo, import_undo_repo, removal_repo
from workbench.storage.connection import database_path, transaction

#: Columns of a site row that do not carry filed values (a review is not made against them).
_BOOKKEEPING = frozenset({"present", "flags", "flag_count", "source_row", "search_text", "updated_at", "device",
                          "inspector", "first_domain", "sort_sponsor"})
_SHOWN = 5          # sites named in a message


@dataclass(frozen=True)
class ImportRun:
    """One import run as the 导入批次 list shows it.

    Attributes:
        id: the import_run id; campaign_id: its campaign.
        file_name, sheet: what was read; created_at: UTC ISO 8601; inspector: who imported.
        stats: the counts the import printed (added, changed, missing, sites, …).
        undoable: False for runs made before undo existed (no log).
        removal_id: the 回收站 entry while the import is undone, else None.
    """

    id: str
    campaign_id: str
    file_name: str
    sheet: str
    created_at: str
    inspector: str
    stats: dict
    undoable: bool
    removal_id: str | None

    @property
    def undone(self) -> bool:
        """True while the import is undone (its entry is in the 回收站)."""
        return self.removal_id is not None

    @property
    def label(self) -> str:
        """``名单.xlsx（2026-12-03 09:10 导入）`` in local time."""
        return f"{self.file_name}（{local_minute(self.created_at)} 导入）"

    @property
    def state(self) -> str:
        """已撤销 / 可撤销 / 早于撤销功能（无记录）."""
        if self.undone:
            return "已撤销"
        return "可撤销" if self.undoable else "无法撤销（早于撤销功能，未记录导入前的数值）"


def local_minute(utc_iso: str) -> str:
    """A stored UTC time as local ``YYYY-MM-DD HH:MM``."""
    return f"{datetime.fromisoformat(utc_iso).astimezone():%Y-%m-%d %H:%M}"


def list_runs(ctx: Context, campaign_id: str | None = None) -> list[ImportRun]:
    """The import runs (of one campaign, or all), newest first."""
    where, args = ("WHERE r.campaign_id = ?", (campaign_id,)) if campaign_id else ("", ())
    rows = ctx.conn.execute(
        "SELECT r.*, l.import_run_id IS NOT NULL AS logged,"
        " (SELECT m.id FROM removal m WHERE m.entity = 'import' AND m.entity_id = r.id"
        "  AND m.restored_at IS NULL) AS removal_id"
        f" FROM import_run r LEFT JOIN import_log l ON l.import_run_id = r.id {where}"
        " ORDER BY r.created_at DESC", args).fetchall()
    return [_run(r) for r in rows]


def get_run(ctx: Context, run_id: str) -> ImportRun:
    """One import run by its id or a unique start of it (as printed by ``import --json``).

    Raises:
        NotFoundError: no run, or the start fits several.
    """
    found = [r for r in list_runs(ctx) if r.id.startswith(run_id.strip())] if run_id.strip() else []
    if len(found) != 1:
        raise NotFoundError(f"找不到导入批次“{run_id}”" if not found else
                            f"导入批次编号“{run_id}”对应多个批次，请写完整编号")
    return found[0]


def _run(row) -> ImportRun:
    return ImportRun(row["id"], row["campaign_id"], row["file_name"], row["sheet"], row["created_at"],
                     row["inspector"], json.loads(row["stats"] or "{}"), bool(row["logged"]), row["removal_id"])


def _site_names(ctx: Context, site_ids: list[str]) -> str:
    """``鲁ICP备…号-1（网站名）、… 等 N 个`` for a message, in list order."""
    conn = ctx.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS wb_undo_named (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.wb_undo_named")
    conn.executemany("INSERT OR IGNORE INTO temp.wb_undo_named VALUES (?)", [(i,) for i in site_ids])
    try:
        rows = conn.execute("SELECT site_filing_no, name FROM site WHERE id IN (SELECT id FROM temp.wb_undo_named)"
                            f" ORDER BY source_row, site_filing_no LIMIT {_SHOWN}").fetchall()
    finally:
        conn.execute("DELETE FROM temp.wb_undo_named")
    text = "、".join(f"{no}（{name}）" if name else no for no, name in rows)
    return text + (f" 等 {len(site_ids)} 个" if len(site_ids) > _SHOWN else "")


def _filed_changed(change: RowChange) -> bool:
    """True when a logged site row's filed values differ before and after (not just bookkeeping)."""
    return any(change.before.get(k) != change.after.get(k) for k in change.after if k not in _BOOKKEEPING)


def _worked_on(ctx: Context, run: ImportRun) -> tuple[list[str], dict[str, int]]:
    """What was made after the import on what the undo would take away or change: reviews and
    findings on sites whose filed values it created or changed, inspections of those sites, and
    findings, inspections and document numbers (文号) of sponsors it created.
    Returns (the site ids concerned, {"reviews"|"findings"|"inspections"|"numbers": count})."""
    sites, sponsors = [], []
    for change in import_undo_repo.changes(ctx.conn, run.id):
        if change.entity == "sponsor":
            if change.before is None:
                sponsors.append(change.entity_id)
        elif change.before is None or change.after is None or _filed_changed(change):
            sites.append(change.entity_id)
    conn = ctx.conn
    for name, ids in (("wb_undo_sites", sites), ("wb_undo_sponsors", sponsors)):
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id TEXT PRIMARY KEY)")
        conn.execute(f"DELETE FROM temp.{name}")
        conn.executemany(f"INSERT OR IGNORE INTO temp.{name} VALUES (?)", [(i,) for i in ids])
    in_sites, in_sponsors = "IN (SELECT id FROM temp.wb_undo_sites)", "IN (SELECT id FROM temp.wb_undo_sponsors)"
    after = (run.created_at,)
    try:
        found = {
            "reviews": conn.execute(f"SELECT site_id FROM review WHERE site_id {in_sites} AND updated_at > ?",
                                    after).fetchall(),
            "findings": conn.execute(f"SELECT site_id FROM finding WHERE (site_id {in_sites} OR sponsor_id"
                                     f" {in_sponsors}) AND created_at > ?", after).fetchall(),
            "inspections": conn.execute(f"SELECT site_id FROM inspection WHERE (site_id {in_sites} OR sponsor_id"
                                        f" {in_sponsors}) AND created_at > ?", after).fetchall(),
            "numbers": conn.execute(f"SELECT NULL FROM doc_number WHERE sponsor_id {in_sponsors}").fetchall(),
        }
    finally:
        conn.execute("DELETE FROM temp.wb_undo_sites")
        conn.execute("DELETE FROM temp.wb_undo_sponsors")
    concerned = list(dict.fromkeys(r[0] for rows in found.values() for r in rows if r[0]))
    return concerned, {k: len(v) for k, v in found.items() if v}


_MADE = {"reviews": "{} 条核查记录", "findings": "{} 个问题", "inspections": "{} 次检查", "numbers": "{} 个文号"}


def _check(ctx: Context, run: ImportRun, side: str) -> None:
    """Raise ValidationError naming what stops bringing ``run``'s rows to ``side``."""
    if not run.undoable and side == "after":    # undone on another laptop, arrived in a work package
        raise ValidationError(f"导入批次“{run.label}”是在另一台电脑上导入并撤销的，本机没有它的变更记录，"
                              "无法在本机恢复；请在那台电脑上恢复后再交换工作包")
    if not run.undoable:
        raise ValidationError(f"导入批次“{run.label}”是在本程序能撤销导入之前导入的，没有记录导入前的数值，"
                              "无法撤销。如需去掉整份名单，可删除整个检查任务（可从回收站恢复）")
    verb = "撤销" if side == "before" else "恢复"
    if side == "before":
        sites, made = _worked_on(ctx, run)
        if made:
            what = "、".join(_MADE[k].format(n) for k, n in made.items())
            where = (f"它新增或改动的 {len(sites)} 个网站上已有 {what}：{_site_names(ctx, sites)}" if sites
                     else f"它新增的单位已有 {what}")
            raise ValidationError(
                f"不能撤销导入批次“{run.label}”：导入之后，{where}。撤销会让这些记录失去所依据的"
                "备案信息，而核查记录、问题和文号都不会被删除，所以未撤销，数据库没有改动。如果整份名单都导错了，"
                "请用“文件 › 删除检查任务”删除整个检查任务（连同这些记录一起保留在回收站中，可恢复）")
    moved = import_undo_repo.moved(ctx.conn, run.id, "after" if side == "before" else "before")
    if not moved:
        return
    site_ids = [i for e, i in moved if e == "site"]
    later = [r for r in import_undo_repo.later_runs(ctx.conn, run.id, [i for _, i in moved])
             if not removal_repo.is_removed(ctx.conn, "import", r["id"])]
    count = f"{len(site_ids)} 个网站" if site_ids else f"{len(moved)} 个主办单位"
    names = f"（{_site_names(ctx, site_ids)}）" if site_ids else ""
    if side == "before" and later:
        newest = later[0]
        raise ValidationError(
            f"不能撤销导入批次“{run.label}”：之后的导入批次“{newest['file_name']}（{local_minute(newest['created_at'])}"
            f" 导入，{newest['inspector']}）”又改动了其中 {count}{names}。请先撤销较新的导入批次"
            "（导入批次按从新到旧的顺序撤销），数据库没有改动")
    raise ValidationError(
        f"不能{verb}导入批次“{run.label}”：其中 {count}{names}在此之后又被修改过"
        f"{'（如导入了其他名单或合并了工作包）' if side == 'before' else '（撤销之后又导入了名单或合并了工作包）'}，"
        f"{verb}会覆盖这些修改，所以未{verb}，数据库没有改动")


@dataclass(frozen=True)
class UndoCounts:
    """What undoing a run does: sites/sponsors it created (removed by the undo), sites whose
    values it changed (put back), sites it marked absent (present again)."""

    sites_added: int
    sponsors_added: int
    sites_changed: int
    sites_absent: int


def counts(ctx: Context, run_id: str) -> UndoCounts:
    """Count what the import did to sponsors and sites (see :class:`UndoCounts`)."""
    added = sponsors = changed = absent = 0
    for change in import_undo_repo.changes(ctx.conn, run_id):
        if change.entity == "sponsor":
            sponsors += change.before is None
        elif change.before is None:
            added += 1
        elif change.after is not None and change.before.get("present") == 1 and change.after.get("present") == 0 \
                and not _filed_changed(change):
            absent += 1
        else:
            changed += 1
    return UndoCounts(added, sponsors, changed, absent)


def summary(ctx: Context, run: ImportRun) -> str:
    """The confirmation sentence: what undoing ``run`` takes away and puts back (Chinese)."""
    n = counts(ctx, run.id)
    parts = []
    if n.sites_added:
        parts.append(f"移除它新增的 {n.sites_added} 个网站" + (f"和 {n.sponsors_added} 个主办单位" if n.sponsors_added else ""))
    if n.sites_changed:
        parts.append(f"把它改动的 {n.sites_changed} 个网站恢复为导入前的备案信息")
    if n.sites_absent:
        parts.append(f"把它标为“名单中已无”的 {n.sites_absent} 个网站恢复为在册")
    what = "，".join(parts) if parts else "它没有改动任何网站，数据不变"
    return (f"导入批次“{run.file_name}”（{run.inspector} 于 {local_minute(run.created_at)} 导入）撤销后将{what}。"
            "导入记录和问题清单保留为历史，检查任务本身保留。")


def check_undo(ctx: Context, run_id: str) -> ImportRun:
    """The run, when it can be undone now.

    Raises:
        NotFoundError: no such run.
        ValidationError: undone already, made before undo existed, worked on since, or changed
            by a later import (the message says which and what to do).
    """
    run = get_run(ctx, run_id)
    if run.undone:
        raise ValidationError(f"导入批次“{run.label}”已经撤销过了（可在“文件 › 回收站”中恢复）")
    _check(ctx, run, "before")
    return run


def undo(ctx: Context, run: ImportRun, label: str, text: str):
    """Undo ``run`` as confirmed: a verified backup first, then in one transaction every row put
    back, the removal recorded (回收站) and audited. Returns the Removal.

    Raises:
        as :func:`check_undo` (checked again inside the transaction); WorkbenchError when the
        backup cannot be written (nothing changed).
    """
    from workbench.services.integrity import take_backup

    db = database_path(ctx.conn)
    if db is not None:
        take_backup(ctx, Path(db), "undo")
    with transaction(ctx.conn):
        run = check_undo(ctx, run.id)
        import_undo_repo.put_back(ctx.conn, run.id, "before")
        import_basis_repo.forget(ctx.conn, run.campaign_id)   # no unchanged re-import against it
        crash_point("import-undo")
        removal = removal_repo.insert(ctx.conn, "import", run.id, label, text, ctx.author)
        audit.record(ctx.conn, "remove", "import_run", run.id, after={"summary": text})
    return removal


def redo(ctx: Context, run_id: str) -> None:
    """Put an undone import's rows back as the import left them (call inside the transaction
    that marks its removal restored).

    Raises:
        ValidationError: the rows were changed since the undo (nothing changed).
    """
    run = get_run(ctx, run_id)
    _check(ctx, run, "after")
    import_undo_repo.put_back(ctx.conn, run.id, "after")
    import_basis_repo.forget(ctx.conn, run.campaign_id)
