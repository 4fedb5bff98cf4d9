#!/usr/bin/env bash
# Installs the free stand-in fonts the documents use when the GB/T 9704 faces (方正小标宋简体,
# 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) are not on the machine: Debian/Ubuntu, as root.
# Which font stands in for which role and why: docs/documents.md and ../shared/domain/fonts.md.
#
#   title 小标宋  → Noto Serif SC Bold (npm @expo-google-fonts/noto-serif-sc, TrueType, OFL-1.1)
#   body 仿宋     → FandolFang Regular (texlive-lang-chinese, CFF → converted to TrueType here,
#                   because reportlab embeds TrueType outlines only; GPL with font exception)
#   heading1 黑体 → WenQuanYi Micro Hei (apt fonts-wqy-microhei)
#   heading2 楷体 → AR PL UKai CN (apt fonts-arphic-ukai)
#   page 宋体     → AR PL UMing CN (apt fonts-arphic-uming)
#
# The two downloaded fonts go to $WORKBENCH_FONT_DIR (default /usr/local/share/fonts/workbench),
# where workbench/reports/font_paths.py looks for them. Converting needs fontTools: the script uses
# $PYTHON, else the checkout's .venv (scripts/setup), else python3, and installs fontTools into it
# (pip into a venv, apt python3-fonttools for the system python). npm is used for Noto Serif SC
# (without npm the title gets FandolSong Bold, converted like FandolFang). Takes 20–60 s.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
py="${PYTHON:-}"
if [ -z "$py" ]; then
  if [ -x "$root/.venv/bin/python" ]; then py="$root/.venv/bin/python"; else py=python3; fi
fi
if ! "$py" -c 'import fontTools' 2>/dev/null; then
  "$py" -m pip install -q fonttools 2>/dev/null || apt-get install -y -qq python3-fonttools >/dev/null
fi
convert() { PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" "$py" -m workbench.reports.font_convert "$@"; }
dest="${WORKBENCH_FONT_DIR:-/usr/local/share/fonts/workbench}"
export DEBIAN_FRONTEND=noninteractive

apt-get install -y -qq --no-install-recommends \
  fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming >/dev/null
mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

fandol=./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
if [ ! -s "$dest/FandolFang-Regular.ttf" ] || { ! command -v npm >/dev/null && [ ! -s "$dest/FandolSong-Bold.ttf" ]; }; then
  # Only the OTFs out of the TeX Live package: installing it would pull in texlive-base.
  apt-get download texlive-lang-chinese >/dev/null 2>&1
  dpkg-deb --fsys-tarfile texlive-lang-chinese_*.deb | tar x --wildcards \
    "$fandol/FandolFang-Regular.otf" "$fandol/FandolSong-Bold.otf" \
    './usr/share/doc/texlive-lang-chinese/copyright'
  convert "$fandol/FandolFang-Regular.otf" "$dest/FandolFang-Regular.ttf"
  cp ./usr/share/doc/texlive-lang-chinese/copyright "$dest/Fandol-COPYRIGHT.txt"
fi

if [ ! -s "$dest/NotoSerifSC_700Bold.ttf" ]; then
  if command -v npm >/dev/null; then
    npm pack --silent @expo-google-fonts/noto-serif-sc@0.4.3 >/dev/null
    tar xzf expo-google-fonts-noto-serif-sc-0.4.3.tgz package/700Bold/NotoSerifSC_700Bold.ttf \
      package/LICENSE_FONT
    cp package/700Bold/NotoSerifSC_700Bold.ttf "$dest/"
    cp package/LICENSE_FONT "$dest/NotoSerifSC-OFL.txt"
  elif [ ! -s "$dest/FandolSong-Bold.ttf" ]; then
    # No npm: the lighter FandolSong Bold stands in for 小标宋 (fonts.md §1, apt-only route).
    convert "$fandol/FandolSong-Bold.otf" "$dest/FandolSong-Bold.ttf"
  fi
fi
command -v fc-cache >/dev/null && fc-cache -f "$dest" >/dev/null 2>&1 || true
echo "stand-in fonts installed in $dest (see $here/../docs/documents.md)"
