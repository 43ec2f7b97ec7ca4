"""Reporting's read-model handlers are one module-level table of module-level functions:
the read model each writes to comes from the unit of work's context, not a closure."""

from __future__ import annotations

import importlib

from services.reporting.subscriptions import READ_MODEL_HANDLERS
from shared.bus.handlers import Batched
from shared.events import EVENT_TYPES


def test_every_handler_is_a_module_level_function_reachable_by_its_name() -> None:
    for handlers in READ_MODEL_HANDLERS.values():
        for handler in handlers:
            function = handler.handle if isinstance(handler, Batched) else handler
            assert "<locals>" not in function.__qualname__, function.__qualname__
            module = importlib.import_module(function.__module__)
            found = getattr(module, function.__qualname__)
            assert found is handler, function.__qualname__


def test_every_event_from_another_service_is_tallied_and_kept_on_its_timeline() -> None:
    others = {t for t in EVENT_TYPES.values() if t.producer != "reporting"}
    assert set(READ_MODEL_HANDLERS) == others
    for payload_type in others:
        names = [h.name for h in READ_MODEL_HANDLERS[payload_type]]  # type: ignore[union-attr]
        assert names[-2:] == ["tally", "on_case_event"], payload_type
