"""Letters to PDF (and a PNG preview) with Typst and an embedded Noto Serif SC subset.

Untagged PDF: tagging cost ~40 % more time and ~10 % more bytes per letter (measured).
The case's data reaches a template only as one JSON document (``sys.inputs.data``); no
caller text is ever spliced into template source. Typst releases the GIL while it
compiles, so letters of a batch render on several threads, one compiler each.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import typst

from services.letters.domain.printable import Unprintable, unprintable
from services.letters.rendering.fonts import covers

TEMPLATES = Path(__file__).parent / "templates"


class Renderer:
    """Compilers per template (fonts loaded once each), in a working folder that holds the
    templates and the clients' seal images — the only files a template can read."""

    def __init__(self, workdir: Path, fonts: list[Path]) -> None:
        self.root = workdir
        self.fonts = [str(f) for f in fonts]
        self._font_dirs = list(fonts)
        self._drawn: set[int] = set()
        (self.root / "seals").mkdir(parents=True, exist_ok=True)
        for template in TEMPLATES.glob("*.typ"):
            _place(template, self.root / template.name)
        self._idle: dict[str, queue.SimpleQueue[typst.Compiler]] = {}
        self._guard = threading.Lock()

    def seal_path(self, sha256: str, content: bytes) -> str:
        """The seal image as a template names it, written once into the working folder."""
        target = self.root / "seals" / f"{sha256}.img"
        if not target.exists():
            target.write_bytes(content)
        return f"/seals/{sha256}.img"

    def unprintable(self, data: dict[str, Any]) -> list[Unprintable]:
        """The characters of a letter's data that none of its fonts can draw."""
        return unprintable(data, self._draws)

    def _draws(self, code_point: int) -> bool:
        if code_point in self._drawn:
            return True
        if covers(self._font_dirs, code_point):
            self._drawn.add(code_point)
            return True
        return False

    def has_seal(self, sha256: str) -> bool:
        return (self.root / "seals" / f"{sha256}.img").exists()

    @contextmanager
    def _compiler(self, template: str) -> Iterator[typst.Compiler]:
        with self._guard:
            idle = self._idle.setdefault(template, queue.SimpleQueue())
        try:
            compiler = idle.get_nowait()
        except queue.Empty:
            if not (self.root / template).exists():
                raise LookupError(f"no template {template}") from None
            compiler = typst.Compiler(
                str(self.root / template),
                root=str(self.root),
                font_paths=self.fonts,
                ignore_system_fonts=True,
            )
        try:
            yield compiler
        finally:
            idle.put(compiler)

    def render(
        self, template: str, data: dict[str, Any], fmt: Literal["pdf", "png"] = "pdf"
    ) -> bytes:
        inputs = {"data": json.dumps(data, ensure_ascii=False)}
        with self._compiler(template) as compiler:
            if fmt == "png":
                out = compiler.compile(format="png", ppi=110, sys_inputs=inputs)
            else:
                out = compiler.compile(format="pdf", pdf_tags=False, sys_inputs=inputs)
        if isinstance(out, list):  # one PNG per page: the preview shows the first
            out = out[0]
        if out is None:
            raise RuntimeError(f"typst wrote {template} nowhere")
        return bytes(out)


def _place(source: Path, target: Path) -> None:
    """Copy a template into the working folder whole or not at all: another process's
    compiler may be reading the folder (several workers share the data folder)."""
    content = source.read_bytes()
    if target.exists() and target.read_bytes() == content:
        return
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_bytes(content)
    os.replace(partial, target)
