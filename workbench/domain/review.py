"""ICP filing accuracy review (备案信息准确性核查): fields, verdicts, conclusions, accuracy rate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.errors import ValidationError

REVIEW_FIELDS: tuple[tuple[str, str], ...] = (
    ("sponsor_name", "主办单位名称"),
    ("sponsor_nature", "主办单位性质"),
    ("uscc", "统一社会信用代码"),
    ("subject_filing_no", "主体备案号"),
    ("site_filing_no", "网站备案号"),
    ("domain", "网站域名"),
    ("homepage", "首页网址"),
    ("access_provider", "接入服务商"),
    ("contact_name", "网站负责人"),
    ("contact_phone", "联系电话"),
)
FIELD_LABELS = dict(REVIEW_FIELDS)

VERDICTS = ("match", "mismatch", "unchecked")
VERDICT_LABELS = {"match": "一致", "mismatch": "不一致", "unchecked": "未核"}

ACCURATE = "accurate"
CONCLUSIONS: dict[str, str] = {
    ACCURATE: "准确",
    "shell_site": "空壳网站",
    "unreachable": "网站无法访问",
    "sponsor_inaccurate": "主体信息不准确",
    "contact_inaccurate": "联系方式不准确",
    "filing_no_display": "未悬挂或错误悬挂备案号",
    "access_mismatch": "接入信息不符",
    "content_mismatch": "内容与备案不符",
    "not_filed": "未备案",
}

# Field groups → the conclusion a mismatch there suggests, most serious first. 主体 and 接入
# accuracy are what the MIIT accuracy rate measures (facts.md §4), so they lead. shell_site,
# unreachable and not_filed are never suggested: they need the inspector's own finding.
_SUGGESTION_ORDER: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"sponsor_name", "sponsor_nature", "uscc"}), "sponsor_inaccurate"),
    (frozenset({"access_provider"}), "access_mismatch"),
    (frozenset({"domain", "homepage"}), "content_mismatch"),
    (frozenset({"subject_filing_no", "site_filing_no"}), "filing_no_display"),
    (frozenset({"contact_name", "contact_phone"}), "contact_inaccurate"),
)

_ORDER_33 = "《非经营性互联网信息服务备案管理办法》（信息产业部令第33号）"
# facts.md §10: a missing ICP number on the home page breaches 第十二条 of the State Council's
# 《互联网信息服务管理办法》 (penalty 第二十二条, imposed by the 通信管理局); 33号令 第十三条/第二十五条
# is for a number shown without the link or the electronic verification mark.
_ORDER_292 = "《互联网信息服务管理办法》（国务院令第292号）"

# Per inaccurate conclusion: default severity, a finding title, legal basis (facts.md §4; 33号令
# 第五条 备案义务, 第七条 如实填报, 第十三条 备案编号悬挂, 第十四条 变更手续, 第二十二条 and
# 第二十五条 罚则) and the rectification requirement printed on the notice.
CONCLUSION_FINDING: dict[str, dict] = {
    "shell_site": {
        "severity": "medium",
        "title": "网站为空壳网站，域名未指向备案接入服务商或已失效",
        "legal_basis": f"{_ORDER_33}第十四条",
        "requirement": "请在整改期限内在实际接入服务商处重新办理备案接入，或对不再使用的网站依法办理备案注销手续。",
    },
    "unreachable": {
        "severity": "low",
        "title": "网站无法访问",
        "legal_basis": f"{_ORDER_33}第十四条",
        "requirement": "请在整改期限内恢复网站正常访问；网站已停止服务的，请依法办理备案注销手续。",
    },
    "sponsor_inaccurate": {
        "severity": "high",
        "title": "网站备案主办单位信息不准确",
        "legal_basis": f"{_ORDER_33}第七条、第十四条",
        "requirement": "请在整改期限内核实主办单位名称、性质及证件号码，通过接入服务商提交备案变更，确保与营业执照等证件一致。",
    },
    "contact_inaccurate": {
        "severity": "medium",
        "title": "网站负责人联系方式不准确",
        "legal_basis": f"{_ORDER_33}第七条、第十四条",
        "requirement": "请在整改期限内更新网站负责人姓名及联系电话，确保真实有效、可随时联系。",
    },
    "filing_no_display": {
        "severity": "low",
        "title": "网站首页未悬挂或错误悬挂备案编号",
        "legal_basis": (f"{_ORDER_292}第十二条；罚则见第二十二条，由通信管理局实施，网信部门依法移送；"
                        f"未链接备案管理系统或未加电子验证标识的，见{_ORDER_33}第十三条、第二十五条"),
        "requirement": "请在整改期限内在网站首页底部中央位置标明正确的备案编号，并链接至工业和信息化部政务服务平台（beian.miit.gov.cn）。",
    },
    "access_mismatch": {
        "severity": "medium",
        "title": "网站接入信息与备案不符",
        "legal_basis": f"{_ORDER_33}第十四条",
        "requirement": "请在整改期限内通过实际接入服务商办理备案接入变更，使接入服务商及IP地址与备案信息一致。",
    },
    "content_mismatch": {
        "severity": "medium",
        "title": "网站名称、域名或内容与备案信息不符",
        "legal_basis": f"{_ORDER_33}第十四条；超出备案项目提供服务的见第二十二条第二款",
        "requirement": "请在整改期限内使网站名称、域名及服务内容与备案信息一致，或依法办理备案变更；涉及前置审批的须取得相应批准。",
    },
    "not_filed": {
        "severity": "high",
        "title": "网站未履行备案手续",
        "legal_basis": f"{_ORDER_33}第五条；罚则见第二十二条第一款",
        "requirement": "请立即停止未备案网站的互联网信息服务，依法履行备案手续后方可开通。",
    },
}


def is_accurate(conclusion: str) -> bool:
    """True for the ``accurate`` conclusion, False for the inaccuracy categories.

    Raises:
        ValidationError: an unknown conclusion.
    """
    _check_conclusion(conclusion)
    return conclusion == ACCURATE


def check_review(conclusion: str, verdicts: Mapping[str, str]) -> None:
    """Refuse a conclusion the field verdicts contradict.

    准确 needs at least one field compared and none found 不一致: a filing nobody compared cannot
    be counted as accurate in the 准确率 (accurate ÷ reviewed, facts.md §4), and a mismatch
    means the filing is not accurate. Inaccuracy conclusions may stand without field mismatches
    (空壳网站, 网站无法访问 and 未备案 are judged on the site itself).

    Raises:
        ValidationError: unknown conclusion, or 准确 with no field compared or with a mismatch.
    """
    _check_conclusion(conclusion)
    if conclusion != ACCURATE:
        return
    checked = [v for v in verdicts.values() if v != "unchecked"]
    if not checked:
        raise ValidationError("尚未核对任何字段，不能判定为“准确”；请先逐项核对，或选择其他结论")
    mismatched = [FIELD_LABELS.get(c, c) for c, v in verdicts.items() if v == "mismatch"]
    if mismatched:
        raise ValidationError(f"“{'、'.join(mismatched)}”与备案不一致，不能判定为“准确”")


def fill_untouched_as_match(verdicts: Mapping[str, str], observed: Mapping[str, str]) -> dict[str, str]:
    """全部一致 (Alt+A): mark as 一致 only the fields nobody has touched yet.

    A field is untouched when its verdict is ``unchecked`` and no observed value has been typed.
    A recorded difference (``mismatch``) or a typed observation is never overwritten: turning a
    difference into 一致 would save the filing as 准确 and raise no finding.

    Args:
        verdicts: field code → verdict as shown now.
        observed: field code → the observed value typed (missing or blank = nothing typed).

    Returns:
        field code → verdict after filling (a new dict; ``verdicts`` is not changed).
    """
    return {code: "match" if verdict == "unchecked" and not (observed.get(code) or "").strip() else verdict
            for code, verdict in verdicts.items()}


def suggest_conclusion(verdicts: Mapping[str, str]) -> str:
    """A default conclusion from per-field verdicts, for the inspector to confirm or change.

    No mismatch gives ``accurate`` (unchecked fields do not count against the filing); otherwise
    the most serious mismatched field group decides: sponsor, access provider, domain/homepage,
    filing numbers, contacts.

    Args:
        verdicts: field code (from ``REVIEW_FIELDS``) → verdict (from ``VERDICTS``); fields left
            out count as unchecked.

    Raises:
        ValidationError: an unknown field code or verdict.
    """
    mismatched = set()
    for code, verdict in verdicts.items():
        if code not in FIELD_LABELS:
            raise ValidationError(f"未知的核查字段：{code!r}")
        if verdict not in VERDICT_LABELS:
            raise ValidationError(f"“{FIELD_LABELS[code]}”的核查结果应为一致、不一致或未核，当前为：{verdict!r}")
        if verdict == "mismatch":
            mismatched.add(code)
    for fields, conclusion in _SUGGESTION_ORDER:
        if mismatched & fields:
            return conclusion
    return ACCURATE


@dataclass(frozen=True)
class AccuracyRow:
    """One row of an accuracy-rate table (备案信息准确率).

    Attributes:
        group: the group key (e.g. access provider or city); ``合计`` for the total row.
        reviewed: reviews counted.
        accurate: reviews concluded ``accurate``.
        rate: accurate ÷ reviewed as a fraction 0–1 (not a percentage); None when reviewed is 0.
    """

    group: str
    reviewed: int
    accurate: int
    rate: float | None


TOTAL_GROUP = "合计"
UNKNOWN_GROUP = "（未填写）"


def accuracy_table(pairs: Iterable[tuple[str, str]]) -> list[AccuracyRow]:
    """Accuracy rate per group plus a total (facts.md §4: 准确率 = accurate ÷ reviewed).

    Args:
        pairs: ``(group key, conclusion)`` per review; an empty or None key is grouped as
            ``（未填写）``.

    Returns:
        One row per group sorted by group key, then a final ``合计`` row (also when empty).

    Raises:
        ValidationError: an unknown conclusion.
    """
    counts: dict[str, list[int]] = {}
    for group, conclusion in pairs:
        good = is_accurate(conclusion)
        entry = counts.setdefault(group or UNKNOWN_GROUP, [0, 0])
        entry[0] += 1
        entry[1] += int(good)
    rows = [_row(group, *counts[group]) for group in sorted(counts)]
    rows.append(_row(TOTAL_GROUP, sum(r.reviewed for r in rows), sum(r.accurate for r in rows)))
    return rows


def accuracy_table_from_counts(counts: Iterable[tuple[str, str, int]]) -> list[AccuracyRow]:
    """:func:`accuracy_table` from ``(group key, conclusion, number of reviews)`` triples, as a
    SQL ``GROUP BY`` returns them (same rule, same order, same 合计 row; no row per review)."""
    grouped: dict[str, list[int]] = {}
    for group, conclusion, count in counts:
        good = is_accurate(conclusion)
        entry = grouped.setdefault(group or UNKNOWN_GROUP, [0, 0])
        entry[0] += count
        entry[1] += count if good else 0
    rows = [_row(group, *grouped[group]) for group in sorted(grouped)]
    rows.append(_row(TOTAL_GROUP, sum(r.reviewed for r in rows), sum(r.accurate for r in rows)))
    return rows


def _row(group: str, reviewed: int, accurate: int) -> AccuracyRow:
    """An ``AccuracyRow`` with its rate computed."""
    return AccuracyRow(group, reviewed, accurate, accurate / reviewed if reviewed else None)


def _check_conclusion(conclusion: str) -> None:
    """Refuse a conclusion code not in ``CONCLUSIONS``."""
    if conclusion not in CONCLUSIONS:
        raise ValidationError(f"未知的核查结论：{conclusion!r}")
