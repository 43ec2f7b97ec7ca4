"""A batch's threads share one renderer per working folder: a second one made alongside
would rewrite the templates while the first one's compilers read them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from services.letters.rendering.renderer import TEMPLATES
from services.letters.settings import LettersSettings
from services.letters.stores import renderer


def test_threads_asking_together_get_one_renderer_and_whole_templates(tmp_path: Path) -> None:
    settings = LettersSettings(environment="test", data_dir=tmp_path / "data")
    start = threading.Barrier(8)

    def ask(_: int) -> int:
        start.wait()
        return id(renderer(settings))

    with ThreadPoolExecutor(8) as pool:
        made = set(pool.map(ask, range(8)))

    assert len(made) == 1
    workdir = tmp_path / "data" / "typst"
    for template in TEMPLATES.glob("*.typ"):
        assert (workdir / template.name).read_bytes() == template.read_bytes()
    assert not [p for p in workdir.iterdir() if p.name.startswith(".")], "no partial copies left"
