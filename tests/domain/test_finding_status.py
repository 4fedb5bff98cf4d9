"""The finding state machine: every allowed transition, every refused one, inputs per action."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.domain.finding_status import (
    ACTION_LABELS,
    AWAITING,
    CLOSED,
    FAILED,
    OPEN_STATUSES,
    PENDING,
    RECTIFYING,
    STATUS_LABELS,
    WITHDRAWN,
    allowed_actions,
    check_action,
    next_status,
    requires_deadline,
    requires_reason,
)
from workbench.errors import IllegalTransitionError, ValidationError

# Written out independently of the module's table: (status, action) → new status.
EXPECTED = {
    ("pending", "notify"): "rectifying",
    ("pending", "extend"): "pending",
    ("pending", "withdraw"): "withdrawn",
    ("rectifying", "report"): "awaiting_reinspection",
    ("rectifying", "extend"): "rectifying",
    ("rectifying", "pass_reinspection"): "closed",
    ("rectifying", "fail_reinspection"): "failed_reinspection",
    ("rectifying", "withdraw"): "withdrawn",
    ("awaiting_reinspection", "pass_reinspection"): "closed",
    ("awaiting_reinspection", "fail_reinspection"): "failed_reinspection",
    ("awaiting_reinspection", "withdraw"): "withdrawn",
    ("failed_reinspection", "resume"): "rectifying",
    ("failed_reinspection", "withdraw"): "withdrawn",
}
STATUSES = ["pending", "rectifying", "awaiting_reinspection", "closed", "failed_reinspection", "withdrawn"]
ACTIONS = ["notify", "report", "pass_reinspection", "fail_reinspection", "resume", "extend", "withdraw"]


def test_codes_and_labels():
    assert (PENDING, RECTIFYING, AWAITING, CLOSED, FAILED, WITHDRAWN) == tuple(STATUSES)
    assert STATUS_LABELS == {
        "pending": "待整改",
        "rectifying": "整改中",
        "awaiting_reinspection": "待复查",
        "closed": "已整改",
        "failed_reinspection": "复查未通过",
        "withdrawn": "撤销",
    }
    assert OPEN_STATUSES == frozenset({"pending", "rectifying", "awaiting_reinspection", "failed_reinspection"})
    assert list(ACTION_LABELS) == ACTIONS
    assert ACTION_LABELS["notify"] == "送达整改通知"
    assert ACTION_LABELS["extend"] == "延期"


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_pair(status, action):
    if (status, action) in EXPECTED:
        assert next_status(status, action) == EXPECTED[(status, action)]
        assert action in allowed_actions(status)
    else:
        with pytest.raises(IllegalTransitionError) as info:
            next_status(status, action)
        message = str(info.value)
        assert STATUS_LABELS[status] in message and ACTION_LABELS[action] in message
        assert action not in allowed_actions(status)


def test_allowed_actions_lists():
    assert allowed_actions("pending") == ("notify", "extend", "withdraw")
    assert allowed_actions("failed_reinspection") == ("resume", "withdraw")
    assert allowed_actions("closed") == ()
    assert allowed_actions("withdrawn") == ()


def test_final_status_message_says_so():
    with pytest.raises(IllegalTransitionError, match="无（已办结）"):
        next_status("closed", "resume")


def test_full_path_with_failed_reinspection():
    status = "pending"
    steps = [
        ("notify", {}, "rectifying"),
        ("report", {}, "awaiting_reinspection"),
        ("fail_reinspection", {}, "failed_reinspection"),
        ("resume", {"deadline": date(2026, 3, 20)}, "rectifying"),
        ("report", {}, "awaiting_reinspection"),
        ("pass_reinspection", {}, "closed"),
    ]
    for action, extra, expected in steps:
        status = check_action(status, action, **extra)
        assert status == expected
    assert status not in OPEN_STATUSES


@pytest.mark.parametrize(("status", "action"), [("bogus", "notify"), ("pending", "bogus")])
def test_unknown_codes_refused(status, action):
    with pytest.raises(IllegalTransitionError, match="未知"):
        next_status(status, action)


def test_unknown_status_in_allowed_actions():
    with pytest.raises(IllegalTransitionError):
        allowed_actions("open")


def test_required_inputs():
    assert [a for a in ACTIONS if requires_reason(a)] == ["extend", "withdraw"]
    assert [a for a in ACTIONS if requires_deadline(a)] == ["resume", "extend"]


def test_check_action_requires_reason_and_deadline():
    with pytest.raises(ValidationError, match="须填写理由"):
        check_action("rectifying", "withdraw", reason="  ")
    assert check_action("rectifying", "withdraw", reason="重复登记") == "withdrawn"
    with pytest.raises(ValidationError, match="须指定新的整改期限"):
        check_action("failed_reinspection", "resume")
    with pytest.raises(ValidationError, match="须填写理由"):
        check_action("rectifying", "extend", deadline=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="须指定新的整改期限"):
        check_action("rectifying", "extend", reason="单位申请")


def test_extension_must_be_later():
    current = date(2026, 3, 20)
    with pytest.raises(ValidationError, match="应晚于原期限"):
        check_action("rectifying", "extend", reason="单位申请", deadline=current, current_deadline=current)
    assert check_action(
        "rectifying", "extend", reason="单位申请", deadline=date(2026, 3, 27), current_deadline=current
    ) == "rectifying"


def test_check_action_refuses_illegal_transition_before_inputs():
    with pytest.raises(IllegalTransitionError):
        check_action("closed", "extend", reason="x", deadline=date(2026, 1, 5))
