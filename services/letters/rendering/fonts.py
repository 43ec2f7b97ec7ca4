"""The letters' fonts: a quick-to-embed cut of Noto Serif SC, made once per machine, the
full Noto Serif SC, and HanaMin A and B (Debian's fonts-hanazono, installed by
deploy/ensure_fonts.sh) for what Noto lacks: most of CJK Extension B and beyond and the
compatibility ideographs that debtors' names use.

Typst embeds a subset of each font a letter uses, and subsetting Noto Serif SC costs
~0.06 ms per distinct glyph because of its CFF subroutines; a letter uses 250–350 glyphs.
A cut holding GB2312's 6,763 hanzi, ASCII and CJK punctuation with the subroutines
expanded embeds 2.5× faster (measured: 21 → 8 ms for the overdue notice). Letters name
it first and fall back to the full font for any character it lacks, then to HanaMin. Typst
embeds only the glyphs a letter uses, so a rare name adds a few glyphs, not the 50 MB font.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

import pylopdf_fonts_zh_cn

from shared.logging import get_logger

log = get_logger(__name__)

FULL = Path(pylopdf_fonts_zh_cn.__file__).parent
SOURCE = FULL / "NotoSerifSC-Regular.otf"
QUICK_FAMILY = "Noto Serif SC Letters"
RARE = Path("/usr/share/fonts/truetype/hanazono")
"""HanaMinA (BMP: Extension A, compatibility ideographs) and HanaMinB (Extensions B–F)."""
FAMILIES = (QUICK_FAMILY, "Noto Serif SC", "HanaMinA", "HanaMinB")
FONT_SUFFIXES = (".otf", ".ttf", ".ttc")


def _gb2312() -> set[str]:
    chars = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def _cut(target: Path) -> None:
    from fontTools import subset  # type: ignore[import-untyped]

    target.parent.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.desubroutinize = True
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(SOURCE), options)
    subsetter = subset.Subsetter(options)
    wanted = _gb2312() | {chr(c) for c in (*range(0x20, 0x7F), *range(0x3000, 0x3040))}
    wanted |= {chr(c) for c in range(0xFF01, 0xFF5F)} | set("×·—…“”‘’□√")
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    names = font["name"]
    for name_id, value in (
        (1, QUICK_FAMILY),
        (4, QUICK_FAMILY),
        (6, "NotoSerifSCLetters"),
        (16, QUICK_FAMILY),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".otf", delete=False) as tmp:
        subset.save_font(font, tmp.name, options)
    os.replace(tmp.name, target)


def _rare() -> list[Path]:
    if RARE.is_dir():
        return [RARE]
    log.warning("letters_rare_font_missing", folder=str(RARE), fix="deploy/ensure_fonts.sh")
    return []


def font_dirs(cache: Path) -> list[Path]:
    """The folders Typst loads fonts from: the quick cut (made on first use), the full
    font and the rare-character font. The cut's name carries the source font's hash, so a
    new font makes a new cut."""
    digest = hashlib.sha256(SOURCE.read_bytes()[: 1 << 20]).hexdigest()[:12]
    quick = cache / f"serif-{digest}" / "NotoSerifSCLetters.otf"
    if not quick.exists():
        try:
            _cut(quick)
        except OSError as exc:  # an unwritable cache: slower letters, never none
            log.warning("letters_quick_font_unavailable", folder=str(cache), error=str(exc)[:200])
            return [FULL, *_rare()]
    return [quick.parent, FULL, *_rare()]


@cache
def coverage(folder: Path) -> frozenset[int]:
    """Every code point some font in ``folder`` has a glyph for (read once per process)."""
    from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

    covered: set[int] = set()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        fonts = (
            TTCollection(str(path), lazy=True).fonts
            if path.suffix.lower() == ".ttc"
            else [TTFont(str(path), lazy=True)]
        )
        for font in fonts:
            covered.update(font.getBestCmap() or {})
    return frozenset(covered)


def covers(dirs: list[Path], code_point: int) -> bool:
    """Whether a font in ``dirs`` draws ``code_point``; the folders are read in order and
    only when needed, so a letter in common characters never reads the large fonts."""
    return any(code_point in coverage(folder) for folder in dirs)
