"""Time-ordered ids made a block at a time are the ids the RFC 9562 layout gives one by one."""

from __future__ import annotations

import itertools
import uuid

from workbench.storage import records


def _expected(millis: int, counter: int) -> int:
    return millis << 80 | 0x7 << 76 | (counter >> 62) << 64 | 0b10 << 62 | counter & (1 << 62) - 1


def test_ids_across_a_block_of_rand_a_and_a_chunk_follow_the_layout(monkeypatch):
    start = (5 << 62) - 3                       # three ids before rand_a goes from 4 to 5
    monkeypatch.setattr(records.os, "urandom", lambda n: (start << 6).to_bytes(n, "big"))
    ids = list(itertools.islice(records.ordered_ids(), 2 * records._ORDERED_CHUNK + 5))
    millis = uuid.UUID(ids[0]).int >> 80
    assert [uuid.UUID(t).int for t in ids] == [_expected(millis, start + i) for i in range(len(ids))]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(str(uuid.UUID(t)) == t and uuid.UUID(t).version == 7 for t in ids)
    assert ids[2].split("-")[2] == "7004" and ids[3].split("-")[2] == "7005"


def test_a_supply_that_runs_out_of_counter_starts_afresh(monkeypatch):
    start = (1 << 74) - 2
    draws = iter([(start << 6).to_bytes(10, "big"), (7 << 6).to_bytes(10, "big")])
    monkeypatch.setattr(records.os, "urandom", lambda n: next(draws))
    ids = list(itertools.islice(records.ordered_ids(), 4))
    assert [uuid.UUID(t).int & (1 << 62) - 1 for t in ids] == [(1 << 62) - 2, (1 << 62) - 1, 7, 8]
