"""Chinese line breaking on a character grid (GB/T 15834-2011 §5.1, GB/T 9704-2012 §5.2.3).

Pure Python, no reportlab: the caller supplies the advance width of narrow characters. A line
of the 版心 holds ``cells`` full-width cells (28 in 156 mm); every full line is justified to the
measure exactly, the last line of a paragraph is set at its natural width.

Rules (gbt9704.md §6):

* Never at a line start: 。，、；：？！ and closing ”’）〕】》〉」』, 连接号 (– — ～ ~), 间隔号 ·,
  分隔号 /. Never at a line end: opening “‘（〔【《〈「『. —— and …… are never split.
* 先挤进，后推出 (clreq): when the next character would not fit, full-width punctuation in the
  line is first compressed (each gives up at most half a cell, the line-end one first; 5.1.10,
  5.1.11); only if that is not enough does the glued group move to the next line, and the
  remaining space is spread over the gaps. Punctuation never hangs into the margin.
* A line-end full-width punctuation mark takes half a cell (5.1.10).
* Identifiers are never split (this product's rule): 文号 (代字〔2026〕12号), ICP and 公网安备
  numbers, domains, e-mail addresses and any run of ASCII letters and digits.
* Paragraph-wide breaking (total fit, as Knuth and Plass's algorithm in TeX): when an identifier
  does not fit at the end of a line, the space it leaves is shared by the lines before it in the
  paragraph (each then holds a character or two fewer) instead of opening wide gaps in one line.
  No gap between two characters grows beyond ``MAX_GAP`` cells; a URL is broken after a ``/`` of
  its path (or after the ``//`` of its scheme) where sharing cannot keep the gaps small, after a
  ``.`` or ``-`` of its host only as a last resort, never with an added hyphen. Only an
  identifier longer than a whole line is cut anywhere. A line that still cannot be filled within
  ``MAX_GAP`` (rare: an identifier at the very start of a paragraph) stays short on the right: at
  ``MAX_GAP`` gaps when that leaves less than a cell, else at the plain grid pitch.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Never at the start of a line (GB/T 15834-2011 §5.1.1–5.1.3, 5.1.6, 5.1.7, 5.1.9).
NO_START = frozenset("。，、；：？！”’）〕】》〉」』］｝.,;:?!)]}–—～~·・/%‰℃")
#: Never at the end of a line (§5.1.3, 5.1.9).
NO_END = frozenset("“‘（〔【《〈「『［｛([{/")
#: Full-width marks whose glyph sits in one half of the cell: they may give up the other half.
SQUEEZE_LEFT = frozenset("。，、；：？！”’）〕】》〉」』")  # ink on the left: drop the right half
SQUEEZE_RIGHT = frozenset("“‘（〔【《〈「『")  # ink on the right: drop the left half
SQUEEZABLE = SQUEEZE_LEFT | SQUEEZE_RIGHT

_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"
_CJK = "\u3400-\u9fff\U00020000-\U0003ffff"
#: Runs that are never split, longest alternatives first.
IDENTIFIER = re.compile(
    r"https?://[^\s\u3000-\u303f\uff00-\uffef" + _CJK + r"]+"  # URL up to CJK or full-width text
    + rf"|[{_PROVINCES}]ICP[备证]\d+号(?:-\d+[A-Z]?)?"  # 鲁ICP备12345678号-1
    + rf"|[{_PROVINCES}]公网安备\s?\d+号"  # 鲁公网安备 37010202000001号
    + rf"|[{_CJK}]{{1,8}}〔\d{{4}}〕\d+号"  # 文号 鲁网信整改〔2026〕12号 (代字 up to 8)
    + r"|[A-Za-z0-9][A-Za-z0-9_.%+@:/?#=&~-]*[A-Za-z0-9/]"  # domains, e-mail, words, numbers
    + r"|——+|…+"  # 破折号, 省略号: never split (§5.1.4, 5.1.5)
)


def is_wide(char: str) -> bool:
    """True for characters set in one full grid cell (CJK ideographs, full-width forms, 〔〕…)."""
    return unicodedata.east_asian_width(char) in ("W", "F") or char in "“”‘’—…·"


@dataclass(frozen=True)
class Glyph:
    """One character placed on a line.

    Attributes:
        char: the character; role: the font role of its run (``body``, ``heading1``…).
        x: left edge of its cell from the line start (pt).
        width: the cell width it was given (pt): a full cell, half a cell when squeezed, or a
            narrow character's advance.
        shift: how far the glyph is drawn left of ``x`` (pt): half a cell for a squeezed
            opening mark, whose ink sits in the right half of its cell; else 0.
    """

    char: str
    role: str
    x: float
    width: float
    shift: float = 0.0


@dataclass(frozen=True)
class Line:
    """A laid-out line: its glyphs, whether it is justified to the full measure (``full``),
    and its natural width (pt)."""

    glyphs: tuple[Glyph, ...]
    full: bool
    width: float

    @property
    def text(self) -> str:
        """The characters of the line."""
        return "".join(g.char for g in self.glyphs)


#: The widest gap allowed between two characters of a justified line, in cells: the line is then
#: set like 1¼-pitch 疏排 text. Our choice (the standards give no bound); see docs/documents.md.
MAX_GAP = 0.25
#: Costs of a line break inside a URL, in the demerits of ``_demerits`` (a line at ``MAX_GAP``
#: costs 12 100): after a ``/`` of the path or the scheme's ``//``, after a ``.`` or ``-`` of the
#: host, and anywhere inside an identifier longer than a whole line (only where it has no soft
#: point: a short line ending in ``/`` reads better than a word cut in two).
PENALTY_PATH, PENALTY_HOST, PENALTY_HARD = 5_000.0, 100_000.0, 1e15
_URL = re.compile(r"https?://[^/\s]+|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?=/)")


@dataclass
class _Atom:
    chars: list[tuple[str, str]]  # (char, role)
    loose: list[bool]  # loose[j]: extra space may go after chars[j] (False inside identifiers)
    penalty: float = 0.0  # cost of a break after the atom; > 0 inside an identifier (no space)

    def text(self) -> str:
        return "".join(c for c, _ in self.chars)


def atoms(runs: Sequence[tuple[str, str]]) -> list[_Atom]:
    """Split role-tagged text runs into unbreakable atoms, with 禁则 glue applied.

    Args:
        runs: (text, role) pairs; line breaks are not allowed inside (split paragraphs first).

    Returns:
        Atoms in order: a break is allowed between two atoms and nowhere else.
    """
    text = "".join(t for t, _ in runs)
    roles = [r for t, r in runs for _ in t]
    pieces: list[_Atom] = []
    pos = 0
    for match in IDENTIFIER.finditer(text):
        for i in range(pos, match.start()):
            pieces.append(_Atom([(text[i], roles[i])], [True]))
        span = range(match.start(), match.end())
        pieces.append(_Atom([(text[i], roles[i]) for i in span], [False] * len(span)))
        pos = match.end()
    for i in range(pos, len(text)):
        pieces.append(_Atom([(text[i], roles[i])], [True]))
    glued: list[_Atom] = []
    for piece in pieces:
        first = piece.chars[0][0]
        if glued and (first in NO_START or glued[-1].chars[-1][0] in NO_END or first == " "):
            before = glued[-1]
            glued[-1] = _Atom(before.chars + piece.chars, before.loose[:-1] + [True] + piece.loose)
        else:
            glued.append(piece)
    return glued


def break_lines(runs: Sequence[tuple[str, str]], cells: int, cell: float,
                advance: Callable[[str, str], float], *, first_indent: float = 0.0,
                indent: float = 0.0, justify: bool = True) -> list[Line]:
    """Break one paragraph into lines of ``cells`` grid cells.

    Args:
        runs: (text, role) pairs of the paragraph (no line breaks inside).
        cells: cells per full line (28 for the GB/T 9704 版心).
        cell: the cell width in pt (156 mm / 28 = 15.79 pt).
        advance: (char, role) → advance width in pt of a narrow (non-grid) character.
        first_indent: left indent of the first line, pt (two cells for 正文).
        indent: left indent of the other lines, pt.
        justify: spread full lines to the measure, breaking the paragraph as a whole (False:
            every line at natural width, filled greedily — titles, right-aligned blocks).

    Returns:
        The lines; glyph x positions are measured from the left edge of the measure.
    """
    measure = cells * cell
    pending = _soft_split(atoms(runs), measure - max(first_indent, indent), cell, advance)
    while pending and not _trim_spaces(pending[:1]):
        pending.pop(0)
    chosen = _total_fit(pending, measure, cell, advance, first_indent, indent) if justify \
        else _greedy(pending, measure, cell, advance, first_indent, indent)
    lines: list[Line] = []
    start = first_indent
    for n, taken in enumerate(chosen):
        taken = _trim_spaces(taken)
        if taken:
            full = justify and n < len(chosen) - 1
            lines.append(_place(taken, start, measure - start, cell, advance, full=full))
        start = indent
    return lines


def _soft_split(pieces: list[_Atom], room: float, cell: float, advance) -> list[_Atom]:
    """Atoms with their allowed breaks inside URLs and over-long identifiers made explicit:
    such an atom becomes several, each break between them carrying its penalty."""
    out: list[_Atom] = []
    for atom in pieces:
        if len(atom.chars) < 2 or all(atom.loose[:-1]):
            out.append(atom)
            continue
        text = atom.text()
        costs: dict[int, float] = {}  # break after chars[i] → penalty
        if _widths([atom], cell, advance)[0] > room:
            costs.update({i: PENALTY_HOST if text[i] in "/.?&=-_" else PENALTY_HARD
                          for i in range(len(text) - 1)})
        for url in _URL.finditer(text):
            host_end = url.end()
            path_end = host_end
            while path_end < len(text) and not atom.loose[path_end - 1] and text[path_end] not in "）)，。；":
                path_end += 1
            host_start = url.start() + (url.group().index("//") + 2 if "//" in url.group() else 0)
            if host_start > url.start():
                costs[host_start - 1] = PENALTY_PATH
            for i in range(host_start, host_end - 1):
                if text[i] in ".-":
                    costs[i] = min(costs.get(i, PENALTY_HOST), PENALTY_HOST)
            for i in range(host_end, path_end - 1):
                if text[i] in "/?&=" and text[i + 1] != "/":
                    costs[i] = PENALTY_PATH
        # a URL's / is no 分隔号 (GB/T 15834 §5.1.9 is about the mark in running text): a URL
        # breaks after it, which tells the reader it goes on
        allowed = sorted(i for i in costs
                         if (text[i] not in NO_END or costs[i] == PENALTY_PATH)
                         and text[i + 1] not in NO_START and text[i] != " " and not atom.loose[i])
        begin = 0
        for i in allowed:
            out.append(_Atom(atom.chars[begin:i + 1], atom.loose[begin:i + 1], costs[i]))
            begin = i + 1
        out.append(_Atom(atom.chars[begin:], atom.loose[begin:], atom.penalty))
    return out


@dataclass(frozen=True)
class _Summary:
    """What a line needs to know of one atom: widths, squeezable marks, stretchable gaps."""

    natural: float  # natural width, pt
    trimmed: float  # natural width without trailing spaces, pt
    marks: int  # squeezable marks
    trimmed_marks: int
    gaps: int  # stretchable gaps after its characters (its last one included)
    trimmed_gaps: int  # without trailing spaces, the last character's gap excluded
    last: str  # last character that is not a space


def _summary(atom: _Atom, cell: float, advance) -> _Summary:
    chars = atom.chars
    keep = len(chars)
    while keep > 1 and chars[keep - 1][0] == " ":
        keep -= 1
    flags = atom.loose[:-1] + [atom.penalty == 0]
    widths = [_width(c, r, cell, advance) for c, r in chars]
    marks = [c in SQUEEZABLE for c, _ in chars]
    return _Summary(sum(widths), sum(widths[:keep]), sum(marks), sum(marks[:keep]),
                    sum(flags), sum(flags[:keep - 1]), chars[keep - 1][0])


def _demerits(shortfall: float, gaps: int, cell: float) -> float:
    """Cost of a justified line short of the measure by ``shortfall`` pt over ``gaps`` gaps:
    TeX's (line penalty + badness)², badness 100 × (gap / MAX_GAP)³; 0 for a full line."""
    if shortfall <= 1e-6:
        return 0.0
    badness = 100.0 * (shortfall / max(gaps, 0.5) / (MAX_GAP * cell)) ** 3  # no gap: worse than one
    return (10.0 + badness) ** 2


def _total_fit(pending: list[_Atom], measure: float, cell: float, advance,
               first_indent: float, indent: float) -> list[list[_Atom]]:
    """The paragraph's lines with the least total demerits (gaps and URL-break penalties).

    A line holds atoms i..j-1; it fits when its natural width is within the room, or when
    atoms i..j-2 fit, the last character is a line-end mark and squeezing the line's marks brings
    it within (先挤进: squeeze only to keep a mark with its character, never to take in more
    text). The last line of the paragraph costs nothing (it is not justified)."""
    n = len(pending)
    if not n:
        return []
    info = [_summary(atom, cell, advance) for atom in pending]
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    half = cell / 2
    for j in range(1, n + 1):
        tail = info[j - 1]
        natural, marks, gaps = tail.trimmed, tail.trimmed_marks, tail.trimmed_gaps
        for i in range(j - 1, -1, -1):
            if i < j - 1:
                natural += info[i].natural
                marks += info[i].marks
                gaps += info[i].gaps
            room = measure - (first_indent if i == 0 else indent)
            squeezable = tail.last in SQUEEZE_LEFT
            before = natural - tail.trimmed  # atoms i..j-2
            if natural > room + 1e-6 and not (squeezable and before <= room + 1e-6
                                               and natural - marks * half <= room + 1e-6):
                if i < j - 1:
                    break
                # a single atom wider than the room (only in a very narrow measure): overfull
            if j == n:
                cost = 0.0
            else:
                squeezed = max(1 if tail.last in SQUEEZABLE else 0,
                               math.ceil((natural - room) / half - 1e-6))
                total = natural - min(squeezed, marks) * half
                cost = _demerits(room - total, gaps, cell) + pending[j - 1].penalty
            if best[i] + cost < best[j]:
                best[j] = best[i] + cost
                back[j] = i
    cuts = [n]
    while cuts[-1]:
        cuts.append(back[cuts[-1]])
    cuts.reverse()
    return [pending[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def _greedy(pending: list[_Atom], measure: float, cell: float, advance,
            first_indent: float, indent: float) -> list[list[_Atom]]:
    """Lines filled one after the other (ragged or centred text): as many atoms as fit."""
    pending = list(pending)
    out: list[list[_Atom]] = []
    room = measure - first_indent
    while pending:
        taken = [pending.pop(0)]
        while pending:
            candidate = taken + [pending[0]]
            natural, squeeze = _widths(candidate, cell, advance)
            ends_in_mark = pending[0].chars[-1][0] in SQUEEZE_LEFT
            if not (natural <= room + 1e-6 or (ends_in_mark and natural - squeeze <= room + 1e-6)):
                break
            taken.append(pending.pop(0))
        out.append(taken)
        room = measure - indent
    return out


def _trim_spaces(line: list[_Atom]) -> list[_Atom]:
    """The line without spaces at its start and end (a space never shows at a line's edge)."""
    chars = [(c, r, f) for atom in line for (c, r), f in zip(atom.chars, atom.loose, strict=True)]
    ends = [i for i, (c, _r, _f) in enumerate(chars) if c != " "]
    if not ends:
        return []
    out: list[_Atom] = []
    i = 0
    for atom in line:
        n = len(atom.chars)
        keep = [(j, pair) for j, pair in enumerate(atom.chars) if ends[0] <= i + j <= ends[-1]]
        if keep:
            out.append(_Atom([pair for _, pair in keep], [atom.loose[j] for j, _ in keep], atom.penalty))
        i += n
    if out:
        out[-1].loose[-1] = True
        out[-1].penalty = 0.0
    return out


def _width(char: str, role: str, cell: float, advance: Callable[[str, str], float]) -> float:
    return cell if is_wide(char) else advance(char, role)


def _widths(line: list[_Atom], cell: float, advance) -> tuple[float, float]:
    """(natural width, most that squeezing punctuation can take off) of a candidate line."""
    chars = [c for atom in line for c in atom.chars]
    natural = sum(_width(c, r, cell, advance) for c, r in chars)
    squeeze = sum(cell / 2 for c, _ in chars if c in SQUEEZABLE)
    return natural, squeeze


def _place(line: list[_Atom], start: float, room: float, cell: float, advance,
           *, full: bool) -> Line:
    chars = [(c, r) for atom in line for c, r in atom.chars]
    widths = [_width(c, r, cell, advance) for c, r in chars]
    squeezed = [False] * len(chars)
    natural = sum(widths)
    # 5.1.10: a full-width mark at the end of a full line takes half a cell.
    # the line-end mark first, then marks next to another mark (）（ 。” …), then the others
    # from the end: single marks mid-line keep their full width as long as possible
    marks = [i for i, (c, _r) in enumerate(chars) if c in SQUEEZABLE]
    paired = [i for i in marks if i - 1 in marks or i + 1 in marks]
    order = sorted(marks, key=lambda i: (i != len(chars) - 1, i not in paired, -i))
    need = natural - room
    if full and chars and chars[-1][0] in SQUEEZABLE:
        need = max(need, cell / 2)
    for i in order:
        if need <= 1e-6:
            break
        if chars[i][0] in SQUEEZABLE and not squeezed[i]:
            widths[i] -= cell / 2
            squeezed[i] = True
            need -= cell / 2
    total = sum(widths)
    gaps = _stretchable_gaps(line)
    extra = 0.0
    if full and gaps and room > total:
        extra = (room - total) / len(gaps)
        if extra > MAX_GAP * cell:
            # cannot be filled within the bound: spread to it when that leaves less than a cell,
            # else keep the grid pitch (a line ending early reads better than a spaced-out one)
            extra = MAX_GAP * cell if room - total - MAX_GAP * cell * len(gaps) < cell else 0.0
    glyphs, x = [], start
    gap_set = set(gaps)
    for i, (char, role) in enumerate(chars):
        shift = cell / 2 if squeezed[i] and char in SQUEEZE_RIGHT else 0.0
        glyphs.append(Glyph(char, role, x, widths[i], shift))
        x += widths[i]
        if i in gap_set:
            x += extra
    return Line(tuple(glyphs), full, total)


def _stretchable_gaps(line: list[_Atom]) -> list[int]:
    """Indexes of characters after which extra space may go: between atoms, and between the
    characters of an atom outside identifiers; never after the last character."""
    flags = [flag for atom in line for flag in atom.loose[:-1] + [atom.penalty == 0]]
    return [i for i, flag in enumerate(flags[:-1]) if flag]
