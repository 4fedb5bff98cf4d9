"""Importing a site list into a campaign: read, normalise, store in one transaction, report."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.domain.campaign import Campaign
from workbench.domain.progress import Progress, check_cancel
from workbench.domain.site import Problem
from workbench.errors import InputFileError
from workbench.importers import reader_process
from workbench.importers.columns import FIELD_LABELS
from workbench.importers.site_list import (
    SheetPreview,
    SiteListResult,
    preview_site_list,
    read_site_list,
)
from workbench.importers.xlsx_guard import ReadLimits
from workbench.services import import_shortcut
from workbench.services.context import Context
from workbench.storage import import_run_repo, import_undo_repo, mapping_repo, site_stream
from workbench.storage.connection import IMPORT_CACHE_KIB, page_cache, transaction
from workbench.storage.records import utc_now
from workbench.storage.site_repo import ChangeReport, mark_missing, store_site_list


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one import: what was read and what it changed in the campaign.

    ``summary`` is the JSON object ``workbench import --json`` prints: the reader's counts
    (header_row, data_rows, sites, domains, duplicate_rows, conflict_rows, rejected_rows, problems)
    plus added, changed, unchanged, missing.

    ``reread`` is False when the list was found unchanged since the campaign's last import and
    not read again (services/import_shortcut.py): then ``summary``, the problems and ``changes``
    are as reading it would give them, but ``result`` holds only the file, its format, sheet,
    header row, data row count, digest and problems: no records, headers or row lists.
    """

    run_id: str
    result: SiteListResult
    changes: ChangeReport
    summary: dict
    reread: bool = True

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found, with original row numbers."""
        return self.result.problems


def import_site_list(
    ctx: Context,
    campaign_id: str,
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    shortcut: bool = True,
) -> ImportReport:
    """Read ``path`` and upsert its sites into the campaign, as one transaction.

    A ``mapping`` given by the user is remembered for files with the same header row and used
    again when a later import of such a file gives none. Storing is all-or-nothing, so a cancel
    (:class:`~workbench.domain.progress.Cancelled`) or any error leaves the database as it was.
    Into a campaign holding no site yet, the sites are stored while the file is still read, in
    the one transaction (storage/site_stream.py; issue 12); otherwise the file is read first.
    When the file's bytes, the options and the importer equal those of the campaign's last
    import and the campaign's sites have not changed since, the run is recorded with that
    import's outcome without reading the file (services/import_shortcut.py; ``shortcut=False``
    reads it anyway).

    Raises:
        InputFileError: the file cannot be read (named, with the reason), or it yields no site
            at all (nothing is stored, no site is marked absent, the mapping is not remembered).
        Cancelled: ``cancel`` was set.
        NotFoundError: no such campaign.
    """
    path = Path(path)
    if (shortcut and import_shortcut.has_basis(ctx, campaign_id)
            and (known := import_shortcut.identify(path)) is not None):
        report = _import_unchanged(ctx, campaign_id, path, known, (sheet, mapping), on_progress)
        if report is not None:
            return report
    options = (sheet, mapping)
    if site_stream.campaign_is_empty(ctx.conn, campaign_id):
        try:
            return _import_streaming(ctx, campaign_id, path, sheet, mapping, cancel, on_progress)
        except _NotStreamed:
            pass   # rolled back; read again below as for any campaign
    result = _read(ctx, path, sheet, mapping, cancel, on_progress)
    check_cancel(cancel)
    _require_records(result, path)
    if on_progress:
        on_progress(Progress(0, len(result.records), "正在写入数据库…"))
    with transaction(ctx.conn):
        with import_undo_repo.capture(ctx.conn):      # what it writes, so it can be undone (撤销导入)
            changes = store_site_list(ctx.conn, campaign_id, result.records, ctx.author, absent_fields(result))
        check_cancel(cancel)
        report = _record(ctx, campaign_id, path, result, changes, options)
    if on_progress:
        on_progress(Progress(len(result.records), len(result.records), "导入完成"))
    return report


class _NotStreamed(Exception):
    """The streamed read must be discarded: the header has a remembered mapping to apply, or the
    guessed header was not recognised (the normal path looks the mapping up and reads again)."""


def _import_streaming(ctx: Context, campaign_id: str, path: Path, sheet, mapping, cancel,
                      on_progress) -> ImportReport:
    """Import into an empty campaign, storing the sites while the file is still read
    (storage/site_stream.py): one transaction, as :func:`import_site_list` promises. A big file
    is read in a child process (importers/reader_process.py), which on two cores overlaps the
    writing.

    Raises:
        _NotStreamed: after rolling back, when the normal path must decide the mapping.
        as :func:`import_site_list` otherwise.
    """
    limits = ReadLimits.from_settings(ctx.settings)
    remembered = mapping_repo.all_mappings(ctx.conn) if mapping is None else {}
    with page_cache(ctx.conn, IMPORT_CACHE_KIB), transaction(ctx.conn):
        # the writer notes every row it creates for the undo log (撤销导入)
        writer = site_stream.SiteListWriter(ctx.conn, campaign_id, ctx.author, log=True)

        def progress(p: Progress) -> None:
            writer.expect(p.total)
            if on_progress:
                on_progress(p)

        try:
            try:
                read = (reader_process.read_site_list_in_child if reader_process.use_child(path)
                        else read_site_list)
                result = read(path, sheet=sheet, mapping=mapping, cancel=cancel, on_progress=progress,
                              limits=limits, on_records=writer.put)
            except InputFileError:
                if mapping is None and remembered:
                    raise _NotStreamed from None   # perhaps a header the user mapped before
                raise
            again = remembered.get(mapping_repo.header_key(result.headers))
            if again and again != result.mapping:   # the user corrected this header before
                raise _NotStreamed
            check_cancel(cancel)
            _require_records(result, path)
            if on_progress:
                on_progress(Progress(0, result.sites, "正在写入数据库…"))
            changes = writer.finish(result.site_count, result.added_flags)
        except BaseException:
            writer.abort()   # the worker stops before the rollback
            raise
        check_cancel(cancel)
        report = _record(ctx, campaign_id, path, result, changes, (sheet, mapping), streamed=True,
                         stored=writer.stored_counts())
    if on_progress:
        on_progress(Progress(result.sites, result.sites, "导入完成"))
    return report


def _require_records(result: SiteListResult, path: Path) -> None:
    """Refuse a list that yields no site: storing nothing would mark every stored site absent,
    and a mapping that finds no site must not be remembered either.

    Raises:
        InputFileError: naming the file and why.
    """
    if not result.sites:
        why = (f"{result.data_rows} 行数据均无法识别网站（请检查“网站备案号”列的对应关系）"
               if result.data_rows else "表头下没有任何数据行")
        raise InputFileError(f"{why}，未导入任何内容", path=path.name)


def _record(ctx: Context, campaign_id: str, path: Path, result: SiteListResult, changes: ChangeReport,
            options: tuple[str | None, dict[int, str] | None], streamed: bool = False,
            stored: dict | None = None) -> ImportReport:
    """Finish an import inside its transaction: remember a mapping the user gave, record the run
    with its counts and problems (the run's audit entry) and the rows it wrote (for 撤销导入,
    storage/import_undo_repo.py: those its ``streamed`` writer noted, else those ``capture``
    noted), note what it read as the campaign's basis for an unchanged re-import (``options``:
    the sheet and mapping asked for), and build the report (``stored``: as for
    ``SiteListResult.summary``)."""
    sheet, mapping = options
    if changes.kept:
        result = replace(result, problems=(*_kept_problems(changes.kept), *result.problems))
    summary = {
        **result.summary(stored),
        "added": len(changes.added),
        "changed": len(changes.changed),
        "unchanged": changes.unchanged,
        "missing": len(changes.missing),
    }
    stats = {k: v for k, v in summary.items() if k != "problems"}
    if mapping is not None:
        mapping_repo.save(ctx.conn, result.headers, mapping, ctx.author)
    run_id = import_run_repo.record_run(
        ctx.conn, campaign_id, path.name, result.sha256, result.sheet, result.header_row, stats,
        result.problems, ctx.author,
    )
    if streamed:
        import_undo_repo.save_created(ctx.conn, run_id)
    else:
        import_undo_repo.save(ctx.conn, run_id)
    import_shortcut.note(ctx, campaign_id, run_id, import_shortcut.digest(ctx, result.sha256, sheet, mapping),
                         result.problems)
    return ImportReport(run_id, result, changes, summary)


def _import_unchanged(ctx: Context, campaign_id: str, path: Path, known: tuple[str, str],
                      options: tuple[str | None, dict[int, str] | None],
                      on_progress: Callable[[Progress], None] | None) -> ImportReport | None:
    """Record a re-import of a list found unchanged (``known``: the file's SHA-256 and format;
    ``options``: the sheet and mapping asked for; see services/import_shortcut.py) with the
    outcome reading it would have: every site of the list unchanged, the sites missing from it
    marked absent again (as the full path writes them, with their undo log), the last run's counts
    and problems. None, with nothing written, when the campaign's last import does not match or
    its sites changed since."""
    digest, file_format = known
    key = import_shortcut.digest(ctx, digest, *options)
    with transaction(ctx.conn):
        run_id = import_shortcut.matching_run(ctx, campaign_id, key)
        if run_id is None:
            return None
        stats, problems, sheet, header_row = import_shortcut.stored_run(ctx, run_id)
        sites = stats["sites"]
        if on_progress:
            on_progress(Progress(0, sites, "名单与上次导入相同，正在记录…"))
        missing = import_shortcut.missing_sites(ctx, campaign_id, stats)
        with import_undo_repo.capture(ctx.conn):   # as store_site_list marks them, so undo behaves alike
            mark_missing(ctx.conn, campaign_id, missing, utc_now())
        changes = ChangeReport(unchanged=sites, missing=missing)
        read = {k: v for k, v in stats.items() if k not in ("added", "changed", "unchanged", "missing")}
        summary = {**read, "problems": [p.as_dict() for p in problems],
                   "added": 0, "changed": 0, "unchanged": sites, "missing": len(missing)}
        new_stats = {k: v for k, v in summary.items() if k != "problems"}
        new_run = import_run_repo.record_run(ctx.conn, campaign_id, path.name, digest, sheet, header_row,
                                             new_stats, problems, ctx.author)
        import_undo_repo.save(ctx.conn, new_run)
        import_shortcut.note(ctx, campaign_id, new_run, key, problems)
    result = SiteListResult(
        file=str(path), format=file_format, sheet=sheet, header_row=header_row,
        headers=(), mapping={}, data_rows=stats.get("data_rows", 0), records=(), duplicate_rows=(),
        conflict_rows=(), rejected_rows=(), blank_rows=(), total_row=None, problems=tuple(problems),
        sha256=digest)
    if on_progress:
        on_progress(Progress(sites, sites, "导入完成"))
    return ImportReport(new_run, result, changes, summary, reread=False)


# Fields a list always provides, derived from the 网站备案号 even without a column of their own.
_DERIVED = frozenset({"subject_filing_no"})
_STORED_FIELDS = ("subject_filing_no", "sponsor_name", "sponsor_nature", "uscc", "city", "site_name", "domains",
                  "homepage", "access_provider", "ip", "contact_name", "contact_phone", "email", "approved_on",
                  "psb_filing_no", "remark")


def absent_fields(result: SiteListResult) -> frozenset[str]:
    """The stored fields ``result``'s list has no column for (it did not provide them)."""
    provided = set(result.mapping.values())
    return frozenset(f for f in _STORED_FIELDS if f not in provided and f not in _DERIVED)


def _kept_problems(kept: dict[str, int]) -> list[Problem]:
    """One whole-file note per field whose stored values were kept because its column was absent."""
    return [
        Problem(None, FIELD_LABELS[name], "column_absent", "warning",
                f"本次名单没有“{FIELD_LABELS[name]}”列，视为未提供：{count} 个网站保留原值", "")
        for name, count in sorted(kept.items(), key=lambda item: _STORED_FIELDS.index(item[0]))
    ]


def import_into_campaign(
    ctx: Context, campaign_name: str, path: str | Path, *, authority: str = "", doc_prefix: str = "",
    sheet: str | None = None, mapping: dict[int, str] | None = None, shortcut: bool = True,
) -> tuple[Campaign, ImportReport]:
    """Import into the campaign called ``campaign_name``, creating it (as an ICP filing review with
    ``authority`` and ``doc_prefix``) when it does not exist — in one transaction, so a failed
    import leaves no new campaign behind.

    Raises:
        as :func:`import_site_list`; ValidationError for a bad campaign name.
    """
    from workbench.services import campaigns

    with transaction(ctx.conn):
        campaign = campaigns.get_or_create(ctx, campaign_name, authority=authority, doc_prefix=doc_prefix)
        return campaign, import_site_list(ctx, campaign.id, path, sheet=sheet, mapping=mapping, shortcut=shortcut)


def _read(ctx: Context, path: Path, sheet, mapping, cancel, on_progress) -> SiteListResult:
    """Read with the given mapping; without one, prefer the mapping remembered for the header."""
    limits = ReadLimits.from_settings(ctx.settings)
    if mapping is not None:
        return read_site_list(path, sheet=sheet, mapping=mapping, cancel=cancel, on_progress=on_progress,
                              limits=limits)
    try:
        result = read_site_list(path, sheet=sheet, cancel=cancel, on_progress=on_progress, limits=limits)
    except InputFileError:
        # a header the synonym table does not know
        shown = preview_site_list(path, sheet=sheet, limits=limits)
        remembered = mapping_repo.get(ctx.conn, shown.headers)
        if not remembered:
            raise
        return read_site_list(path, sheet=shown.sheet, mapping=remembered, cancel=cancel, on_progress=on_progress,
                              limits=limits)
    remembered = mapping_repo.get(ctx.conn, result.headers)
    if remembered and remembered != result.mapping:  # the user corrected this header before
        corrected = read_site_list(path, sheet=result.sheet, mapping=remembered, cancel=cancel,
                                   on_progress=on_progress, limits=limits)
        if corrected.records or not result.records:
            return corrected
    return result


def preview(ctx: Context, path: str | Path, sheet: str | None = None) -> SheetPreview:
    """The first rows of a site list with the column mapping to confirm (for the wizard): the
    mapping remembered for this header row, or else the guessed one.

    Raises:
        InputFileError: the file cannot be read.
    """
    shown = preview_site_list(path, sheet=sheet, limits=ReadLimits.from_settings(ctx.settings))
    remembered = mapping_repo.get(ctx.conn, shown.headers)
    return replace(shown, mapping=remembered) if remembered else shown


def export_problems(report: ImportReport, out: Path) -> Path:
    """Write the import's problems next to their original values as .xlsx; returns the path."""
    # openpyxl is loaded only when asked for, not at every import
    from workbench.exporters.problem_report import write_problem_report

    return write_problem_report(report.problems, out, source_file=report.result.file)


__all__ = ["FIELD_LABELS", "ImportReport", "SheetPreview", "export_problems", "import_site_list", "preview",
           "preview_site_list"]
