"""Where Chinese fonts live on Windows, macOS and Linux: candidate files per role, and fc-list."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

# Roles follow GB/T 9704-2012 §7 (facts.md §6): body 仿宋, title and authority mark 小标宋
# (宋体 where 小标宋 is not installed), level-1 headings 黑体. Each entry is (file name, subfont
# index); the index matters only for .ttc collections.
_WINDOWS = {
    "body": [("simfang.ttf", 0), ("STFANGSO.TTF", 0), ("simsun.ttc", 0), ("simhei.ttf", 0),
             ("msyh.ttc", 0)],
    "title": [("FZXBSJW.TTF", 0), ("simsun.ttc", 0), ("simhei.ttf", 0)],
    "heading": [("simhei.ttf", 0), ("msyhbd.ttc", 0)],
    # SimSun-ExtB / ExtG hold CJK extension B–G (rare name characters such as 𠮷);
    # Segoe UI Symbol holds ☑ and similar marks.
    "fallback": [("simsunb.ttf", 0), ("SimsunExtG.ttf", 0), ("seguisym.ttf", 0),
                 ("msyh.ttc", 0), ("simsun.ttc", 0)],
}
_MACOS = {
    "body": [("STFangsong.ttf", 0), ("Songti.ttc", 0), ("STHeiti Light.ttc", 0),
             ("Arial Unicode.ttf", 0)],
    "title": [("Songti.ttc", 0), ("STHeiti Medium.ttc", 0)],
    "heading": [("STHeiti Medium.ttc", 0), ("STHeiti Light.ttc", 0)],
    "fallback": [("Arial Unicode.ttf", 0), ("Songti.ttc", 0), ("Apple Symbols.ttf", 0)],
}
_MACOS_DIRS = ("/System/Library/Fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts",
               "~/Library/Fonts")
# Linux (and macOS with fontconfig): family names in order of preference for each role; fonts-wqy-microhei is the
# documented fallback the workbench is tested with (Debian/Ubuntu package of that name).
_FC_FAMILIES = {
    "body": ["FangSong", "SimSun", "AR PL UMing CN", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Noto Serif CJK SC", "Noto Sans CJK SC"],
    "title": ["SimSun", "AR PL UMing CN", "Noto Serif CJK SC"],
    "heading": ["SimHei", "WenQuanYi Zen Hei", "Noto Sans CJK SC"],
    "fallback": [],
}
_LINUX_FILES = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                "/usr/share/fonts/truetype/arphic/uming.ttc"]


def candidates(role: str) -> Iterator[tuple[Path, int]]:
    """Font files worth trying for ``role`` on this system, best first; only existing files.

    Args:
        role: ``body``, ``title``, ``heading`` or ``fallback``.

    Yields:
        (path, subfont index) pairs. Files may still turn out unusable (e.g. CFF outlines).
    """
    platform = _platform()
    if platform == "win32":
        yield from _in_dirs(_WINDOWS[role], _windows_dirs())
        return
    if platform == "darwin":
        yield from _in_dirs(_MACOS[role], [Path(d).expanduser() for d in _MACOS_DIRS])
    for family in _FC_FAMILIES[role]:
        yield from fc_list(f"{family}:lang=zh-cn")
    if role == "body":
        yield from ((Path(p), 0) for p in _LINUX_FILES if Path(p).is_file())
        yield from fc_list(":lang=zh-cn")


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


def _in_dirs(entries: list[tuple[str, int]], dirs: list[Path]) -> Iterator[tuple[Path, int]]:
    for name, index in entries:
        for folder in dirs:
            path = folder / name
            if path.is_file():
                yield path, index


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
