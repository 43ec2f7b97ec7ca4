"""Placements past their term come back, checked every ``agency_recall_minutes``."""

from __future__ import annotations

from fastapi import FastAPI

from services.assignment.agencies.service import recall_due
from shared.periodic import run_every
from shared.runtime import Runtime


def with_term_end_recall(app: FastAPI, seconds: float) -> None:
    def recall(runtime: Runtime) -> int:
        with runtime.work() as uow:
            return recall_due(uow)

    run_every(app, seconds, recall, "agency_term_end_recall")
