"""The finding (问题) lifecycle: statuses, actions and the one table of allowed transitions.

Statuses::

    pending                待整改     recorded, notice not yet delivered
    rectifying             整改中     notice delivered, the term runs
    awaiting_reinspection  待复查     the unit reported the rectification done
    closed                 已整改     re-inspection passed (final)
    failed_reinspection    复查未通过  re-inspection found it not corrected
    withdrawn              撤销       withdrawn with a reason (final)

Transitions (status, action → status)::

    pending     notify             → rectifying   送达整改通知 (deadline may be recomputed from 送达)
    pending     extend             → pending      延期 before delivery: reason + new deadline
    rectifying  report             → awaiting     单位报告整改完成
    rectifying  extend             → rectifying   延期 on the unit's request: reason + new deadline
    rectifying  pass_reinspection  → closed       复查 after the deadline without a report
    rectifying  fail_reinspection  → failed       复查 after the deadline without a report
    awaiting    pass_reinspection  → closed       复查通过
    awaiting    fail_reinspection  → failed       复查未通过
    failed      resume             → rectifying   重新整改 with a new deadline
    any open    withdraw           → withdrawn    撤销, reason required

Decisions:
- Re-inspection follows the deadline whether or not the unit reported (facts.md §7: the re-check
  comes within 3 working days of the deadline), so it is allowed from ``rectifying`` too;
  otherwise a unit that ignores the notice would keep its finding open for ever.
- ``extend`` is not offered after a failed re-inspection: the new term given then is a fresh
  rectification order (``resume``), not an extension, and one transition has one name.
- ``closed`` and ``withdrawn`` are final; a problem found again is a new finding.
"""

from __future__ import annotations

from datetime import date

from workbench.errors import IllegalTransitionError, ValidationError

PENDING = "pending"
RECTIFYING = "rectifying"
AWAITING = "awaiting_reinspection"
CLOSED = "closed"
FAILED = "failed_reinspection"
WITHDRAWN = "withdrawn"

STATUS_LABELS = {
    PENDING: "待整改",
    RECTIFYING: "整改中",
    AWAITING: "待复查",
    CLOSED: "已整改",
    FAILED: "复查未通过",
    WITHDRAWN: "撤销",
}
OPEN_STATUSES = frozenset(STATUS_LABELS) - {CLOSED, WITHDRAWN}
#: Open findings whose term runs from a served notice. A ``pending`` finding's deadline is only
#: provisional (the term is counted again from the day the notice is served, facts.md §7), so it
#: is never overdue nor "due soon" before service.
TERM_RUNNING_STATUSES = OPEN_STATUSES - {PENDING}

NOTIFY = "notify"
REPORT = "report"
PASS_REINSPECTION = "pass_reinspection"
FAIL_REINSPECTION = "fail_reinspection"
RESUME = "resume"
EXTEND = "extend"
WITHDRAW = "withdraw"

ACTION_LABELS = {
    NOTIFY: "送达整改通知",
    REPORT: "单位报告整改完成",
    PASS_REINSPECTION: "复查通过",
    FAIL_REINSPECTION: "复查未通过",
    RESUME: "重新整改",
    EXTEND: "延期",
    WITHDRAW: "撤销",
}

_TRANSITIONS: dict[tuple[str, str], str] = {
    (PENDING, NOTIFY): RECTIFYING,
    (PENDING, EXTEND): PENDING,
    (RECTIFYING, REPORT): AWAITING,
    (RECTIFYING, EXTEND): RECTIFYING,
    (RECTIFYING, PASS_REINSPECTION): CLOSED,
    (RECTIFYING, FAIL_REINSPECTION): FAILED,
    (AWAITING, PASS_REINSPECTION): CLOSED,
    (AWAITING, FAIL_REINSPECTION): FAILED,
    (FAILED, RESUME): RECTIFYING,
    **{(status, WITHDRAW): WITHDRAWN for status in OPEN_STATUSES},
}
_NEEDS_REASON = frozenset({EXTEND, WITHDRAW})
_NEEDS_DEADLINE = frozenset({EXTEND, RESUME})


def days_left_on_term(status: str, deadline: date, today: date) -> int | None:
    """Calendar days from ``today`` to a served deadline (0 on the day, negative when overdue).

    None when no term runs: the finding is closed or withdrawn, or its notice is not yet served.
    """
    return (deadline - today).days if status in TERM_RUNNING_STATUSES else None


def is_overdue(status: str, deadline: date, today: date) -> bool:
    """True when a served finding is still open after its deadline (逾期); never before service."""
    left = days_left_on_term(status, deadline, today)
    return left is not None and left < 0


def next_status(status: str, action: str) -> str:
    """The status after ``action`` on a finding in ``status``.

    Raises:
        IllegalTransitionError: unknown status or action, or an action the status does not allow
            (Chinese message naming both and listing what is allowed).
    """
    if status not in STATUS_LABELS:
        raise IllegalTransitionError(f"未知的问题状态：{status!r}")
    if action not in ACTION_LABELS:
        raise IllegalTransitionError(f"未知的问题处理操作：{action!r}")
    target = _TRANSITIONS.get((status, action))
    if target is None:
        allowed = "、".join(ACTION_LABELS[a] for a in allowed_actions(status)) or "无（已办结）"
        raise IllegalTransitionError(
            f"问题当前状态为“{STATUS_LABELS[status]}”，不能执行“{ACTION_LABELS[action]}”；"
            f"可执行的操作：{allowed}"
        )
    return target


def allowed_actions(status: str) -> tuple[str, ...]:
    """The actions allowed in ``status``, in ``ACTION_LABELS`` order; empty when final.

    Raises:
        IllegalTransitionError: unknown status.
    """
    if status not in STATUS_LABELS:
        raise IllegalTransitionError(f"未知的问题状态：{status!r}")
    return tuple(a for a in ACTION_LABELS if (status, a) in _TRANSITIONS)


def requires_reason(action: str) -> bool:
    """True when ``action`` must carry a reason (延期 and 撤销)."""
    return action in _NEEDS_REASON


def requires_deadline(action: str) -> bool:
    """True when ``action`` must carry a new deadline (延期 and 重新整改).

    ``notify`` may carry one (the term recomputed from the 送达 day) but need not.
    """
    return action in _NEEDS_DEADLINE


def check_action(
    status: str,
    action: str,
    *,
    reason: str = "",
    deadline: date | None = None,
    current_deadline: date | None = None,
) -> str:
    """Validate a complete status change and return the new status.

    Args:
        status: the finding's current status.
        action: the action to take.
        reason: the user's reason; required when ``requires_reason(action)``.
        deadline: the new deadline (local calendar day); required when
            ``requires_deadline(action)``.
        current_deadline: the finding's deadline now; when given, an extension must be later.

    Raises:
        IllegalTransitionError: as ``next_status``.
        ValidationError: a missing reason or deadline, or an extension that is not later.
    """
    target = next_status(status, action)
    label = ACTION_LABELS[action]
    if requires_reason(action) and not reason.strip():
        raise ValidationError(f"“{label}”须填写理由")
    if requires_deadline(action) and deadline is None:
        raise ValidationError(f"“{label}”须指定新的整改期限")
    if action == EXTEND and current_deadline is not None and deadline <= current_deadline:
        raise ValidationError(
            f"延期后的整改期限（{deadline.isoformat()}）应晚于原期限（{current_deadline.isoformat()}）"
        )
    return target
