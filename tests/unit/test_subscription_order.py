"""The handlers each service's consumer runs, per event and in order, are those main ran.

The expectation (``subscriptions_on_main``) was recorded from main's run-time merge of
each service's modules with the shared pairs (visibility first, then revocation, the
service's own, the purge order last). A handler is named by its module and name; the
few that moved to another name are renamed here so the same test reads both codebases.
"""

from __future__ import annotations

import importlib

import pytest

from shared.bus.handlers import AnyHandler, Batched
from tests.unit.subscriptions_on_main import ON_MAIN

MOVED = {
    "services.letters.issuing.handlers.handle": "services.letters.handlers.on_contact_attempted"
}


READ_MODEL = "services.reporting.readmodel."
ATTRIBUTION = {"attribute_new_payments", "reattribute_payments"}


def label(handler: AnyHandler) -> str:
    function = handler.handle if isinstance(handler, Batched) else handler
    name = f"{function.__module__}.{function.__qualname__.split('.')[-1]}"
    return MOVED.get(name, name)


def as_main_named(name: str) -> str:
    """On main, reporting's read-model handlers were closures sharing one writer
    (``writes.handle``); payments were attributed by one handler on three events."""
    if not name.startswith(READ_MODEL) or name.endswith(".tally"):
        return name
    if name.rsplit(".", 1)[1] in ATTRIBUTION:
        return f"{READ_MODEL}cases.attribute_payments"
    return f"{READ_MODEL}writes.handle"


@pytest.mark.parametrize("service", sorted(ON_MAIN))
def test_each_event_runs_the_handlers_main_ran_in_the_same_order(service: str) -> None:
    runtime = importlib.import_module(f"services.{service}.main").create_app().state.runtime
    assert runtime.consumer is not None
    running = runtime.consumer.applier.handlers
    assert {
        event_type: [as_main_named(label(handler)) for handler in handlers]
        for event_type, handlers in sorted(running.items())
    } == ON_MAIN[service]
