"""Document numbers as typed are brought to the 〔〕 form."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("typed", ["鲁网信整改〔2026〕12号", "鲁网信整改[2026]12号", "鲁网信整改（2026）12号",
                                   "鲁网信整改【２０２６】12 号", " 鲁网信整改 (2026) 12号 "])
def test_doc_numbers_as_typed_are_normalised(typed):
    from workbench.domain.doc_number import normalize_doc_number

    assert normalize_doc_number(typed) == "鲁网信整改〔2026〕12号"


def test_doc_prefix_is_the_authority_code_only():
    import pytest

    from workbench.domain.doc_number import clean_doc_prefix
    from workbench.errors import ValidationError

    assert clean_doc_prefix(" 鲁网信 整改 ") == "鲁网信整改"
    assert clean_doc_prefix("") == ""
    for bad in ("鲁网信整改〔2026〕", "鲁网信整改[2026]", "鲁网信整改12"):
        with pytest.raises(ValidationError, match="自动加上"):
            clean_doc_prefix(bad)
