"""A workbook's shared strings kept packed, and the few each slice of a sheet uses (issue 12).

Excel keeps every text of a workbook once, in one shared-strings part (``xl/sharedStrings.xml``),
and a cell holds its string's number (``<c t="s"><v>17</v></c>``). python-calamine parses that
whole part whenever it opens a package, so a sheet read in slices (importers/xlsx_slices.py)
with the original part parsed it again for every slice and held it all while reading one; such
sheets were read whole instead (a 300,000-row list saved by Excel, 125 MB of shared strings:
1,005 MB peak for the whole import).

Here the part is unpacked once, as a stream, and each string's XML (its ``<si>`` element, byte
for byte) is kept in zlib-packed blocks. A slice's XML is rewritten so that its shared-string
cells count from 0 (in the order of the strings' numbers), and the slice gets a shared-strings
part of only those strings' ``<si>`` elements, unchanged. calamine still decodes every string
itself — rich-text runs, phonetic runs, ``xml:space``, entities, ``_xHHHH_`` escapes, empty
strings — the same way as in the whole part, since it gets the same element; a number past the
end of the table is left as it is, so calamine refuses it as it would in the whole read. The
measuring pass over the slices needs no strings (:meth:`SharedStrings.for_measuring`) and notes
which slice uses each block last; while the rows are read, each block is let go after that
slice.

Only a part and cells of the plain shapes every spreadsheet writer uses are handled so; anything
else (comments, CDATA, processing instructions or a DOCTYPE in the part, ``<si/>``, other
namespace prefixes on ``<si>``, a cell of type ``s`` whose number is not plain digits or that
holds more than ``<v>``) raises :class:`UnusualSharedStrings`, and the sheet is read as before
(each slice with the whole part, see ``sheet_reader._slice_bytes``).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from array import array
from bisect import bisect_left
from collections import OrderedDict
from itertools import accumulate

#: Strings per packed block. A block of an Excel-saved list holds ~25 KB of XML; unpacking
#: one takes ~0.1 ms, and a slice mostly uses the strings of its own few blocks.
BLOCK_STRINGS = 512
_CHUNK = 1 << 20  # bytes unpacked at a time
#: Unpacked blocks kept for later slices, in bytes: a slice of the benchmark's messy list uses
#: strings of ~380 blocks (dates, providers, names first seen long before), ~30 of them new.
_CACHE_BYTES = 4 << 20
_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
_SST_START = re.compile(rb"<(" + _NAME + rb")sst(?:\s[^>]*)?>")
_ANY_SI = re.compile(rb"<" + _NAME + rb"si\b")  # start or empty tags, any prefix
_COUNT_ATTR = re.compile(rb"(\s(?:uniqueCount|count)\s*=\s*)([\"'])[^\"']*\2")
_XML_DECL = re.compile(rb"^(?:\xef\xbb\xbf)?<\?xml\s[^>]*\?>")
#: ``t="s"`` spelled otherwise (spaces around ``=``, single quotes): with the count of ``t="s"``
#: in each slice, a shared-string cell the rewrite did not recognise sends the sheet another way.
_OTHER_TYPE_S = re.compile(rb"t(?:\s+=\s*[\"']s|=\s+[\"']s|='s')")


class UnusualSharedStrings(Exception):
    """The part or a cell is not of the plain shape handled here (read the sheet another way)."""


def shared_strings_part(archive: zipfile.ZipFile, sheet_part: str) -> str | None:
    """The zip member calamine reads as the shared strings of the workbook holding
    ``sheet_part`` (``<workbook folder>/sharedStrings.xml``, as calamine names it), or None."""
    folder = sheet_part.split("/worksheets/")[0] if "/worksheets/" in sheet_part else "xl"
    name = f"{folder}/sharedStrings.xml"
    try:
        archive.getinfo(name)
    except KeyError:
        return None
    return name


class SharedStrings:
    """The ``<si>`` elements of one shared-strings part, packed, and per-slice parts of them.

    Attributes:
        count: the number of strings (``<si>`` elements) in the part.
        packed_bytes: the packed blocks' total size in bytes.

    Args:
        archive: the open xlsx package. part: the shared-strings member (see
            :func:`shared_strings_part`).

    Raises:
        UnusualSharedStrings: see the module docstring.
        zipfile.BadZipFile, zlib.error, EOFError: the package is damaged.
    """

    def __init__(self, archive: zipfile.ZipFile, part: str):
        self._archive_data: bytes | None = None
        self._part = part
        self._measured = 0  # slices measured so far (first pass)
        self._given = 0  # slices given out so far in this reading pass
        self._last_use: dict[int, int] = {}  # block → the last slice (0-based) using it
        self._release: dict[int, list[int]] = {}  # slice → the blocks no later slice uses
        self._load(archive, part)

    @classmethod
    def from_package(cls, data: bytes, part: str) -> SharedStrings:
        """The shared strings of xlsx package ``data`` (see the class); kept able to read them
        again from ``data`` if a sheet is read a second time after blocks were let go."""
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            shared = cls(archive, part)
        shared._archive_data = data
        return shared

    def _load(self, archive: zipfile.ZipFile, part: str) -> None:
        """Unpack ``part`` of ``archive`` into packed blocks (see the class)."""
        self._blocks: list[bytes | None] = []
        self._cache: OrderedDict[int, tuple[bytes, list[int]]] = OrderedDict()
        self._cached_bytes = 0
        self._cell_res: dict[tuple[bytes, bool], re.Pattern] = {}
        self.count = 0
        pending: list[bytes] = []  # the elements (``<si>…</si>``) not yet packed
        with archive.open(part) as stream:
            buf = b""
            while (found := _SST_START.search(buf)) is None:
                chunk = stream.read(_CHUNK)
                if not chunk or len(buf) > 4 * _CHUNK:
                    raise UnusualSharedStrings("no <sst>")
                buf += chunk
            head = buf[:found.end()]
            if b"<!" in head or b"<?" in _XML_DECL.sub(b"", head):
                raise UnusualSharedStrings("DOCTYPE, comment or processing instruction before <sst>")
            prefix = found.group(1)
            self._head, self._foot = head, b"</" + prefix + b"sst>"
            self._prefix = prefix
            end = b"</" + prefix + b"si>"
            buf = buf[found.end():]
            while True:
                chunk = stream.read(_CHUNK)
                buf += chunk
                last = buf.rfind(end)
                if last >= 0:
                    whole, buf = buf[:last + len(end)], buf[last + len(end):]
                    pieces = whole.split(end)
                    pieces.pop()  # b"" after the last end tag
                    self._check(whole, len(pieces))
                    del whole
                    pending.extend(pieces)
                    self.count += len(pieces)
                    while len(pending) >= BLOCK_STRINGS:
                        self._pack(pending[:BLOCK_STRINGS], end)
                        del pending[:BLOCK_STRINGS]
                if not chunk:
                    break
        self._check_tail(buf)
        if pending:
            self._pack(pending, end)
        self.packed_bytes = sum(map(len, self._blocks))

    def rewind(self) -> None:
        """Start a reading pass over the slices (the slices are then given out in order)."""
        self._given = 0

    def _check(self, whole: bytes, pieces: int) -> None:
        """``whole`` holds exactly ``pieces`` ``<si>`` elements, each of the plain shape
        ``<si>…</si>`` or ``<si …>…</si>`` with the part's prefix (counted with ``bytes.count``,
        which is about four times faster here than any pattern)."""
        p = self._prefix
        plain, with_attributes = whole.count(b"<" + p + b"si>"), whole.count(b"<" + p + b"si ")
        if b"<!" in whole or b"<?" in whole:
            raise UnusualSharedStrings("comment, CDATA or processing instruction")
        # "si>" only in this prefix's start and end tags: no other prefix, no "<si/>", no
        # "</si >"; ":si " only in this prefix's start tags; no <sst> inside.
        if (plain + with_attributes != pieces or whole.count(b"si>") != plain + pieces
                or b"si/>" in whole or whole.count(b":si ") != (with_attributes if p else 0)
                or b"sst" in whole):
            raise UnusualSharedStrings("<si> elements of another shape")

    def _check_tail(self, tail: bytes) -> None:
        """What follows the last ``<si>``: the part's end tag and nothing that is a string."""
        if b"<!" in tail or b"<?" in tail or _ANY_SI.search(tail) or self._foot not in tail:
            raise UnusualSharedStrings("no </sst> after the last string")

    def _pack(self, pieces: list[bytes], end: bytes) -> None:
        """Pack ``pieces`` (elements without their end tag ``end``) as the next block: the
        elements' sizes (uint32) then the elements, end tags put back."""
        sizes = array("I", map(len(end).__add__, map(len, pieces)))
        self._blocks.append(zlib.compress(sizes.tobytes() + end.join(pieces) + end, 1))

    def _block(self, number: int) -> tuple[bytes, list[int]]:
        """Block ``number`` unpacked, with the start of each element and the end of the last."""
        found = self._cache.get(number)
        if found is not None:
            self._cache.move_to_end(number)
            return found
        packed = self._blocks[number]
        if packed is None:   # let go after its last slice, and the sheet is read again
            if self._archive_data is None:
                raise UnusualSharedStrings("shared strings let go")
            with zipfile.ZipFile(io.BytesIO(self._archive_data)) as archive:
                self._load(archive, self._part)
            self._release.clear()
            packed = self._blocks[number]
        raw = zlib.decompress(packed)
        sizes = array("I")
        strings = min(BLOCK_STRINGS, self.count - number * BLOCK_STRINGS)
        sizes.frombytes(raw[:4 * strings])
        found = self._cache[number] = (raw, list(accumulate(sizes, initial=4 * strings)))
        self._cached_bytes += len(raw)
        while self._cached_bytes > _CACHE_BYTES and len(self._cache) > 1:
            self._cached_bytes -= len(self._cache.popitem(last=False)[1][0])
        return found

    def _cell_re(self, prefix: bytes, number_only: bool = False) -> re.Pattern:
        """The plain shared-string cell (``<c r="B5" s="3" t="s"><v>17</v>``) of a worksheet
        whose elements carry ``prefix``; groups: the XML before the number and the number (then
        ``</v>``), or with ``number_only`` the number alone (for ``findall``). It starts at
        `` t="s"``: only a cell's start tag can be followed by ``<v>``. Two groups, not three, so
        that ``split`` makes fewer objects."""
        found = self._cell_res.get((prefix, number_only))
        if found is None:
            value = re.escape(prefix + b"v")
            found = self._cell_res[(prefix, number_only)] = re.compile(
                (rb"(?:" if number_only else rb"(") + rb' t="s"[^<>]*(?<!/)><' + value + rb">)"
                rb"(0|[1-9][0-9]{0,8})(?=</" + value + rb">)")
        return found

    def for_measuring(self, xml: bytes, prefix: bytes) -> tuple[bytes, bytes | None]:
        """``xml`` (a worksheet slice, as for :meth:`for_slice`) for measuring only: where its
        rows start and end and how wide they are. Its shared-string cells become numbers
        (``t="n"``), which calamine places exactly where it places the strings (an empty
        string is a cell too), without any shared strings to parse; the second item is then
        None. A slice with a number past the end of the table is given as :meth:`for_slice`
        gives it, so that calamine refuses it here, before any row is handed out.

        Raises:
            UnusualSharedStrings: as :meth:`for_slice`.
        """
        found = self._cell_re(prefix, number_only=True).findall(xml)
        if len(found) != xml.count(b't="s"') or _OTHER_TYPE_S.search(xml):
            raise UnusualSharedStrings("a shared-string cell of another shape")
        indexes = list(map(int, found))
        del found
        slice_number = self._measured
        self._measured += 1
        last_use = self._last_use
        for block in set(map(BLOCK_STRINGS.__rfloordiv__, indexes)):
            last_use[block] = slice_number
        if indexes and max(indexes) >= self.count:
            return self._for_slice(xml, prefix)
        del indexes
        return xml.replace(b't="s"', b't="n"'), None

    def measured(self) -> None:
        """The first pass is over: from now on each block is let go after the last slice that
        uses it (a list saved by Excel numbers its strings in order of first use, so most
        blocks go soon after they were first needed, and the table shrinks while the rows are
        read instead of being held to the end)."""
        self._release = {}
        for block, slice_number in self._last_use.items():
            self._release.setdefault(slice_number, []).append(block)
        self._last_use = {}

    def for_slice(self, xml: bytes, prefix: bytes) -> tuple[bytes, bytes]:
        """``xml`` (the next worksheet slice of a reading pass, its elements in namespace
        ``prefix``, ``b""`` or e.g. ``b"x:"``) with its shared-string cells renumbered from 0
        (in the strings' order), and the shared-strings part holding just those strings.
        The blocks no later slice uses are let go (see :meth:`measured`).

        Raises:
            UnusualSharedStrings: a cell of type ``s`` not of the plain shape
                ``<c … t="s"><v>digits</v></c>``.
        """
        out = self._for_slice(xml, prefix)
        for block in self._release.pop(self._given, ()):
            self._blocks[block] = None
            found = self._cache.pop(block, None)
            if found is not None:
                self._cached_bytes -= len(found[0])
        self._given += 1
        return out

    def _for_slice(self, xml: bytes, prefix: bytes) -> tuple[bytes, bytes]:
        """:meth:`for_slice` without letting any block go."""
        # split() keeps the groups: pieces[2::3] are the numbers, the rest the XML around them.
        pieces = self._cell_re(prefix).split(xml)
        indexes = list(map(int, pieces[2::3]))
        if len(indexes) != xml.count(b't="s"') or _OTHER_TYPE_S.search(xml):
            raise UnusualSharedStrings("a shared-string cell of another shape")
        used = sorted(set(indexes))
        past = []   # numbers past the end: left as they are, calamine refuses them in the whole part too
        while used and used[-1] >= self.count:
            past.append(used.pop())
        new = dict(zip(used, map(b"%d".__mod__, range(len(used))), strict=True))
        new.update((index, b"%d" % index) for index in past)
        pieces[2::3] = map(new.__getitem__, indexes)
        out = b"".join(pieces)
        del pieces, indexes
        parts = [_COUNT_ATTR.sub(b"\\g<1>\\g<2>%d\\g<2>" % len(used), self._head)]
        at = 0
        while at < len(used):
            number = used[at] // BLOCK_STRINGS
            raw, starts = self._block(number)
            first = number * BLOCK_STRINGS
            stop = bisect_left(used, first + BLOCK_STRINGS, at)
            if used[stop - 1] - used[at] == stop - 1 - at:   # a run: one piece of the block
                parts.append(raw[starts[used[at] - first]:starts[used[stop - 1] - first + 1]])
            else:
                parts.extend([raw[starts[k - first]:starts[k - first + 1]] for k in used[at:stop]])
            at = stop
        parts.append(self._foot)
        return out, b"".join(parts)


__all__ = ["BLOCK_STRINGS", "SharedStrings", "UnusualSharedStrings", "shared_strings_part"]
