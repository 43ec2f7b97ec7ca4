"""Intake's HTTP routes, one module per resource."""

from services.intake.api import (
    agreements,
    bank_tokens,
    case_files,
    cases,
    clients,
    mapping_fields,
    payments,
    purges,
)

ROUTERS = [
    clients.router,
    agreements.router,
    mapping_fields.router,
    case_files.router,
    cases.router,
    payments.router,
    bank_tokens.router,
    purges.router,
]
