"""The README runs as written: its ```bash blocks, in order, against a fresh platform."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.run_local import SERVICES
from tests.platform_kit import running_platform
from tests.readme.story import bash_blocks, finished, outcome, readme, script

pytestmark = [pytest.mark.e2e, pytest.mark.broker]

ROOT = Path(__file__).resolve().parents[2]
STORY_TIMEOUT = 600


def test_every_bash_block_of_the_readme_runs_in_order(tmp_path: Path) -> None:
    blocks = bash_blocks(readme(ROOT))
    assert len(blocks) >= 10, "the walk-through lost its blocks"
    workdir = tmp_path / "reader"
    shutil.copytree(ROOT / "docs" / "samples", workdir / "docs" / "samples")
    with running_platform(tmp_path / "platform") as platform:
        ports = {name: platform.services[name].port for name in SERVICES}
        env = {
            **os.environ,
            "REPO_ROOT": str(ROOT),
            "DATA_DIR": str(platform.data_dir),
            "BROKER_PORT": str(platform.broker.port),
            **{f"{name.upper()}_PORT": str(port) for name, port in ports.items()},
        }
        ran = subprocess.run(
            ["bash", "-c", script(blocks, ports)],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=STORY_TIMEOUT,
        )
    failed, printed = outcome(ran.stdout)
    if ran.returncode != 0:
        block = next((b for b in blocks if b.number == failed), None)
        where = f"block {failed} (README line {block.line})" if block else "the prelude"
        text = block.text if block else ""
        raise AssertionError(
            f"{where} failed with exit {ran.returncode}:\n{text}\n--- its output ---\n"
            f"{printed[-6000:]}"
        )
    assert finished(ran.stdout) == {b.number for b in blocks}, ran.stdout[-4000:]
