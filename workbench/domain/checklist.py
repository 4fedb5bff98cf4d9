"""Checklist templates (检查表模板): items, legal citations, validation, responses and scoring."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workbench.domain.checklist_ids import identifier_problem
from workbench.domain.severity import SEVERITY_LABELS
from workbench.errors import InputFileError

#: Responses to a checklist item, in display order: code → Chinese label (DESIGN.md §4).
RESPONSES: dict[str, str] = {"compliant": "符合", "partial": "部分符合", "non_compliant": "不符合",
                             "not_applicable": "不适用", "not_checked": "未检查"}
#: Severities of a finding if an item is not met: code → Chinese label (high first).
SEVERITIES: dict[str, str] = dict(SEVERITY_LABELS)

#: When each law version cited by the built-in templates is in force: (first day, last day or
#: None). 网络安全法 2025 amendment in force 2026-01-01 (facts.md §8); 2016 text since 2017-06-01.
LAW_VERSIONS: dict[tuple[str, str], tuple[date, date | None]] = {
    ("中华人民共和国网络安全法", "2016"): (date(2017, 6, 1), date(2025, 12, 31)),
    ("中华人民共和国网络安全法", "2025修正"): (date(2026, 1, 1), None),
}

_CITATION = re.compile(r"^《(?P<law>[^》]+)》[（(](?P<version>[^）)]+)[）)]\s*(?P<clause>.*)$")
_BASIS_SPLIT = re.compile(r"[；;\n]+")
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")
BASIS_FORMAT_HINT = "依据应写作《法律或标准名称》（版本）条款，多个依据用“；”或换行分隔"


@dataclass(frozen=True)
class Citation:
    """One basis: ``law`` (law, regulation or standard), ``version`` of its text (``2016``,
    ``2025修正``; facts.md §8: store every citation with its law version) and ``clause``
    (e.g. ``第二十三条第（一）项``, may be empty)."""

    law: str
    version: str
    clause: str = ""

    @property
    def text(self) -> str:
        """The citation as written in templates and Excel: ``《law》（version）clause``."""
        return f"《{self.law}》（{self.version}）{self.clause}"

    def in_force_on(self, day: date) -> bool:
        """Whether this version is in force on ``day``; versions not in LAW_VERSIONS count as yes."""
        first, last = LAW_VERSIONS.get((self.law, self.version), (date.min, None))
        return first <= day and (last is None or day <= last)


def parse_basis(value: Any) -> tuple[Citation, ...]:
    """Read citations from text (``；``/newline separated) or a list of texts.

    Raises:
        ValueError: a part is not ``《name》（version）clause`` (message: BASIS_FORMAT_HINT).
    """
    out = []
    for part in _parts(value, _BASIS_SPLIT):
        m = _CITATION.match(part)
        if not m or not m["law"].strip() or not m["version"].strip():
            raise ValueError(f"无法识别的依据“{part}”；{BASIS_FORMAT_HINT}")
        out.append(Citation(m["law"].strip(), m["version"].strip(), m["clause"].strip()))
    return tuple(out)


def basis_in_force(citations: Sequence[Citation], day: date) -> tuple[Citation, ...]:
    """The citations whose law version is in force on ``day`` (all of them if none is)."""
    return tuple(c for c in citations if c.in_force_on(day)) or tuple(citations)


@dataclass(frozen=True)
class ChecklistSection:
    """A section (章节/分类) of a template: ``code`` unique in the template, ``title`` shown."""

    code: str
    title: str


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist item (检查项).

    Attributes:
        code, section: unique item code (e.g. ``B-03``) and the code of its section.
        requirement, guidance: what must be true (检查要求) and how to check it (检查方法).
        basis: the citations it rests on, each with its law version.
        severity: ``high`` | ``medium`` | ``low``, the finding's severity if not met.
        responses: allowed response codes (subset of RESPONSES, default all five).
        levels: MLPS levels the item applies to (empty = every level), e.g. ``(2, 3)``.
        rectification: optional fixed rectification requirement (整改要求) for findings.
    """

    code: str
    section: str
    requirement: str
    guidance: str
    basis: tuple[Citation, ...]
    severity: str
    responses: tuple[str, ...] = tuple(RESPONSES)
    levels: tuple[int, ...] = ()
    rectification: str = ""

    def applies_to(self, level: int | None) -> bool:
        """Whether the item is part of an inspection at MLPS ``level`` (None = any level)."""
        return level is None or not self.levels or level in self.levels


@dataclass(frozen=True)
class ChecklistTemplate:
    """A checklist template (检查表模板): ``code`` + ``version`` identify it (UNIQUE in the DB)."""

    code: str
    title: str
    version: str
    scope: str
    sections: tuple[ChecklistSection, ...]
    items: tuple[ChecklistItem, ...]

    def section(self, code: str) -> ChecklistSection:
        """The section with ``code``. Raises KeyError if there is none."""
        return {s.code: s for s in self.sections}[code]

    def item(self, code: str) -> ChecklistItem:
        """The item with ``code``. Raises KeyError if there is none."""
        return {i.code: i for i in self.items}[code]

    def items_for(self, level: int | None) -> tuple[ChecklistItem, ...]:
        """The items of an inspection at MLPS ``level`` (None: all items), in template order."""
        return tuple(it for it in self.items if it.applies_to(level))



@dataclass(frozen=True)
class RawRow:
    """Unvalidated ``values`` (field name → raw value) of one section or item from a file;
    ``row`` is its 1-based line (YAML) or sheet row (Excel) for messages, None if unknown."""

    row: int | None
    values: Mapping[str, Any]


class ChecklistFormatError(InputFileError):
    """A template file breaks the template rules; ``problems`` lists every one found as
    (row, column, message) tuples; the error's own row/column are those of the first."""

    def __init__(self, path: str, problems: Sequence[tuple[int | None, str, str]]):
        self.problems = tuple(problems)
        row, column, message = self.problems[0]
        more = f"（另有 {len(self.problems) - 1} 处问题）" if len(self.problems) > 1 else ""
        super().__init__(message + more, path=path, row=row, column=column)


@dataclass
class _Collector:
    columns: Mapping[str, str]
    problems: list = field(default_factory=list)

    def add(self, row: int | None, key: str, message: str) -> None:
        self.problems.append((row, self.columns.get(key, key), message))


def _text(value: Any) -> str:
    value = int(value) if isinstance(value, float) and value.is_integer() else value
    return "" if value is None else str(value).strip()


def _parts(value: Any, sep: re.Pattern = _LIST_SPLIT) -> list[str]:
    """Non-empty stripped parts of a list, or of text split at ``sep``."""
    raw = value if isinstance(value, list | tuple) else sep.split(_text(value))
    return [t for t in (_text(p) for p in raw) if t]


def parse_severity(value: Any) -> str:
    """``high``/``medium``/``low`` from English or Chinese (高/中/低, 高危/中危/低危).

    Raises:
        ValueError: anything else.
    """
    text = _text(value).lower().removesuffix("危")
    if not text:
        raise ValueError("严重程度为空，应为 高/中/低 或 high/medium/low")
    for code, label in SEVERITIES.items():
        if text in (code, label):
            return code
    raise ValueError(f"未知的严重程度“{_text(value)}”，应为 高/中/低 或 high/medium/low")


def parse_responses(value: Any) -> tuple[str, ...]:
    """Allowed responses from codes or Chinese labels; empty means all five, in RESPONSES order.

    Raises:
        ValueError: an unknown response.
    """
    wanted = set()
    for part in _parts(value):
        code = part if part in RESPONSES else next((c for c, lb in RESPONSES.items() if lb == part), None)
        if code is None:
            raise ValueError(f"未知的检查结论“{part}”，应为 {'、'.join(RESPONSES.values())}")
        wanted.add(code)
    return tuple(c for c in RESPONSES if c in wanted) if wanted else tuple(RESPONSES)


def parse_levels(value: Any) -> tuple[int, ...]:
    """MLPS levels (1–4) from a list or text like ``2、3``; empty means every level.

    Raises:
        ValueError: a part that is not a level 1–4.
    """
    parts = [p.removeprefix("第").removesuffix("级") for p in _parts(value)]
    for bad in (p for p in parts if p not in ("1", "2", "3", "4")):
        raise ValueError(f"适用等级“{bad}”无效，应为 1–4 的数字")
    return tuple(sorted({int(p) for p in parts}))


def build_template(header: Mapping[str, Any], sections: Sequence[RawRow], items: Sequence[RawRow],
                   path: str = "", columns: Mapping[str, str] | None = None,
                   header_row: int | None = None) -> ChecklistTemplate:
    """Validate raw values into a template, collecting every problem with its row and column.

    Rules: template id, title and version present; section codes present and unique with a
    title, id and version safe (:mod:`workbench.domain.checklist_ids`); item code present and unique, known section, non-empty requirement, severity
    high/medium/low (or 高/中/低), at least one basis ``《name》（version）clause``, responses
    and levels valid; every section has at least one item.

    Args:
        header: ``id``, ``title``, ``version``, ``scope``; sections/items: rows from the file.
        path: the file, for messages; header_row: row of the header values, if known.
        columns: field → column name shown in messages (Excel headers); default field names.

    Raises:
        ChecklistFormatError: one or more rules are broken (row/column of the first problem).
    """
    out = _Collector(columns or {})
    for key in ("id", "title", "version"):
        label = out.columns.get(key, key)
        if not _text(header.get(key)):
            out.add(header_row, key, f"模板缺少必填信息“{label}”")
        elif why := identifier_problem(key, label, _text(header.get(key))):
            out.add(header_row, key, why)
    secs = _sections(sections, out)
    its = _items(items, {s.code for s in secs}, out)
    used = {_text(raw.values.get("section")) for raw in items}
    for s in secs:
        if s.code not in used:
            out.add(None, "section", f"章节“{s.code} {s.title}”下没有检查项")
    if not its and not out.problems:
        out.add(None, "code", "模板中没有检查项")
    if out.problems:
        raise ChecklistFormatError(path, out.problems)
    return ChecklistTemplate(_text(header.get("id")), _text(header.get("title")),
                             _text(header.get("version")), _text(header.get("scope")),
                             tuple(secs), tuple(its))


def _sections(rows: Sequence[RawRow], out: _Collector) -> list[ChecklistSection]:
    found: dict[str, ChecklistSection] = {}
    for raw in rows:
        code, title = _text(raw.values.get("code")), _text(raw.values.get("title"))
        if not code:
            out.add(raw.row, "section", "章节缺少编号")
        elif code in found:
            out.add(raw.row, "section", f"章节编号“{code}”重复")
        elif not title:
            out.add(raw.row, "section", f"章节“{code}”缺少名称")
        else:
            found[code] = ChecklistSection(code, title)
    return list(found.values())


def _items(rows: Sequence[RawRow], section_codes: set[str], out: _Collector) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    seen: dict[str, int | None] = {}
    for raw in rows:
        v, row = raw.values, raw.row
        code = _text(v.get("code"))
        before = len(out.problems)
        if not code:
            out.add(row, "code", "检查项缺少编号")
        elif code in seen:
            first = f"（首次出现在第 {seen[code]} 行）" if seen[code] is not None else ""
            out.add(row, "code", f"检查项编号“{code}”重复{first}")
        else:
            seen[code] = row
        section = _text(v.get("section"))
        if not section:
            out.add(row, "section", "检查项缺少所属章节")
        elif section not in section_codes:
            out.add(row, "section", f"检查项所属章节“{section}”不存在")
        requirement = _text(v.get("requirement"))
        if not requirement:
            out.add(row, "requirement", "检查要求为空")
        parsed = {k: _parse(fn, v.get(k), row, k, out) for k, fn in _PARSERS.items()}
        if parsed["basis"] == ():
            out.add(row, "basis", f"检查项未写明依据；{BASIS_FORMAT_HINT}")
        if len(out.problems) == before:
            items.append(ChecklistItem(code, section, requirement, _text(v.get("guidance")),
                                       rectification=_text(v.get("rectification")), **parsed))
    return items


_PARSERS = {"basis": parse_basis, "severity": parse_severity, "responses": parse_responses,
            "levels": parse_levels}


def _parse(fn, value: Any, row: int | None, key: str, out: _Collector) -> Any:
    try:
        return fn(value)
    except ValueError as err:
        out.add(row, key, str(err))
        return None



def lower_severity(severity: str) -> str:
    """One level lower (high → medium → low; low stays low), used for partially met items."""
    return {"high": "medium", "medium": "low", "low": "low"}[severity]


@dataclass(frozen=True)
class Tally:
    """Counts of responses over a set of items, and the score they give.

    Scoring rule (this module's definition): compliant = 1 point, partial = 0.5, non_compliant
    = 0; not_applicable is excluded from the denominator; not_checked (or no answer) is excluded
    too but reported as unanswered. ``score`` = points ÷ (compliant + partial + non_compliant)
    × 100, a float 0–100, or None when nothing applicable has been answered. Progress is
    ``answered`` ÷ ``total`` (not_applicable counts as answered).

    Properties: ``answered`` (response other than not_checked), ``unanswered``, ``applicable``
    (the denominator), ``points`` and ``score``.
    """

    total: int = 0
    compliant: int = 0
    partial: int = 0
    non_compliant: int = 0
    not_applicable: int = 0

    @property
    def answered(self) -> int:
        return self.compliant + self.partial + self.non_compliant + self.not_applicable

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def applicable(self) -> int:
        return self.compliant + self.partial + self.non_compliant

    @property
    def points(self) -> float:
        return self.compliant + 0.5 * self.partial

    @property
    def score(self) -> float | None:
        return self.points / self.applicable * 100 if self.applicable else None

    def add(self, response: str | None) -> Tally:
        """This tally with one more item answered ``response`` (None = unanswered)."""
        keys = ("compliant", "partial", "non_compliant", "not_applicable")
        return Tally(self.total + 1, *(getattr(self, k) + (k == response) for k in keys))


@dataclass(frozen=True)
class SectionScore:
    """The tally of one section: ``code``/``title`` of the section, ``tally`` of its items."""

    code: str
    title: str
    tally: Tally


@dataclass(frozen=True)
class ScoreSheet:
    """Scores per section (template order, sections without items in scope left out) and overall."""

    sections: tuple[SectionScore, ...]
    overall: Tally


def score(template: ChecklistTemplate, answers: Mapping[str, str], level: int | None = None,
          only: Collection[str] | None = None) -> ScoreSheet:
    """Tally ``answers`` (item code → response code) per section and overall (rule: see Tally).

    Args:
        template: the template the inspection ran with.
        answers: responses by item code; missing items count as unanswered.
        level: MLPS level of the inspection (items for other levels are left out).
        only: if given, just these item codes (e.g. the items of a re-inspection round).
    """
    per: dict[str, Tally] = {}
    overall = Tally()
    for it in template.items_for(level):
        if only is not None and it.code not in only:
            continue
        per[it.section] = per.get(it.section, Tally()).add(answers.get(it.code))
        overall = overall.add(answers.get(it.code))
    sections = tuple(SectionScore(s.code, s.title, per[s.code]) for s in template.sections if s.code in per)
    return ScoreSheet(sections, overall)
