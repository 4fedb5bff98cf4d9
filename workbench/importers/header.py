"""Finding the header of a site list: below title rows, possibly two rows under merged groups."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain.text import clean_text
from workbench.importers.columns import SynonymTable

SCAN_ROWS = 30  # title and note rows above a header rarely exceed a handful
MIN_FIELDS = 3  # a row naming fewer known fields is a title or a note, not a header


@dataclass(frozen=True)
class HeaderInfo:
    """Where the header is and what each column holds.

    Attributes:
        row: 1-based sheet row of the (last) header row.
        headers: each column's header text as shown to the user; a two-row header gives
            ``主体信息/名称``.
        mapping: column index (0 = column A) → field name (see ``FIELD_LABELS``).
        ignored: column index → the field its header also names, for columns left unread
            because an earlier column names the same field (two 网站备案号 columns).
    """

    row: int
    headers: tuple[str, ...]
    mapping: dict[int, str]
    ignored: dict[int, str] = field(default_factory=dict)

    @property
    def score(self) -> int:
        """How many data fields the header names (``serial`` not counted)."""
        return sum(1 for f in self.mapping.values() if f != "serial")


def find_header(rows: list[list], table: SynonymTable) -> HeaderInfo | None:
    """Pick the header among the first rows of a sheet.

    Each of the first :data:`SCAN_ROWS` rows is read as a header on its own and, when the row
    above holds group cells (merged cells spanning several columns, e.g. 主体信息 over
    名称/性质/证件号), together with that row. The reading that recognises the most fields wins;
    ties go to the earlier row. At least :data:`MIN_FIELDS` fields must be recognised.

    Args:
        rows: the first rows of the sheet (cells as read), row 1 first.
        table: the synonym table.

    Returns:
        The header, or None when no row looks like one.
    """
    best: HeaderInfo | None = None
    for index, row in enumerate(rows[:SCAN_ROWS]):
        candidates = [map_header(row, None, index + 1, table)]
        if index > 0 and any(_text(c) for c in rows[index - 1]):
            candidates.append(map_header(row, rows[index - 1], index + 1, table))
        for candidate in candidates:
            if candidate.score >= MIN_FIELDS and (best is None or candidate.score > best.score):
                best = candidate
    return best


def map_header(row: list, above: list | None, row_number: int, table: SynonymTable) -> HeaderInfo:
    """Read ``row`` (and the group row ``above`` it, if given) as a header.

    A group cell covers the blank cells to its right (a merged cell's value sits in its first
    cell only). A blank cell under a value is a header merged over both rows (序号).

    Args:
        row: the candidate (last) header row.
        above: the row above, read as group cells; None for a one-row header.
        row_number: 1-based sheet row of ``row``.
        table: the synonym table.

    Returns:
        The header reading; its ``score`` says how good it is.
    """
    texts = [_text(c) for c in row]
    groups = _forward_fill([_text(c) for c in above]) if above is not None else []
    width = max(len(texts), len(groups))
    labels: list[tuple[str, str]] = []  # (own text, group text) per column
    for col in range(width):
        own = texts[col] if col < len(texts) else ""
        group = groups[col] if col < len(groups) else ""
        if not own and group and _text(above[col]) == group:
            own, group = group, ""  # merged down over both header rows
        labels.append((own, group if own else ""))
    while labels and not labels[-1][0]:
        labels.pop()
    mapping, ignored = _assign(labels, table)
    headers = tuple(f"{g}/{o}" if g and g != o else o for o, g in labels)
    return HeaderInfo(row_number, headers, mapping, ignored)


def _assign(labels: list[tuple[str, str]], table: SynonymTable) -> tuple[dict[int, str], dict[int, str]]:
    """(column → field, column → field of columns left out): exact matches first, then loose
    ones; each field once, leftmost wins; a later column naming a taken field exactly is
    left out and listed."""
    mapping: dict[int, str] = {}
    ignored: dict[int, str] = {}
    taken: set[str] = set()
    for loose in (False, True):
        for col, (own, group) in enumerate(labels):
            if col in mapping or col in ignored or not own:
                continue
            found = table.match(own, group, loose=loose)
            if found and found not in taken:
                mapping[col] = found
                taken.add(found)
            elif found and not loose:
                ignored[col] = found
    return dict(sorted(mapping.items())), dict(sorted(ignored.items()))


def _forward_fill(texts: list[str]) -> list[str]:
    """Each blank cell takes the text of the nearest non-blank cell to its left."""
    filled, last = [], ""
    for text in texts:
        last = text or last
        filled.append(last)
    return filled


def _text(cell: object) -> str:
    """A header cell as clean text (header cells are text; numbers are shown as written)."""
    if isinstance(cell, str):
        return clean_text(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else clean_text(str(cell))
