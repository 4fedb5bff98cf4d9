"""What a re-import changed, as table lines: one per changed field, one per site no longer listed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from workbench.gui.models.record_table_model import Column
from workbench.services.site_import import FIELD_LABELS

EMPTY = "（空）"
FIELD_ORDER = {field: i for i, field in enumerate(FIELD_LABELS)}  # the list's column order


@dataclass(frozen=True)
class ChangeLine:
    """One field of one site whose filed value differs from the previous import.

    Attributes:
        site_filing_no: the site (网站备案号); site_name its name in the new list ('' if unknown).
        field: the SiteRecord field name (a key of ``SiteRecord.comparable()``); label its Chinese label.
        old, new: the values as shown (lists joined with ``；``, nothing as ``（空）``).
    """

    site_filing_no: str
    site_name: str
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class MissingLine:
    """A site stored before but absent from this list (kept in the campaign, shown grey)."""

    site_filing_no: str


def _field_key(field: str) -> tuple[int, str]:
    return FIELD_ORDER.get(field, len(FIELD_ORDER)), field


def value_text(value) -> str:
    """A stored comparable value as text: lists joined with ``；``, None or '' as ``（空）``."""
    if isinstance(value, list | tuple):
        value = "；".join(str(v) for v in value)
    return EMPTY if value is None or value == "" else str(value)


def change_lines(changed: Mapping[str, Mapping[str, list]], names: Mapping[str, str] | None = None) -> list[ChangeLine]:
    """Flatten ``ChangeReport.changed`` ({site_filing_no: {field: [old, new]}}) into lines.

    Sites are ordered by filing number, fields in the order of ``FIELD_LABELS`` (the list's
    column order); fields without a label keep their name.

    Args:
        names: site filing number → site name, for the name column.
    """
    names = names or {}
    lines = []
    for number in sorted(changed):
        fields = sorted(changed[number], key=_field_key)
        for field in fields:
            old, new = changed[number][field]
            lines.append(ChangeLine(number, names.get(number, ""), field, FIELD_LABELS.get(field, field),
                                    value_text(old), value_text(new)))
    return lines


CHANGE_COLUMNS = (
    Column("网站备案号", lambda r: r.site_filing_no),
    Column("网站名称", lambda r: r.site_name),
    Column("变更字段", lambda r: r.label, lambda r: _field_key(r.field)),
    Column("原值", lambda r: r.old),
    Column("现值", lambda r: r.new),
)
MISSING_COLUMNS = (Column("网站备案号", lambda r: r.site_filing_no),)
