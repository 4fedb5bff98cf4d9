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
