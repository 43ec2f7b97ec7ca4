"""Where letters' files live: PDFs, uploaded proof and seal images, each in two copies by
SHA-256; and the renderer's working folder."""

from __future__ import annotations

import threading
from pathlib import Path

from services.letters.rendering.fonts import font_dirs
from services.letters.rendering.renderer import Renderer
from services.letters.settings import LettersSettings
from shared.filestore import TwoCopyStore

PDFS, PROOF, SEALS = "letters", "letter-proof", "seals"


def store(settings: LettersSettings, kind: str) -> TwoCopyStore:
    return TwoCopyStore(*settings.store_dirs, kind=kind)


_renderers: dict[tuple[Path, Path], Renderer] = {}
_renderers_guard = threading.Lock()


def _renderer_at(workdir: Path, font_cache: Path) -> Renderer:
    """One renderer per working folder, made once even when a batch's threads ask for it
    together (a second one would rewrite the templates under the first one's compilers)."""
    with _renderers_guard:
        made = _renderers.get((workdir, font_cache))
        if made is None:
            made = _renderers[(workdir, font_cache)] = Renderer(workdir, font_dirs(font_cache))
        return made


def renderer(settings: LettersSettings) -> Renderer:
    return _renderer_at(settings.data_dir / "typst", settings.font_cache_dir)
