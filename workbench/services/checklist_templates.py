"""Checklist templates (检查表模板): the built-ins, Excel/YAML import and export, versions.

Every function takes the services :class:`~workbench.services.context.Context` first, like every
other service.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from workbench.domain.author import Author
from workbench.domain.checklist import ChecklistTemplate
from workbench.domain.inspection import TemplateRecord
from workbench.services.context import Context
from workbench.storage import checklist_repo
from workbench.storage.connection import transaction

#: The bundled templates are the program's, not an inspector's work: stored under this name.
BUILTIN_INSPECTOR = "工作台内置模板"


def _builtin_author(author: Author) -> Author:
    return Author(author.device, BUILTIN_INSPECTOR)


def ensure_builtins(ctx: Context) -> None:
    """Store the shipped templates unless already stored (a read when they are; see checklist_repo)."""
    if checklist_repo.missing_builtins(ctx.conn):
        with transaction(ctx.conn):
            checklist_repo.ensure_builtins(ctx.conn, _builtin_author(ctx.author))


def list_templates(ctx: Context, latest_only: bool = True) -> list[TemplateRecord]:
    """Stored templates (storing the built-ins first if missing); newest version per code by default."""
    ensure_builtins(ctx)
    return checklist_repo.list_records(ctx.conn, latest_only)


def import_template(ctx: Context, path: str | Path, new_version: bool = False) -> TemplateRecord:
    """Import a template from .xlsx/.xls/.ods or .yaml/.yml; the same content again is a no-op.

    Args:
        new_version: if this code and version are stored with other content, store the edited
            template under the next free version (``1.0`` → ``1.1``) instead of refusing.

    Raises:
        InputFileError / ChecklistFormatError: the file cannot be read or breaks the rules.
        ValidationError: same code and version with other content and ``new_version`` False.
    """
    path = Path(path)
    return store_template(ctx, read_template_file(path), path.name, new_version)[0]


def read_template_file(path: str | Path) -> ChecklistTemplate:
    """Read and validate a template file (.xlsx/.xls/.ods or .yaml/.yml); no database.

    Raises:
        InputFileError / ChecklistFormatError: the file cannot be read or breaks the rules (the
            message names the file and the row or YAML line).
    """
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return checklist_repo.read_yaml_template(path)
    from workbench.importers.checklist_xlsx import read_template_xlsx  # on use: loads openpyxl

    return read_template_xlsx(path)


def stored_as(ctx: Context, template: ChecklistTemplate) -> tuple[str, TemplateRecord | None]:
    """How ``template`` compares with what is stored (read only, once the built-ins are seeded):
    ``("new", None)``, ``("same", record)`` (this content is stored already) or ``("changed",
    record)`` (its code and version are stored with other content: storing it needs
    ``new_version``)."""
    ensure_builtins(ctx)
    existing = checklist_repo.find(ctx.conn, template.code, template.version)
    if existing is None:
        return "new", None
    return ("same" if existing.sha256 == checklist_repo.content_sha256(template) else "changed"), existing


def store_template(ctx: Context, template: ChecklistTemplate, source: str,
                   new_version: bool = False) -> tuple[TemplateRecord, bool]:
    """Store a template read by :func:`read_template_file` (``source``: the file's name).

    Returns:
        (the stored record, True when it was stored now; False when the same content was
        already stored, under this version or — with ``new_version`` — a later one).

    Raises:
        ValidationError: same code and version with other content and ``new_version`` False.
    """
    ensure_builtins(ctx)    # else an edited copy could take a built-in's (code, version) for good
    with transaction(ctx.conn):
        if new_version:
            template = replace(template, version=checklist_repo.free_version(ctx.conn, template))
        created = checklist_repo.find(ctx.conn, template.code, template.version) is None
        return checklist_repo.save(ctx.conn, template, ctx.author, source=source), created


def export_template(ctx: Context, template_id: str, path: str | Path) -> None:
    """Write the stored template version ``template_id`` to an Excel file.

    Raises:
        NotFoundError: no such template; WorkbenchError: the file cannot be written.
    """
    _record, template = checklist_repo.get(ctx.conn, template_id)
    from workbench.exporters.checklist_xlsx import write_template_xlsx  # on use: loads openpyxl

    write_template_xlsx(template, path)


def find_template(ctx: Context, key: str, version: str | None = None) -> TemplateRecord:
    """A stored template by code (latest version unless ``version``) or by record id.

    Raises:
        NotFoundError: no such template.
    """
    ensure_builtins(ctx)
    record = checklist_repo.find(ctx.conn, key, version)
    if record is None:
        record, _template = checklist_repo.get(ctx.conn, key)
    return record


def describe_templates(ctx: Context, latest_only: bool = True) -> list[dict]:
    """Templates as plain JSON values (``workbench checklist list --json``): id (code), record id,
    title, version, item count, and per item its code and basis."""
    out = []
    for record in list_templates(ctx, latest_only):
        _rec, template = checklist_repo.get(ctx.conn, record.id)
        out.append({
            "id": record.code, "record_id": record.id, "title": record.title, "version": record.version,
            "item_count": record.item_count,
            "items": [{"code": item.code, "basis": [c.text for c in item.basis]} for item in template.items],
        })
    return out
