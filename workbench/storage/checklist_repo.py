"""Storing checklist templates: canonical JSON, YAML files, the built-ins and versioned DB rows."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from workbench.domain.checklist import (
    ChecklistFormatError,
    ChecklistTemplate,
    RawRow,
    build_template,
)
from workbench.domain.inspection import TemplateRecord
from workbench.errors import InputFileError, NotFoundError, ValidationError, WorkbenchError
from workbench.paths import resources_dir
from workbench.storage.records import Author, insert_row, stamp

_COLUMNS = "id, code, title, version, scope, sha256, source, builtin, item_count, created_at"


# --- canonical form ------------------------------------------------------------------------------


def template_to_dict(t: ChecklistTemplate) -> dict:
    """The plain-data form of ``t`` (the YAML layout with every field present)."""
    items = [
        {"code": i.code, "section": i.section, "requirement": i.requirement, "guidance": i.guidance,
         "basis": [c.text for c in i.basis], "severity": i.severity, "responses": list(i.responses),
         "levels": [str(lv) for lv in i.levels], "rectification": i.rectification}
        for i in t.items
    ]
    return {"id": t.code, "title": t.title, "version": t.version, "scope": t.scope,
            "sections": [{"code": s.code, "title": s.title} for s in t.sections], "items": items}


def canonical_json(t: ChecklistTemplate) -> str:
    """``template_to_dict(t)`` as compact JSON with sorted keys (the stored ``content``)."""
    return json.dumps(template_to_dict(t), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_sha256(t: ChecklistTemplate) -> str:
    """SHA-256 (64 hex digits) of the canonical JSON: equal content, equal hash."""
    return hashlib.sha256(canonical_json(t).encode("utf-8")).hexdigest()


def next_version(version: str) -> str:
    """The version after ``version``: last number + 1 (``1.9`` → ``1.10``), else ``<v>.1``."""
    m = re.search(r"(\d+)(\D*)$", version)
    if not m:
        return f"{version}.1"
    return f"{version[: m.start(1)]}{int(m.group(1)) + 1}{m.group(2)}"


def template_from_dict(data: Any, path: str = "") -> ChecklistTemplate:
    """Validate the dict form; mappings may carry ``__line__`` (1-based) for messages.

    Raises:
        ChecklistFormatError: the data breaks the template rules (see ``build_template``).
    """
    if not isinstance(data, Mapping):
        raise ChecklistFormatError(path, [(None, "id", "模板文件的顶层应为键值映射")])
    rows = {}
    for key in ("sections", "items"):
        entries = data.get(key) or []
        if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
            raise ChecklistFormatError(path, [(data.get("__line__"), key, f"“{key}”应为映射的列表")])
        rows[key] = [RawRow(e.get("__line__"), e) for e in entries]
    return build_template(data, rows["sections"], rows["items"], path, header_row=data.get("__line__"))


# --- YAML files ----------------------------------------------------------------------------------


class _LineLoader(yaml.BaseLoader):
    """Every scalar stays text (no float versions like 1.10 → 1.1); mappings get ``__line__``."""

    def construct_mapping(self, node, deep=False):
        """PyYAML hook: build the mapping, then record its 1-based line."""
        mapping = super().construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    def compose_node(self, parent, index):
        """PyYAML hook: refuse aliases (``*name``). A template needs none, and nine nested
        aliases of nine make a few hundred bytes expand to 387 million strings ("billion
        laughs"), which would hang the import and eat the memory."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "模板文件中不允许使用 YAML 别名（*引用），请写出完整内容",
                                              event.start_mark)
        return super().compose_node(parent, index)


def template_from_yaml(text: str, path: str = "") -> ChecklistTemplate:
    """Parse and validate a YAML template; messages name the YAML line of the faulty entry.

    Raises:
        InputFileError: not valid YAML (with its line).
        ChecklistFormatError: the template breaks the rules.
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # BaseLoader: builds no Python objects
    except yaml.YAMLError as err:
        raise _yaml_error(err, path) from err
    except RecursionError as err:    # "[[[[…" nested past Python's limit
        raise InputFileError("YAML 嵌套层数过多，不是检查表模板", path=path) from err
    return template_from_dict(data, path)


def _yaml_error(err: yaml.YAMLError, path: str) -> InputFileError:
    """A YAML syntax error in Chinese, on the line where the faulty entry starts (a bracket or
    quote left open is reported by PyYAML only where the file ends), with PyYAML's own words."""
    mark, start = getattr(err, "problem_mark", None), getattr(err, "context_mark", None)
    hint = f"（解析器提示：{getattr(err, 'problem', None) or err}）"
    if mark is None:
        return InputFileError(f"YAML 格式错误{hint}", path=path)
    if start is not None and start.line < mark.line:
        return InputFileError(f"YAML 格式错误：从这一行第 {start.column + 1} 个字符开始的内容到第 {mark.line + 1} "
                              f"行仍未结束，请检查括号和引号是否成对{hint}", path=path, row=start.line + 1)
    return InputFileError(f"YAML 格式错误：第 {mark.column + 1} 个字符处不符合格式，请检查这一行及上一行的缩进、"
                          f"冒号、引号和括号{hint}", path=path, row=mark.line + 1)


def read_yaml_template(path: Path) -> ChecklistTemplate:
    """Read a YAML template file (UTF-8).

    Raises:
        InputFileError: the file cannot be read, is not YAML, or breaks the template rules.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputFileError(f"无法读取模板文件：不是 UTF-8 编码的文本（第 {err.start + 1} 个字节）", path=str(path)) from err
    except OSError as err:
        from workbench.errors import os_reason

        raise InputFileError(f"无法读取模板文件：{os_reason(err)}", path=str(path)) from err
    return template_from_yaml(text, str(path))


def builtin_template_files() -> list[Path]:
    """The YAML templates shipped in ``resources/checklists``, sorted by name."""
    return sorted((resources_dir() / "checklists").glob("*.yaml"))


# --- database rows -------------------------------------------------------------------------------




def _record(row: sqlite3.Row) -> TemplateRecord:
    return TemplateRecord(row["id"], row["code"], row["title"], row["version"], row["scope"],
                          row["sha256"], row["source"], bool(row["builtin"]), row["item_count"],
                          row["created_at"])


def find(conn: sqlite3.Connection, code: str, version: str | None = None) -> TemplateRecord | None:
    """The stored template ``code`` at ``version`` (default: the latest stored), or None."""
    if version is None:
        row = conn.execute(f"SELECT {_COLUMNS} FROM checklist_template WHERE code = ? "
                           "ORDER BY rowid DESC LIMIT 1", (code,)).fetchone()
    else:
        row = conn.execute(f"SELECT {_COLUMNS} FROM checklist_template WHERE code = ? AND version = ?",
                           (code, version)).fetchone()
    return _record(row) if row else None


def save(conn: sqlite3.Connection, template: ChecklistTemplate, author: Author, source: str = "",
         builtin: bool = False) -> TemplateRecord:
    """Store ``template``; storing the same content again returns the existing row (idempotent).

    Raises:
        ValidationError: this code and version are stored with different content (a changed
            template needs a new version, so inspections keep the one they ran with).
    """
    sha = content_sha256(template)
    existing = find(conn, template.code, template.version)
    if existing is not None:
        if existing.sha256 == sha:
            return existing
        raise ValidationError(f"模板“{template.code}”的版本 {template.version} 已存在且内容不同，"
                              "请更改版本号后再导入")
    # The same template content gets the same id on every laptop, so work packages merge the
    # built-in templates each laptop stored on its own instead of clashing on (code, version).
    row_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"workbench-template:{template.code}:{template.version}:{sha}"))
    values = stamp({"id": row_id, "code": template.code, "title": template.title, "version": template.version,
                    "scope": template.scope, "content": canonical_json(template), "sha256": sha,
                    "source": source, "builtin": int(builtin), "item_count": len(template.items)},
                   author, new=True)
    insert_row(conn, "checklist_template", values)
    return find(conn, template.code, template.version)


def free_version(conn: sqlite3.Connection, template: ChecklistTemplate) -> str:
    """The first of ``template.version``, its next versions… that is unused or already holds this
    same content (so importing an edited file twice stores it once)."""
    version = template.version
    while (rec := find(conn, template.code, version)) is not None:
        if rec.sha256 == content_sha256(replace(template, version=version)):
            break
        version = next_version(version)
    return version


def get(conn: sqlite3.Connection, template_id: str) -> tuple[TemplateRecord, ChecklistTemplate]:
    """The stored row ``template_id`` and its template content.

    Stored versions never change, so the parsed, hash-checked content is cached by its text.

    Raises:
        NotFoundError: no such row.
        WorkbenchError: the stored content no longer matches its SHA-256.
    """
    row = conn.execute(f"SELECT {_COLUMNS}, content FROM checklist_template WHERE id = ?",
                       (template_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"找不到检查表模板（{template_id}）")
    template = _stored_template(row["content"], row["sha256"], row["code"], row["title"], row["version"])
    return _record(row), template


@functools.lru_cache(maxsize=64)
def _stored_template(content: str, sha256: str, code: str, title: str, version: str) -> ChecklistTemplate:
    template = template_from_dict(json.loads(content), f"数据库模板 {code}")
    if content_sha256(template) != sha256:
        raise WorkbenchError(f"检查表模板“{title}”（版本 {version}）的内容校验值不符，"
                             "数据可能已被改动")
    return template


def list_records(conn: sqlite3.Connection, latest_only: bool = True) -> list[TemplateRecord]:
    """Stored templates by code; with ``latest_only`` just the newest version of each code."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM checklist_template ORDER BY code, rowid DESC").fetchall()
    out, seen = [], set()
    for row in rows:
        if latest_only and row["code"] in seen:
            continue
        seen.add(row["code"])
        out.append(_record(row))
    return out


def ensure_builtins(conn: sqlite3.Connection, author: Author) -> bool:
    """Load every built-in template into the database unless already there (idempotent).

    The YAML files are read, validated and hashed once per process (:func:`builtin_templates`);
    when every built-in is already stored with its hash this is one SELECT and writes nothing.

    Returns:
        True when rows were written (the caller's transaction must then commit).

    Raises:
        ValidationError: a built-in file changed without a new version (a packaging mistake).
        ChecklistFormatError: a built-in file is invalid.
    """
    missing = missing_builtins(conn)
    for name, template in missing:
        save(conn, template, author, source=name, builtin=True)
    return bool(missing)


def missing_builtins(conn: sqlite3.Connection) -> list[tuple[str, ChecklistTemplate]]:
    """The shipped templates (file name, template) not stored with their content hash (one SELECT)."""
    stored = {(r[0], r[1]): r[2] for r in conn.execute(
        "SELECT code, version, sha256 FROM checklist_template WHERE builtin = 1")}
    return [(name, t) for name, t, sha in builtin_templates() if stored.get((t.code, t.version)) != sha]


def builtin_templates() -> list[tuple[str, ChecklistTemplate, str]]:
    """The shipped templates as (file name, template, content SHA-256), parsed once per file version."""
    return [_builtin(str(p), p.stat().st_mtime_ns) for p in builtin_template_files()]


@functools.lru_cache(maxsize=32)
def _builtin(path: str, _mtime_ns: int) -> tuple[str, ChecklistTemplate, str]:
    template = read_yaml_template(Path(path))
    return Path(path).name, template, content_sha256(template)
