#!/usr/bin/env bash
# Makes sure the letters' font for rare characters is on this machine and prints its folder.
#
# Letters print debtors' names in Noto Serif SC (a PyPI dependency) and fall back to HanaMin
# A and B (Debian's fonts-hanazono) for what Noto lacks: most of CJK Extension B and beyond
# and the compatibility ideographs. Without it a letter with such a name is refused (never
# printed with a box), so `make install` runs this. Safe to run any number of times; once
# the font exists it installs nothing.
set -euo pipefail

folder=/usr/share/fonts/truetype/hanazono
if [[ ! -f "$folder/HanaMinB.ttf" ]]; then
    if [[ $(id -u) -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo -n)
    else
        echo "ensure_fonts: fonts-hanazono is missing and we are neither root nor have sudo;" \
            "letters naming rare characters will be refused" >&2
        exit 3  # "cannot install here", as opposed to "the install failed"
    fi
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends fonts-hanazono >&2
    if [[ ! -f "$folder/HanaMinB.ttf" ]]; then
        echo "ensure_fonts: installed fonts-hanazono but found no $folder/HanaMinB.ttf" >&2
        exit 1
    fi
fi

echo "$folder"
