"""Websites and sponsors as an import produces them: canonical values plus problem reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Domain:
    """One domain of a website: ``name`` in Unicode lower case, ``ascii`` its IDNA (punycode) form."""

    name: str
    ascii: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one cell or row of an input file.

    Attributes:
        row: 1-based row number in the original sheet (None: the whole file).
        column: the column's header text as in the file ('' for the whole row).
        code: stable machine code, e.g. ``uscc_check_digit``.
        severity: ``error`` rejects the row; ``warning`` keeps it with a flag.
        message: Chinese sentence for the user.
        value: the original cell text.
    """

    row: int | None
    column: str
    code: str
    severity: str
    message: str
    value: str = ""

    def as_dict(self) -> dict:
        """The JSON shape used by ``workbench import --json``: row, column, code, severity, message, value."""
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "value": self.value,
        }


@dataclass(frozen=True, slots=True)
class SiteRecord:
    """One website row after normalisation, ready to store.

    Filing numbers are canonical (``鲁ICP备12345678号-1``); ``approved_on`` is a local calendar
    day; ``flags`` are the warning codes found on the row (shown on the review screen).
    """

    source_row: int
    site_filing_no: str
    subject_filing_no: str = ""
    sponsor_name: str = ""
    sponsor_nature: str = ""
    uscc: str = ""
    city: str = ""
    site_name: str = ""
    domains: tuple[Domain, ...] = ()
    homepage: str = ""
    access_provider: str = ""
    ip: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    email: str = ""
    approved_on: date | None = None
    psb_filing_no: str = ""
    remark: str = ""
    flags: tuple[str, ...] = field(default=())

    def comparable(self) -> dict:
        """The stored fields as plain values, for change reports between imports."""
        return {
            "subject_filing_no": self.subject_filing_no,
            "sponsor_name": self.sponsor_name,
            "sponsor_nature": self.sponsor_nature,
            "uscc": self.uscc,
            "city": self.city,
            "site_name": self.site_name,
            "domains": [d.name for d in self.domains],
            "homepage": self.homepage,
            "access_provider": self.access_provider,
            "ip": self.ip,
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "email": self.email,
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "psb_filing_no": self.psb_filing_no,
            "remark": self.remark,
        }
