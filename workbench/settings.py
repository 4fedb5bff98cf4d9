"""The user's settings: a typed dataclass stored as JSON in the config folder. No Qt."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass
class Settings:
    """User preferences with defaults; unknown keys are dropped and missing keys get defaults.

    Attributes:
        inspector: the user's name, written on every row and printed on documents.
        unit: the user's unit (所在单位), offered as a new campaign's 检查机关.
        contact, contact_phone: printed on notices as the person to report back to.
        review_term_days, review_term_unit: default rectification term for findings from an ICP
            filing review (days; ``working`` or ``calendar``).
        holiday_file: optional user file with next year's holiday data (see domain/calendar.py).
        last_folder: the folder last used in a file dialog.
        self_reference: how the authority names itself on documents (我办, 我局…; never 我单位).
        notice_title: title of rectification notices: 责令限期改正通知书 for an order under cited
            provisions, 整改通知书 for an advisory letter; ``campaign_titles`` overrides it per
            campaign name.
        inspection_basis: the legal basis of inspections, printed in a notice's opening.
        review_body, court: the 行政复议机关 and the 人民法院 named in an order's 复议/诉讼 clause;
            review_days, litigation_months: the terms (60 日, 6 个月).
        deadline_from_receipt: terms run from receipt of the notice (自收到本通知书之日起…)
            instead of a date fixed at issue.
        preprinted_letterhead: print on pre-printed 红头纸: leave every red element out.
        welcomed: the first-run welcome page was shown (it asks for name, unit and contact once).
        fonts: the font file chosen per document role (``title``, ``body``, ``heading1``,
            ``heading2``, ``page_number`` → path of a .ttf/.ttc, ``path#index`` for a face of a
            collection); a role left out is found automatically (reports/fonts.py).
        import_unpacked_limit_mb: the most an xlsx/ods file may unpack to (MiB) before an import
            refuses it as a zip bomb or an oversized table (importers/xlsx_guard.py).
        import_compression_ratio_limit: the most such a file may inflate relative to its size.
    """

    inspector: str = ""
    unit: str = ""
    contact: str = ""
    contact_phone: str = ""
    review_term_days: int = 10
    review_term_unit: str = "working"
    holiday_file: str = ""
    last_folder: str = ""
    self_reference: str = "我办"
    notice_title: str = "责令限期改正通知书"
    campaign_titles: dict[str, str] = field(default_factory=dict)
    inspection_basis: str = "《中华人民共和国网络安全法》"
    review_body: str = ""
    court: str = ""
    review_days: int = 60
    litigation_months: int = 6
    deadline_from_receipt: bool = False
    preprinted_letterhead: bool = False
    welcomed: bool = False
    fonts: dict[str, str] = field(default_factory=dict)
    import_unpacked_limit_mb: int = 1024
    import_compression_ratio_limit: int = 100
    #: Why some of the file was not used ('' when all was); set by :meth:`load`, never saved.
    load_problem: str = field(default="", repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings from ``path``; a missing file gives the defaults.

        A file that is not a JSON object (damaged, emptied, half-written by another program) is
        copied aside to ``<name>.damaged-<UTC time>`` before anything can save over it, and the
        defaults are used. A value of the wrong type or outside its range (``review_term_days``
        −5, ``review_term_unit`` "weeks", ``true`` for a number) is left out, so its default
        applies. Control and bidi control characters are removed from text that is stamped on
        records or printed (names, unit, document wording). What was dropped is said in the
        result's ``load_problem`` ('' when nothing), which the command line prints as a warning.
        """
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as err:
            return cls._damaged(path, f"无法读取（{err}）")
        if not isinstance(raw, dict):
            return cls._damaged(path, "内容不是设置（应为 JSON 对象）")
        defaults = cls()
        values, dropped = {}, []
        for f in fields(cls):
            if f.name not in raw or f.name == "load_problem":
                continue
            value = _valid(f.name, raw[f.name], getattr(defaults, f.name))
            if value is _INVALID:
                dropped.append(f.name)
            else:
                values[f.name] = value
        settings = cls(**values)
        if dropped:
            settings.load_problem = (f"设置文件 {path} 中这些设置的值无效，已改用默认值：{'、'.join(dropped)}"
                                     "（可在“工具 › 设置”中重新填写）")
            log.warning(settings.load_problem)
        return settings

    @classmethod
    def _damaged(cls, path: Path, why: str) -> Settings:
        import shutil
        from datetime import UTC, datetime

        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.damaged-{stamp}")
        try:
            data = path.read_bytes()
            same = [p for p in sorted(path.parent.glob(f"{path.name}.damaged-*")) if p.read_bytes() == data]
            if same:        # kept already on an earlier run
                kept = same[0]
            else:
                shutil.copy2(path, kept)
            where = f"原文件已另存为 {kept}"
        except OSError as err:
            where = f"原文件无法另存（{err}）"
        settings = cls()
        settings.load_problem = f"设置文件 {path} 已损坏，{why}；已按默认设置运行，{where}。请在“工具 › 设置”中重新填写姓名和单位"
        log.warning(settings.load_problem)
        return settings

    def save(self, path: Path) -> None:
        """Write the settings as JSON (atomically: temp file then rename)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        values = asdict(self)
        values.pop("load_problem")
        tmp.write_text(json.dumps(values, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)


_INVALID = object()
#: Text settings printed on documents or stamped on records: control and bidi control
#: characters are removed on load (paths — holiday_file, last_folder — are left as they are).
_PRINTED = ("inspector", "unit", "contact", "contact_phone", "self_reference", "notice_title",
            "inspection_basis", "review_body", "court")
#: Allowed ranges of number settings (inclusive) and values of choice settings.
_RANGES = {"review_term_days": (1, 365), "review_days": (1, 365), "litigation_months": (1, 120),
           "import_unpacked_limit_mb": (1, 64 * 1024), "import_compression_ratio_limit": (2, 100_000)}
_CHOICES = {"review_term_unit": ("working", "calendar")}


def _valid(name: str, value, default):
    """``value`` as the setting ``name`` may hold it, or _INVALID."""
    from workbench.domain.text import HIDDEN_RE

    if type(value) is not type(default):      # bool is no int here, a list no dict
        return _INVALID
    if isinstance(value, dict):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return _INVALID
    if name in _RANGES and not _RANGES[name][0] <= value <= _RANGES[name][1]:
        return _INVALID
    if name in _CHOICES and value not in _CHOICES[name]:
        return _INVALID
    if name in _PRINTED:
        value = HIDDEN_RE.sub("", value)
    return value


def missing_identity(inspector: str, unit: str) -> str | None:
    """Why real work cannot start yet, or None: the inspector's name and unit are both needed
    before the first record is written (the name goes on every row, never the computer's login
    name; the unit is offered as a campaign's 检查机关 and printed on documents)."""
    missing = [label for label, value in (("姓名", inspector), ("所在单位", unit)) if not value.strip()]
    if not missing:
        return None
    return f"请填写您的{'和'.join(missing)}：每条记录都要记下是谁做的，文书上也要印出。"
