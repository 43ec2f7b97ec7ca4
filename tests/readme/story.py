"""The README's walk-through as a script: its ```bash blocks, in order, run by one shell.

Blocks fenced ```shell (or anything but ``bash``) are shown to the reader and not run. The
blocks keep the ports of ``make run``; :func:`script` points them at the platform's real
ones, as a reader who set ``INTAKE_PORT`` and friends would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from deploy.run_local import DEFAULT_PORTS

_FENCE = re.compile(r"^```(\S*)\s*$")
_START = "::block {} start::"
_END = "::block {} end::"


@dataclass(frozen=True)
class Block:
    number: int
    line: int  # where its text starts in the README, 1-based
    text: str


def bash_blocks(markdown: str) -> list[Block]:
    """Every fenced block whose language is ``bash``, in document order."""
    blocks: list[Block] = []
    lines = markdown.splitlines()
    inside: str | None = None
    start, body = 0, []
    for index, line in enumerate(lines, start=1):
        fence = _FENCE.match(line)
        if inside is None:
            if fence:
                inside, start, body = fence.group(1), index + 1, []
        elif line.strip() == "```":
            if inside == "bash":
                blocks.append(Block(len(blocks) + 1, start, "\n".join(body)))
            inside = None
        else:
            body.append(line)
    if inside is not None:
        raise ValueError(f"the block opened at line {start - 1} is never closed")
    return blocks


def on_ports(text: str, ports: dict[str, int]) -> str:
    """The block with ``make run``'s default ports replaced by the given ones."""
    for name, default in DEFAULT_PORTS.items():
        text = re.sub(rf"127\.0\.0\.1:{default}\b", f"127.0.0.1:{ports[name]}", text)
    return text


PRELUDE = """\
set -eo pipefail
# a request that answers an error fails its block (the README's curls omit --fail)
curl() { command curl --silent --show-error --fail-with-body "$@" && echo || return; }
make() { command make --no-print-directory -C "$REPO_ROOT" "$@"; }
"""


def script(blocks: list[Block], ports: dict[str, int]) -> str:
    """One shell script: the prelude, then each block between markers that
    :func:`outcome` reads back."""
    parts = [PRELUDE]
    for block in blocks:
        parts.append(f"echo '{_START.format(block.number)}'")
        parts.append(on_ports(block.text, ports))
        parts.append(f"echo '{_END.format(block.number)}'")
    return "\n".join(parts) + "\n"


def finished(output: str) -> set[int]:
    """The blocks whose end marker the script printed."""
    return {int(n) for n in re.findall(r"^::block (\d+) end::$", output, re.M)}


def outcome(output: str) -> tuple[int | None, str]:
    """The block that was running when the script stopped, and what it printed;
    ``None`` when every block that started also finished."""
    started = re.findall(r"^::block (\d+) start::$", output, re.M)
    finished = set(re.findall(r"^::block (\d+) end::$", output, re.M))
    for number in reversed(started):
        if number not in finished:
            tail = output.split(_START.format(number), 1)[1]
            return int(number), tail.strip()
    return None, ""


def readme(root: Path) -> str:
    return (root / "README.md").read_text(encoding="utf-8")
