"""The garbage collector set for a long-running service that handles events in batches.

A service builds some 200,000 long-lived objects while it starts (modules, models and
their schemas, table metadata). CPython's full collection walks every one of them again
whenever enough younger objects have survived, which a consumer's batches (hundreds of
decoded events, their rows and statements) cause every few seconds: a tenth of a second
of CPU each time, a fifth of a consumer's time in all. Frozen once the service has
started, they are left out of every later collection; a larger first generation lets a
batch's short-lived objects be freed before the collector ever looks at them.
"""

from __future__ import annotations

import gc

YOUNG_GENERATION = 10_000
_settled = False


def settle_after_start() -> None:
    """Leave what the process built until now out of every later collection; once per
    process (several services started in one process, as tests do, freeze only what the
    first left, so nothing of a later one is kept from collection)."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, middle, old)
