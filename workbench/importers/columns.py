"""The fields a site list can carry, their Chinese labels and the header synonym table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from workbench.domain.text import compact_text
from workbench.errors import WorkbenchError
from workbench.paths import resources_dir

# Field name → label for the column-mapping dialog; names are SiteRecord's fields plus
# ``serial`` (the 序号 row counter, never data). Order is the dialog's order.
FIELD_LABELS: dict[str, str] = {
    "serial": "序号",
    "site_filing_no": "网站备案号",
    "subject_filing_no": "主体备案号",
    "sponsor_name": "主办单位名称",
    "sponsor_nature": "主办单位性质",
    "uscc": "统一社会信用代码",
    "city": "地市",
    "site_name": "网站名称",
    "domains": "网站域名",
    "homepage": "网站首页网址",
    "access_provider": "接入服务商",
    "ip": "IP地址",
    "contact_name": "网站负责人",
    "contact_phone": "联系电话",
    "email": "电子邮箱",
    "approved_on": "审核通过日期",
    "psb_filing_no": "公安备案号",
    "remark": "备注",
}

SYNONYMS_FILE = "column_synonyms.yaml"
# Notes people add to headers: （必填）, [选填], 【说明】, a leading/trailing * or a colon.
_NOTE_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|^\*+|[*:]+$")


def header_key(text: str) -> str:
    """The form a header is compared in: NFKC, no spaces or line breaks, upper case, no notes.

    Args:
        text: a header cell's text.

    Returns:
        E.g. ``网站\\n备案号（必填）`` → ``网站备案号``; ``E-mail`` → ``E-MAIL``.
    """
    key = compact_text(text).upper()
    stripped = _NOTE_RE.sub("", key)
    return stripped or key


@dataclass(frozen=True)
class SynonymTable:
    """Header text → field, loaded from ``resources/column_synonyms.yaml``.

    Attributes:
        exact: header key → field.
        suffixes: (synonym key, field), longest first, for headers that end with a synonym
            (``网站负责人手机号码`` ends with ``手机号码``).
        groups: group header key → context (``sponsor``, ``site``, ``contact``).
        qualified: context → {sub-header key → field}.
    """

    exact: dict[str, str]
    suffixes: tuple[tuple[str, str], ...]
    groups: dict[str, str]
    qualified: dict[str, dict[str, str]]

    def match(self, header: str, group: str = "", *, loose: bool = False) -> str | None:
        """The field a column holds, or None when the header is not recognised.

        Args:
            header: the column's own header text.
            group: the text of the group cell above it in a two-row header, or ''.
            loose: also accept a header that merely ends with a synonym; callers try exact
                matches for every column first, so a loose match never takes a field an exact
                header elsewhere claims.

        Returns:
            A key of :data:`FIELD_LABELS`, or None.
        """
        key = header_key(header)
        if not key:
            return None
        group_key = header_key(group) if group else ""
        context = self.groups.get(group_key)
        if context and key in self.qualified.get(context, {}):
            return self.qualified[context][key]
        field = self.exact.get(key) or (self.exact.get(group_key + key) if group_key else None)
        if field or not loose:
            return field
        for synonym, candidate in self.suffixes:
            if key.endswith(synonym):
                return candidate
        return None


@lru_cache(maxsize=4)
def load_synonyms(path: Path | None = None) -> SynonymTable:
    """Load the synonym table (cached).

    Args:
        path: the YAML file; default ``resources_dir() / column_synonyms.yaml``.

    Raises:
        WorkbenchError: the file is missing or malformed (an installation fault).
    """
    source = path or resources_dir() / SYNONYMS_FILE
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        exact = {header_key(label): field for field, label in FIELD_LABELS.items()}
        for field, entry in data["fields"].items():
            if field not in FIELD_LABELS:
                raise KeyError(field)
            exact.update({header_key(str(s)): field for s in entry["synonyms"]})
        groups = {header_key(g): ctx for ctx, names in data["groups"].items() for g in names}
        qualified = {
            ctx: {header_key(k): v for k, v in subs.items()} for ctx, subs in data["qualified"].items()
        }
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as err:
        raise WorkbenchError(f"列名同义词表 {source} 缺失或格式错误（{err}），请重新安装") from err
    suffixes = tuple(sorted(((k, f) for k, f in exact.items() if len(k) >= 2), key=lambda p: -len(p[0])))
    return SynonymTable(exact, suffixes, groups, qualified)
