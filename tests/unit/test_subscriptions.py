"""Each service's subscription table is the one its consumer runs, says what the README
says the service consumes, and names module-level handlers only."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from shared.auth import visibility
from shared.bus.handlers import AnyHandler, Batched, HandlerTable
from shared.events import EVENT_TYPES
from shared.purge.handlers import on_purge_ordered

SERVICES = ("intake", "assignment", "contact", "letters", "reporting")
README = Path(__file__).resolve().parents[2] / "README.md"


def table_of(service: str) -> HandlerTable:
    module = importlib.import_module(f"services.{service}.subscriptions")
    table: HandlerTable = module.SUBSCRIPTIONS
    return table


def readme_consumes() -> dict[str, set[str]]:
    """The "Who consumes what" rows of the README's Events section: service -> event types."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Who consumes what", 1)[1].split("\n#", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] in SERVICES:
            named = set(re.findall(r"`(\w+)`", cells[1]))
            if "every event the other four services publish" in cells[1]:
                named |= {name for name, kind in EVENT_TYPES.items() if kind.producer != cells[0]}
            rows[cells[0]] = named & set(EVENT_TYPES)
    return rows


def function_of(handler: AnyHandler) -> object:
    return handler.handle if isinstance(handler, Batched) else handler


@pytest.mark.parametrize("service", SERVICES)
def test_the_consumer_runs_the_table_as_given(service: str) -> None:
    runtime = importlib.import_module(f"services.{service}.main").create_app().state.runtime
    assert runtime.handlers is table_of(service)
    assert runtime.consumer is not None
    assert set(runtime.consumer.applier.handlers) == {kind.event_type for kind in table_of(service)}


def test_each_table_consumes_what_the_readme_says() -> None:
    said = readme_consumes()
    assert set(said) == set(SERVICES)
    for service in SERVICES:
        consumed = {kind.event_type for kind in table_of(service)}
        assert consumed == said[service], service


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_consumes_its_own_events(service: str) -> None:
    assert all(kind.producer != service for kind in table_of(service))


@pytest.mark.parametrize("service", SERVICES)
def test_case_visibility_runs_first_and_the_purge_last(service: str) -> None:
    for kind, handlers in table_of(service).items():
        shared_first = [
            h for h in handlers if h in (visibility.on_imported, visibility.on_assigned)
        ]
        if shared_first:
            assert handlers[0] in shared_first, kind.event_type
        if on_purge_ordered in handlers:
            assert handlers[-1] is on_purge_ordered


@pytest.mark.parametrize("service", SERVICES)
def test_every_handler_is_a_module_level_function(service: str) -> None:
    """Letters' release of waiting events is built once, at import, from its handlers."""
    for kind, handlers in table_of(service).items():
        for handler in handlers:
            function = function_of(handler)
            qualname = getattr(function, "__qualname__", "")
            if "<locals>" in qualname:
                assert (service, qualname) == ("letters", "release_waiting.<locals>.release")
            else:
                module = importlib.import_module(getattr(function, "__module__", ""))
                named = getattr(module, qualname)
                assert function_of(named) is function, (kind.event_type, qualname)
