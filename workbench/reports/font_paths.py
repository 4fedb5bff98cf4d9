"""Where the fonts of each document role live on Windows, macOS and Linux, and fc-list.

Roles follow GB/T 9704-2012 (gbt9704.md §3–§4): title 小标宋, body 仿宋, level-1 heading 黑体,
level-2 heading 楷体, page numbers 宋体. For each role the platform's own faces come first
(``proper``); then the free stand-ins packaging/install-fonts.sh installs (fonts.md §1); then,
as a last resort, any Chinese TrueType font (also a stand-in). Names and files: fonts.md §4.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROLES = ("title", "body", "heading1", "heading2", "page_number")


class Candidate(NamedTuple):
    """A font file worth trying for a role.

    Attributes:
        path: the .ttf/.ttc file (exists when yielded).
        index: face index inside a .ttc collection (0 for .ttf).
        proper: True for the role's GB/T 9704 face (仿宋_GB2312, 黑体…), False for a stand-in.
    """

    path: Path
    index: int
    proper: bool


# Windows: (file name, face index, proper). 仿宋_GB2312 / 楷体_GB2312 are user-installed files
# (not shipped since Vista); simfang/simkai are 仿宋/楷体, accepted as the role's face.
_WINDOWS: dict[str, list[tuple[str, int, bool]]] = {
    "title": [("FZXBSJW.TTF", 0, True), ("方正小标宋简体.ttf", 0, True), ("方正小标宋_GBK.ttf", 0, True),
              ("simsun.ttc", 0, False), ("simhei.ttf", 0, False)],
    "body": [("仿宋_GB2312.ttf", 0, True), ("FangSong_GB2312.ttf", 0, True), ("simfang.ttf", 0, True),
             ("STFANGSO.TTF", 0, True), ("simsun.ttc", 0, False), ("simhei.ttf", 0, False),
             ("msyh.ttc", 0, False)],
    "heading1": [("simhei.ttf", 0, True), ("msyhbd.ttc", 0, False), ("msyh.ttc", 0, False)],
    "heading2": [("楷体_GB2312.ttf", 0, True), ("KaiTi_GB2312.ttf", 0, True), ("simkai.ttf", 0, True),
                 ("STKAITI.TTF", 0, True), ("simfang.ttf", 0, False), ("simsun.ttc", 0, False)],
    "page_number": [("simsun.ttc", 0, True), ("simhei.ttf", 0, False)],
    # SimSun-ExtB / ExtG hold CJK extension B–G (rare name characters such as 𠮷);
    # Segoe UI Symbol holds ☑ and similar marks.
    "fallback": [("simsunb.ttf", 0, False), ("SimsunExtG.ttf", 0, False), ("seguisym.ttf", 0, False),
                 ("msyh.ttc", 0, False), ("simsun.ttc", 0, False)],
}
# macOS: nothing verified on a Mac (fonts.md §4); CFF files (PingFang) fail later and are skipped.
_MACOS: dict[str, list[tuple[str, int, bool]]] = {
    "title": [("FZXBSJW.TTF", 0, True), ("Songti.ttc", 0, False), ("STHeiti Medium.ttc", 0, False)],
    "body": [("STFangsong.ttf", 0, True), ("Songti.ttc", 0, False), ("STHeiti Light.ttc", 0, False),
             ("Arial Unicode.ttf", 0, False)],
    "heading1": [("STHeiti Medium.ttc", 0, True), ("STHeiti Light.ttc", 0, True)],
    "heading2": [("Kaiti.ttc", 0, True), ("STKaiti.ttf", 0, True), ("Songti.ttc", 0, False)],
    "page_number": [("Songti.ttc", 0, True), ("STSong.ttf", 0, True)],
    "fallback": [("Arial Unicode.ttf", 0, False), ("Songti.ttc", 0, False), ("Apple Symbols.ttf", 0, False)],
}
_MACOS_DIRS = ("/System/Library/Fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts",
               "~/Library/Fonts")
# fontconfig family names of each role's own face (zh and en names, fonts.md §4).
_FC_PROPER = {
    "title": ["FZXiaoBiaoSong-B05S", "方正小标宋简体", "方正小标宋_GBK"],
    "body": ["FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋"],
    "heading1": ["SimHei", "黑体"],
    "heading2": ["KaiTi_GB2312", "楷体_GB2312", "KaiTi", "楷体"],
    "page_number": ["SimSun", "宋体"],
    "fallback": [],
}
# The checked free stand-ins (fonts.md §1): files packaging/install-fonts.sh puts in the
# workbench font folder, and Debian/Ubuntu package files.
_STAND_INS = {
    "title": [("NotoSerifSC_700Bold.ttf", 0), ("FandolSong-Bold.ttf", 0)],
    "body": [("FandolFang-Regular.ttf", 0)],
    "heading1": [("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0)],
    "heading2": [("/usr/share/fonts/truetype/arphic/ukai.ttc", 0)],
    "page_number": [("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
                    ("NotoSerifSC_400Regular.ttf", 0)],
    "fallback": [],
}
# Last resort for every role, before any Chinese font fontconfig knows.
_ANY_CJK = ["/usr/share/fonts/truetype/arphic/uming.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"]
FONT_DIR_ENV = "WORKBENCH_FONT_DIR"


def candidates(role: str) -> Iterator[Candidate]:
    """Font files worth trying for ``role`` on this system, best first; only existing files.

    Args:
        role: one of ``ROLES`` or ``fallback``.

    Yields:
        Candidates: the role's own faces first, then stand-ins. Files may still turn out
        unusable (e.g. CFF outlines); the caller checks.
    """
    platform = _platform()
    if platform == "win32":
        yield from _in_dirs(_WINDOWS[role], _windows_dirs())
    elif platform == "darwin":
        yield from _in_dirs(_MACOS[role], [Path(d).expanduser() for d in _MACOS_DIRS])
    for family in _FC_PROPER[role]:
        yield from (Candidate(p, i, True) for p, i in fc_list(f"{family}:lang=zh-cn"))
    for name, index in _STAND_INS[role]:
        for path in _stand_in_paths(name):
            yield Candidate(path, index, False)
    if role != "fallback":
        yield from (Candidate(Path(p), 0, False) for p in _ANY_CJK if Path(p).is_file())
        yield from (Candidate(p, i, False) for p, i in fc_list(":lang=zh-cn"))


def font_dirs() -> list[Path]:
    """Folders where packaging/install-fonts.sh (or the user) puts the stand-in fonts:
    ``$WORKBENCH_FONT_DIR``, the packaged app's ``fonts`` folder, /usr/local/share/fonts/workbench, ~/.local/share/fonts/workbench
    and the per-user data folder's ``fonts`` (Windows and macOS too)."""
    dirs = []
    if os.environ.get(FONT_DIR_ENV):
        dirs.append(Path(os.environ[FONT_DIR_ENV]))
    if getattr(sys, "frozen", False):   # the packaged app's own stand-ins (packaging/workbench.spec)
        dirs.append(Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "fonts")
    dirs += [Path("/usr/local/share/fonts/workbench"),
             Path("~/.local/share/fonts/workbench").expanduser()]
    try:
        from platformdirs import user_data_dir

        dirs.append(Path(user_data_dir("inspection-workbench", appauthor=False)) / "fonts")
    except ImportError:  # platformdirs is a dependency; a stripped bundle may lack it
        pass
    return dirs


def _stand_in_paths(name: str) -> Iterator[Path]:
    if "/" in name:
        if Path(name).is_file():
            yield Path(name)
        return
    for folder in font_dirs():
        if (folder / name).is_file():
            yield folder / name


def _platform() -> str:
    """sys.platform, behind a function so tests can simulate Windows and macOS."""
    return sys.platform


def _windows_dirs() -> list[Path]:
    root = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    dirs = [Path(root) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _in_dirs(entries: list[tuple[str, int, bool]], dirs: list[Path]) -> Iterator[Candidate]:
    for name, index, proper in entries:
        for folder in dirs:
            path = folder / name
            if path.is_file():
                yield Candidate(path, index, proper)


def fc_list(pattern: str) -> list[tuple[Path, int]]:
    """Font files fontconfig lists for ``pattern`` (e.g. ``:charset=20bb7``); [] without fc-list.

    Args:
        pattern: a fontconfig pattern.

    Returns:
        (path, face index) pairs in fontconfig's order; empty when fc-list is missing or fails.
    """
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        done = subprocess.run([exe, "--format", "%{file}|%{index}|%{style}\n", pattern],
                              capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    found = []
    for line in done.stdout.splitlines():
        file, index, style = (line.split("|") + ["", ""])[:3]
        if file and Path(file).is_file():
            rank = (_TRUETYPE_FIRST.get(Path(file).suffix.lower(), 9),
                    0 if ("Regular" in style or "Book" in style) else 1)
            found.append((rank, Path(file), int(index) if index.isdigit() else 0))
    return [(path, index) for _, path, index in sorted(found, key=lambda item: item[0])]


# reportlab embeds TrueType outlines only, so .otf (CFF) files are tried last (and usually
# rejected); upright regular faces come before bold and oblique ones.
_TRUETYPE_FIRST = {".ttf": 0, ".ttc": 1, ".otf": 2, ".otc": 3}
