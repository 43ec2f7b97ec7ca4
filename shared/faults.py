"""Named fault points: where the fault suite kills a process to prove nothing is lost.

``FAULT_POINT=<service>:<point>[@<hit>]`` (for example ``assignment:consumer.after_commit@3``)
makes that service's process kill itself with SIGKILL the ``hit``-th time (default the
first) it passes ``point``, once: a marker in ``FAULT_DIR`` keeps the restarted process
from dying at the same place again. Without both variables every point is a no-op.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

POINTS = (
    "relay.after_publish",
    "consumer.before_commit",
    "consumer.after_commit",
)


@dataclass
class _Armed:
    service: str
    point: str
    hit: int
    marker: Path
    seen: int = 0


_armed: _Armed | None = None


def arm(service: str) -> None:
    """Read the fault settings for this process, which runs ``service``."""
    global _armed
    spec, folder = os.environ.get("FAULT_POINT", ""), os.environ.get("FAULT_DIR", "")
    if not spec or not folder:
        _armed = None
        return
    target, _, rest = spec.partition(":")
    point, _, hit = rest.partition("@")
    if point not in POINTS:
        raise ValueError(f"FAULT_POINT names an unknown point {point!r}; known: {POINTS}")
    _armed = (
        _Armed(target, point, int(hit or 1), Path(folder) / f"{target}-{point}.fired")
        if target == service
        else None
    )


def fault_point(point: str) -> None:
    """Die here if this is the armed point and its hit has come (once per FAULT_DIR)."""
    armed = _armed
    if armed is None or armed.point != point:
        return
    armed.seen += 1
    if armed.seen < armed.hit or armed.marker.exists():
        return
    armed.marker.parent.mkdir(parents=True, exist_ok=True)
    armed.marker.touch()
    os.kill(os.getpid(), signal.SIGKILL)
