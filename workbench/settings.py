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

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings from ``path``; a missing or unreadable file gives the defaults (logged)."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as err:
            log.warning("设置文件无法读取，使用默认设置：%s（%s）", path, err)
            return cls()
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in raw.items() if isinstance(raw, dict) else ():
            if key in known and isinstance(value, type(getattr(cls(), key))):
                values[key] = value
        return cls(**values)

    def save(self, path: Path) -> None:
        """Write the settings as JSON (atomically: temp file then rename)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)


def missing_identity(inspector: str, unit: str) -> str | None:
    """Why real work cannot start yet, or None: the inspector's name and unit are both needed
    before the first record is written (the name goes on every row, never the computer's login
    name; the unit is offered as a campaign's 检查机关 and printed on documents)."""
    missing = [label for label, value in (("姓名", inspector), ("所在单位", unit)) if not value.strip()]
    if not missing:
        return None
    return f"请填写您的{'和'.join(missing)}：每条记录都要记下是谁做的，文书上也要印出。"
