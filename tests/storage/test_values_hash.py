"""The undo log's hash of a created row (storage/import_undo_repo.values_hash) is the documented
text: SHA-256 over the row's JSON as Python's json module writes it (``\\u`` escapes, no
spaces), whichever encoder makes it, so logs written before and after stay comparable."""

from __future__ import annotations

import hashlib
import json

import pytest

from workbench.storage import import_undo_repo

ROWS = [
    (("id-1", None, 0, -7, 2**70, "备案号 京ICP备12345678号-1", 'quote " back \\ slash', "ctl \x01\x1f\n\t"), None),
    (("emoji 😀", "", 1.5, "ascii"), [("d-1", "例子.中国", "xn--fsqu00a.xn--fiqs8s", 0), ("d-2", "a.cn", "a.cn", 1)]),
    ((), []),
]


@pytest.mark.parametrize(("values", "domains"), ROWS)
def test_values_hash_is_sha256_of_the_rows_json(values, domains):
    text = json.dumps((values,) if domains is None else (values, domains), separators=(",", ":"))
    expected = import_undo_repo.VALUES_HASH + hashlib.sha256(text.encode()).hexdigest()[:32]
    assert import_undo_repo.values_hash(values, domains) == expected


def test_values_hash_refuses_a_value_no_row_holds():
    with pytest.raises(TypeError):
        import_undo_repo.values_hash((object(),))
