"""Where letters' files live: PDFs, uploaded proof and seal images, each in two copies by
SHA-256; and the renderer's working folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from services.letters.rendering import Renderer
from services.letters.settings import LettersSettings
from shared.filestore import TwoCopyStore

PDFS, PROOF, SEALS = "letters", "letter-proof", "seals"


def store(settings: LettersSettings, kind: str) -> TwoCopyStore:
    return TwoCopyStore(*settings.store_dirs, kind=kind)


@cache
def _renderer_at(workdir: Path) -> Renderer:
    return Renderer(workdir)


def renderer(settings: LettersSettings) -> Renderer:
    return _renderer_at(settings.data_dir / "typst")
