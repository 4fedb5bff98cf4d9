"""One row an import wrote, as logged for 撤销导入 (storage/import_undo_repo.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowChange:
    """One logged row: ``entity`` (``sponsor``/``site``), its id, and the row as JSON-decoded
    dicts ``before`` (None: the import created it) and ``after`` (None: the import deleted it).
    A site's dict carries its domains under ``_domains`` as [id, domain, ascii, position] lists;
    a created row's ``after`` is ``{}`` (not kept) until the import is undone."""

    entity: str
    entity_id: str
    before: dict | None
    after: dict | None
