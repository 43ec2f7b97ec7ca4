"""Intake: where banks' case files enter the platform."""

from __future__ import annotations

import threading

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from services.intake.agreements import store as agreement_store
from services.intake.agreements.api import fields as mapping_fields
from services.intake.agreements.api import router as agreements
from services.intake.apikeys.api import router as api_keys
from services.intake.apikeys.api import tokens as bank_tokens
from services.intake.apikeys.service import resolve_bank_key
from services.intake.case_files import pipeline
from services.intake.case_files.api import router as case_files
from services.intake.cases.api import router as cases
from services.intake.clients.api import router as clients
from services.intake.emergency.api import router as emergency
from services.intake.emergency.periodic import with_delivery
from services.intake.examples import EXAMPLES
from services.intake.migrations import MIGRATIONS
from services.intake.models import BUS, SECURITY, IntakeTable
from services.intake.payments.api import router as payments
from services.intake.payments.file import MAX_FILE_BYTES as PAYMENT_FILE_BYTES
from services.intake.purges.api import router as purges
from services.intake.purges.plan import PLAN as PURGE
from services.intake.settings import IntakeSettings
from services.intake.subscriptions import SUBSCRIPTIONS
from shared.auth.keys import key_id, public_key_file, signing_key
from shared.clock import Clock, utc_now
from shared.logging import get_logger
from shared.pastdue import BUCKETS
from shared.runtime import Runtime, ServiceParts
from shared.web.app import build_service_app

log = get_logger(__name__)

ROUTERS = [
    clients,
    api_keys,
    agreements,
    mapping_fields,
    case_files,
    cases,
    payments,
    bank_tokens,
    purges,
    emergency,
]

DESCRIPTION = """
Banks and other creditors send their case files here. Each file is validated row by row,
kept byte-exact in two archive copies, and every new case is announced on the bus as
`CaseImported` (a changed one as `CaseUpdated`) for assignment, contact, letters and
reporting. Banks also report payments (`PaymentReceived`), recall cases (`CaseRecalled`)
and adjust balances. Publishes to the `intake.events` topic.

**Who may call what.** Back-office staff (admins and HQ) sign in with a Bearer token and
register clients, their agreements and API keys. A bank sends its key as the `X-API-Key`
header; a key reaches only its own client's agreements, files, batches, cases and payments —
anything else answers 404. For the other services a bank exchanges its key at
`POST /auth/bank-token` for a 15-minute bank token (`Authorization: Bearer <token>`),
accepted everywhere for that client only and refused at once when the key is revoked
(`BankAccessRevoked`).
"""


def _resume_in_background(runtime: Runtime) -> None:
    """Imports a stopped process left half-done carry on, without delaying readiness."""

    def resume() -> None:
        try:
            pipeline.resume_unfinished(runtime)
        except Exception:
            log.exception("import_resume_failed")

    threading.Thread(target=resume, name="intake-resume", daemon=True).start()


def _after_migration(runtime: Runtime) -> None:
    report_unknown_buckets(runtime)
    _resume_in_background(runtime)


def report_unknown_buckets(runtime: Runtime) -> int:
    """Log each agreement whose per-bucket rates name no bucket (saved before keys were
    checked): those rates are never applied. Returns how many agreements."""
    with runtime.work() as uow:
        found = agreement_store.agreements_with_unknown_buckets(uow.session)
    for agreement_id, client_id, keys in found:
        log.warning(
            "agreement_unknown_bucket_rates",
            agreement_id=agreement_id,
            client_id=client_id,
            keys=keys,
            known=list(BUCKETS),
        )
    return len(found)


def _check_bank_key(app: FastAPI, key: Ed25519PrivateKey, settings: IntakeSettings) -> None:
    """The bank-token key must be known as a bank key (so it can never sign a staff token),
    and, in production, be published where every service finds it."""
    ring = app.state.runtime.authenticator.ring
    kid = key_id(key.public_key())
    if ring.get(kid) is None:
        if settings.is_production:
            raise RuntimeError(
                f"production: the bank-token key's public half {public_key_file(kid, bank=True)}"
                " is not among the public keys (AUTH_KEY_DIR or AUTH_BANK_PUBLIC_KEYS)"
            )
        log.warning("bank_token_key_not_published", kid=kid)
    elif not ring.signs_banks_only(kid):
        raise RuntimeError(
            f"the bank-token key {kid} is also published as a staff key: name its public "
            f"half {public_key_file(kid, bank=True)} so it signs bank tokens only"
        )


def create_app(settings: IntakeSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    """The intake app; tests pass a fixed ``clock`` (every deadline reads it)."""
    settings = settings or IntakeSettings()
    bank_key = signing_key(
        settings.bank_signing_key_path, bank=True, production=settings.is_production
    )
    parts = ServiceParts(
        settings=settings,
        metadata=IntakeTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=SUBSCRIPTIONS,
        bank_keys=resolve_bank_key,
        clock=clock,
        on_migrated=_after_migration,
        purge=PURGE,
    )
    app = build_service_app(
        parts,
        examples=EXAMPLES,
        title="Intake service",
        description=DESCRIPTION,
        routers=ROUTERS,
        tags=[
            {"name": "clients", "description": "Banks and other creditors (back office)."},
            {"name": "api keys", "description": "Clients' API keys: create, list, revoke."},
            {"name": "agreements", "description": "Cooperation agreements and column mappings."},
            {"name": "case files", "description": "Case files posted by banks; their batches."},
            {"name": "cases", "description": "Cases as the client sent them; recalls, balances."},
            {"name": "payments", "description": "Payments the client reports."},
            {
                "name": "emergency channel",
                "description": "Signed notifications to the bank's endpoint, their delivery log.",
            },
        ],
    )
    with_delivery(app, settings.emergency_delivery_seconds, settings.emergency_timeout_seconds)
    _check_bank_key(app, bank_key, settings)
    app.state.bank_signing_key = bank_key
    app.state.body_limits = {
        "/case-files": settings.max_file_bytes,
        "/payment-files": PAYMENT_FILE_BYTES,
    }
    return app
