"""The published event catalogue: JSON Schema per event and an AsyncAPI document.

Both are generated from the contract models so the teams that consume our topics read
exactly what the services send; ``python -m shared.events.schema --check`` keeps the
committed copy in ``docs/events`` from drifting away from the code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shared.events.envelope import Envelope, Payload
from shared.events.registry import EVENT_TYPES, PRODUCERS, dead_letter_topic, topic_for

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# AsyncAPI's own schema format is draft-07 based; ours use 2020-12 keywords (prefixItems).
ASYNCAPI_SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12"
# Bump when the catalogue changes in a way consumers should notice (a new event or version).
CATALOG_VERSION = "1.1.0"
DEFAULT_OUT_DIR = Path("docs/events")
ASYNCAPI_FILE = "asyncapi.json"
SCHEMA_SUFFIX = ".schema.json"

_LOCAL_REF = "#/$defs/"
_COMPONENT_REF = "#/components/schemas/"


def schema_id(payload_type: type[Payload]) -> str:
    """``CaseImported.v1``: the type alone is ambiguous once a second version exists."""
    return f"{payload_type.event_type}.v{payload_type.event_version}"


def event_json_schema(payload_type: type[Payload]) -> dict[str, Any]:
    """JSON Schema of a whole message (envelope plus this payload), as it is on the wire.

    Serialization mode, because consumers read what producers emit: money is a decimal
    string there, never a float.
    """
    envelope_type: type[Envelope[Any]] = Envelope[payload_type]  # type: ignore[valid-type]
    schema = envelope_type.model_json_schema(mode="serialization")
    sid = schema_id(payload_type)
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = sid
    schema["title"] = sid
    schema["description"] = payload_type.summary
    props = schema["properties"]
    # The envelope model accepts any type/version; one event's schema pins them.
    props["type"] = {**props["type"], "const": payload_type.event_type}
    props["version"] = {**props["version"], "const": payload_type.event_version}
    props["version"].pop("default", None)
    props["producer"] = {**props["producer"], "const": payload_type.producer}
    payload_def = schema["$defs"][props["payload"]["$ref"].removeprefix(_LOCAL_REF)]
    payload_def["description"] = payload_type.summary
    return schema


def event_json_schemas() -> dict[str, dict[str, Any]]:
    """Whole-message JSON Schema for every event, keyed by event type (as ``EVENT_TYPES``)."""
    return {name: event_json_schema(p) for name, p in EVENT_TYPES.items()}


def _rewrite_refs(node: Any) -> Any:
    """Point ``#/$defs/X`` at ``#/components/schemas/X`` once definitions are shared."""
    if isinstance(node, dict):
        out = {k: _rewrite_refs(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(_LOCAL_REF):
            out["$ref"] = _COMPONENT_REF + ref.removeprefix(_LOCAL_REF)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def _component_schemas() -> dict[str, dict[str, Any]]:
    """All message schemas with their definitions hoisted into one shared namespace.

    ``$id`` is dropped: inside the AsyncAPI document it would move the base URI and
    break the component references. Two different models under one name are refused
    rather than silently overwritten.
    """
    components: dict[str, dict[str, Any]] = {}
    for payload_type in EVENT_TYPES.values():
        schema = event_json_schema(payload_type)
        defs = schema.pop("$defs", {})
        schema.pop("$id", None)
        schema.pop("$schema", None)
        for name, definition in defs.items():
            rewritten = _rewrite_refs(definition)
            if name in components and components[name] != rewritten:
                raise ValueError(f"two different schemas are both named {name!r}")
            components[name] = rewritten
        sid = schema_id(payload_type)
        if sid in components:
            raise ValueError(f"schema name {sid!r} is already taken")
        components[sid] = _rewrite_refs(schema)
    return components


def _channel_id(producer: str) -> str:
    return producer


def _description() -> str:
    topics = ", ".join(f"`{topic_for(p)}`" for p in PRODUCERS)
    return (
        "Every event the platform publishes, generated from the contract models in "
        "`shared/events`.\n\n"
        "**Envelope.** Each message is a JSON object with `event_id` (UUID), `type`, "
        "`version`, `occurred_at` (UTC), `producer`, `correlation_id`, `causation_id`, "
        "`case_id` and the event-specific `payload`. The envelope never carries personal "
        "data. Money amounts are decimal strings, never floats.\n\n"
        f"**Topics.** Each producing service owns one topic, `<producer>.events` ({topics}). "
        "Messages are keyed by `case_id`, so one case's events keep their order within a "
        "partition; events that concern no single case have no key.\n\n"
        "**Delivery.** At least once: producers write events through a transactional "
        "outbox, so a broker outage delays events but never drops them, and a message may "
        "arrive more than once. Consumers deduplicate on `event_id`. A message a consumer "
        f"cannot handle goes to that consumer's dead-letter topic, `<service>.dead-letter` "
        f"(for example `{dead_letter_topic('assignment')}`), with the error in headers.\n\n"
        "**Compatibility.** Consumers ignore fields they do not know, so new optional fields "
        "may appear within a version; a breaking change is published as a new `version`."
    )


def asyncapi_document() -> dict[str, Any]:
    """AsyncAPI 3.0 description of the topics, messages and who sends them."""
    messages: dict[str, dict[str, Any]] = {}
    channels: dict[str, dict[str, Any]] = {}
    operations: dict[str, dict[str, Any]] = {}
    for payload_type in EVENT_TYPES.values():
        sid = schema_id(payload_type)
        messages[sid] = {
            "name": payload_type.event_type,
            "title": sid,
            "summary": payload_type.summary,
            "contentType": "application/json",
            "payload": {
                "schemaFormat": ASYNCAPI_SCHEMA_FORMAT,
                "schema": {"$ref": _COMPONENT_REF + sid},
            },
            "bindings": {
                "kafka": {
                    "key": {
                        "type": "string",
                        "description": "case_id of the envelope; absent when it is null.",
                    },
                    "bindingVersion": "0.5.0",
                }
            },
        }
    for producer in PRODUCERS:
        produced = [p for p in EVENT_TYPES.values() if p.producer == producer]
        channel_id = _channel_id(producer)
        channels[channel_id] = {
            "address": topic_for(producer),
            "title": topic_for(producer),
            "description": f"Events published by the {producer} service, keyed by case_id.",
            "messages": {
                p.event_type: {"$ref": f"#/components/messages/{schema_id(p)}"} for p in produced
            },
            "bindings": {"kafka": {"topic": topic_for(producer), "bindingVersion": "0.5.0"}},
        }
        operations[f"send{producer.capitalize()}Events"] = {
            "action": "send",
            "summary": f"The {producer} service publishes its events.",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [
                {"$ref": f"#/channels/{channel_id}/messages/{p.event_type}"} for p in produced
            ],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Collections platform events",
            "version": CATALOG_VERSION,
            "description": _description(),
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "Broker on a developer machine.",
            },
            "production": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "Kafka broker inside the deployment's network.",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": _component_schemas()},
    }


def _dump(document: dict[str, Any]) -> str:
    """Stable text, so regenerating an unchanged catalogue produces no diff."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def render_catalog() -> dict[str, str]:
    """File name -> content of every file in the catalogue directory."""
    files = {
        schema_id(p) + SCHEMA_SUFFIX: _dump(event_json_schema(p)) for p in EVENT_TYPES.values()
    }
    files[ASYNCAPI_FILE] = _dump(asyncapi_document())
    return files


def _stale_files(out_dir: Path, expected: dict[str, str]) -> list[Path]:
    """Schema files of events that no longer exist (e.g. a renamed event)."""
    if not out_dir.is_dir():
        return []
    return sorted(p for p in out_dir.glob("*" + SCHEMA_SUFFIX) if p.name not in expected)


def write_catalog(out_dir: Path) -> list[Path]:
    """Write the catalogue into ``out_dir`` and remove schema files no longer generated."""
    files = render_catalog()
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in _stale_files(out_dir, files):
        stale.unlink()
    written = []
    for name, text in sorted(files.items()):
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))  # bytes: no platform newline translation
        written.append(path)
    return written


def check_catalog(out_dir: Path) -> list[Path]:
    """Files in ``out_dir`` that are missing, differ from the models, or are left over."""
    files = render_catalog()
    differing = []
    for name, text in sorted(files.items()):
        path = out_dir / name
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            differing.append(path)
    return differing + _stale_files(out_dir, files)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.events.schema",
        description="Generate the event catalogue (JSON Schemas and AsyncAPI document).",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output directory")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the files are out of date"
    )
    args = parser.parse_args(argv)
    if args.check:
        differing = check_catalog(args.out)
        if differing:
            print(f"event catalogue in {args.out} is out of date:", file=sys.stderr)
            for path in differing:
                print(f"  {path}", file=sys.stderr)
            print("regenerate with: python -m shared.events.schema", file=sys.stderr)
            return 1
        print(f"event catalogue in {args.out} is up to date")
        return 0
    for path in write_catalog(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
