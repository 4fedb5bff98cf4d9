"""Finding severities (问题等级) and the default rectification term for each."""

from __future__ import annotations

from workbench.errors import ValidationError

SEVERITIES = ("high", "medium", "low")
SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低"}

# Default terms, all in working days: a product choice (facts.md §9–§10). Counting follows
# 民法典 第二百零一条/第二百零三条 (the term starts the next day; a last day on a holiday moves to
# the next working day); 行政强制法 第六十九条 governs coercive-measure periods and is not the rule
# for a rectification deadline. One unit for every severity means one notice never mixes units
# and a term never shrinks over a long holiday such as the Spring Festival.
DEFAULT_TERMS: dict[str, tuple[int, str]] = {
    "high": (5, "working"),
    "medium": (10, "working"),
    "low": (15, "working"),
}


def check_severity(severity: str) -> str:
    """Return ``severity`` unchanged when it is one of ``SEVERITIES``.

    Raises:
        ValidationError: an unknown severity (Chinese message naming it).
    """
    if severity not in SEVERITY_LABELS:
        raise ValidationError(f"问题等级应为“高”“中”“低”之一，当前为：{severity!r}")
    return severity


def default_term(severity: str) -> tuple[int, str]:
    """The default rectification term for ``severity``: ``(days, unit)``, unit ``working``.

    Raises:
        ValidationError: an unknown severity.
    """
    return DEFAULT_TERMS[check_severity(severity)]
