"""Reporting's subscriptions: every topic into the live read models, plus its copy of the
working-day calendar (kept apart: a rebuild replaces the read models only)."""

from __future__ import annotations

from services.reporting.models import WORKDAYS
from services.reporting.readmodel.handlers import READ_MODEL_HANDLERS
from shared.bus.handlers import HandlerTable, merge_tables
from shared.workdays.tables import workday_handlers

HANDLERS: HandlerTable = merge_tables(READ_MODEL_HANDLERS, workday_handlers(WORKDAYS))
