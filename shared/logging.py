"""Structured JSON logs with the correlation id attached and debtors' personal data masked."""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

import structlog

correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)\d{4}(\d{4})(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d{4})\d{8,11}(\d{4})(?!\d)")
_NAME_KEYS = {"name", "debtor_name", "guarantor_name", "contact_name", "full_name", "姓名"}
_TRACE_KEYS = {"id", "timestamp", "level", "logger", "service", "topic"}
_SECRET_KEYS = {"password", "api_key", "token", "access_token", "authorization", "secret"}


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def mask_name(value: str) -> str:
    """Keep the surname only: 张三丰 -> 张**."""
    value = value.strip()
    return value[:1] + "*" * max(len(value) - 1, 1) if value else value


def mask_text(text: str) -> str:
    """Mask resident ID numbers, mainland mobile numbers and card numbers inside free text."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    return _CARD.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(2)}", text)


def mask_ends(value: str) -> str:
    """Values the patterns do not recognise are still masked: keep only the ends."""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """``13800138000`` -> ``138****8000``; landlines and others keep only their ends."""
    if not value:
        return value
    masked = mask_text(value)
    return masked if masked != value else mask_ends(value)


def mask_address(address: str | None) -> str | None:
    """An address keeps its first few characters (the city), the rest is hidden."""
    if not address:
        return address
    return address[:6] + "*" * max(0, len(address) - 6)


def mask_value(key: str, value: Any) -> Any:
    lowered = key.lower()
    if lowered in _SECRET_KEYS:
        return "***"
    if lowered.endswith("_id") or lowered in _TRACE_KEYS:
        return value
    if isinstance(value, str):
        return mask_name(value) if lowered in _NAME_KEYS else mask_text(value)
    if isinstance(value, Mapping):
        return {k: mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(key, v) for v in value]
    return value


def mask_pii(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: nothing identifying a debtor leaves the process in a log line."""
    return {k: mask_value(k, v) for k, v in event_dict.items()}


def _add_correlation_id(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    cid = correlation_id_var.get()
    if cid and "correlation_id" not in event_dict:
        event_dict["correlation_id"] = cid
    return event_dict


def configure_logging(service: str, level: str = "INFO", json: bool = True) -> None:
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_correlation_id,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        mask_pii,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=processors,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "alembic", "httpx", "uvicorn.access", "matplotlib", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
