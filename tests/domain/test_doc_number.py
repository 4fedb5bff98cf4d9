"""Document numbers as typed are brought to the 〔〕 form."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("typed", ["鲁网信整改〔2026〕12号", "鲁网信整改[2026]12号", "鲁网信整改（2026）12号",
                                   "鲁网信整改【２０２６】12 号", " 鲁网信整改 (2026) 12号 "])
def test_doc_numbers_as_typed_are_normalised(typed):
    from workbench.domain.doc_number import normalize_doc_number

    assert normalize_doc_number(typed) == "鲁网信整改〔2026〕12号"
