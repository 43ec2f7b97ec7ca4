"""Where letters' files live: PDFs, uploaded proof and seal images, each in two copies by
SHA-256; and the renderer's working folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from services.letters.fonts import font_dirs
from services.letters.rendering import Renderer
from services.letters.settings import LettersSettings
from shared.filestore import TwoCopyStore

PDFS, PROOF, SEALS = "letters", "letter-proof", "seals"


def store(settings: LettersSettings, kind: str) -> TwoCopyStore:
    return TwoCopyStore(*settings.store_dirs, kind=kind)


@cache
def _renderer_at(workdir: Path, font_cache: Path) -> Renderer:
    return Renderer(workdir, font_dirs(font_cache))


def renderer(settings: LettersSettings) -> Renderer:
    return _renderer_at(settings.data_dir / "typst", settings.font_cache_dir)
