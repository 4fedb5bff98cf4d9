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
  numbers, URLs, domains, e-mail addresses and any run of ASCII letters and digits. Only an
  identifier longer than a whole line is cut, at the last character that fits.
"""

from __future__ import annotations

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
    + rf"|[{_CJK}]{{1,16}}〔\d{{4}}〕\d+号"  # 文号 鲁网信整改〔2026〕12号
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


@dataclass
class _Atom:
    chars: list[tuple[str, str]]  # (char, role)
    loose: list[bool]  # loose[j]: extra space may go after chars[j] (False inside identifiers)

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
        justify: spread full lines to the measure (False: every line at natural width).

    Returns:
        The lines; glyph x positions are measured from the left edge of the measure.
    """
    measure = cells * cell
    pending = atoms(runs)
    lines: list[Line] = []
    start = first_indent
    while pending:
        room = measure - start
        taken: list[_Atom] = []
        while pending:
            candidate = taken + [pending[0]]
            natural, squeeze = _widths(candidate, cell, advance)
            # squeeze only to keep a line-end mark with its character (先挤进), never merely to
            # take in more text
            ends_in_mark = pending[0].chars[-1][0] in SQUEEZE_LEFT
            if natural <= room + 1e-6 or (ends_in_mark and natural - squeeze <= room + 1e-6):
                taken.append(pending.pop(0))
                continue
            # An atom longer than a whole line (a long URL) cannot stay whole anyway: it starts
            # here and is cut at the last soft point that fits, rather than leaving a gap.
            too_long = _widths([pending[0]], cell, advance)[0] > measure - indent
            if not taken or (too_long and natural - _widths(taken, cell, advance)[0] > 0
                             and room - _widths(taken, cell, advance)[0] >= 4 * cell):
                used = _widths(taken, cell, advance)[0]
                head, tail = _cut(pending.pop(0), room - used, cell, advance)
                taken.append(head)
                pending.insert(0, tail)
            break
        last = not pending
        taken = _trim_spaces(taken)
        if taken:
            lines.append(_place(taken, start, room, cell, advance, full=justify and not last))
        start = indent
    return lines


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
            out.append(_Atom([pair for _, pair in keep], [atom.loose[j] for j, _ in keep]))
        i += n
    if out:
        out[-1].loose[-1] = True
    return out


def _width(char: str, role: str, cell: float, advance: Callable[[str, str], float]) -> float:
    return cell if is_wide(char) else advance(char, role)


def _widths(line: list[_Atom], cell: float, advance) -> tuple[float, float]:
    """(natural width, most that squeezing punctuation can take off) of a candidate line."""
    chars = [c for atom in line for c in atom.chars]
    natural = sum(_width(c, r, cell, advance) for c, r in chars)
    squeeze = sum(cell / 2 for c, _ in chars if c in SQUEEZABLE)
    return natural, squeeze


def _cut(atom: _Atom, room: float, cell: float, advance) -> tuple[_Atom, _Atom]:
    """Cut an atom longer than a whole line: after the last / . ? & = - that fits (an URL reads
    on), else after the last character that fits."""
    used, n, soft = 0.0, 0, 0
    for char, role in atom.chars:
        width = _width(char, role, cell, advance)
        if used + width > room and n:
            break
        used += width
        n += 1
        if char in "/.?&=-_" and n < len(atom.chars):
            soft = n
    n = soft or n
    return (_Atom(atom.chars[:n], atom.loose[:n - 1] + [True]),
            _Atom(atom.chars[n:], atom.loose[n:]))


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
    extra = (room - total) / len(gaps) if full and gaps and room > total else 0.0
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
    flags = [flag for atom in line for flag in atom.loose[:-1] + [True]]
    return [i for i, flag in enumerate(flags[:-1]) if flag]
