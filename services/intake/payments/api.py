"""Payments the client reports on its cases: one at a time, or as a file."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from services.intake.access import (
    BACK_OFFICE_OR_OWN_BANK,
    NOT_FOUND,
    OWN_BANK_WRITES,
    problem,
)
from services.intake.clients import store as clients
from services.intake.payments import service, store
from services.intake.payments.file import MAX_FILE_BYTES, import_payments
from services.intake.payments.schemas import PaymentBody, PaymentFileOutcome, PaymentPublic
from shared.auth.web import ClientInScopeDep
from shared.clock import SHANGHAI
from shared.errors import NotFound
from shared.logging import correlation_id_var
from shared.uploads import discard, spool_upload
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep
from shared.web.files import NonEmptyUpload
from shared.web.paging import After, Limit, Page

router = APIRouter(prefix="/clients/{client_id}", tags=["payments"])


@router.get(
    "/payments",
    response_model=Page[PaymentPublic],
    summary="The client's payments, the latest received first",
    description="Optionally one case's (`account_ref`). Keyset pages: pass `next_cursor` as "
    "`after`.",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses={**NOT_FOUND, 422: problem("A limit or cursor this list does not take")},
)
def list_payments(
    scoped: ClientInScopeDep,
    session: ReaderDep,
    account_ref: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    after: After = None,
) -> Page[PaymentPublic]:
    if clients.get_client(session, scoped) is None:
        raise NotFound("client")
    payments, cursor = store.page_payments(session, scoped, limit, after, account_ref)
    items = [PaymentPublic.model_validate(p, from_attributes=True) for p in payments]
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/payments",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentPublic,
    summary="Report a payment on a case",
    description=(
        "Publishes `PaymentReceived`. Idempotent on `transaction_ref`: the same report again "
        "answers `200` with the first payment and publishes nothing; the same reference with "
        "another amount, account or time answers `409`."
    ),
    dependencies=[OWN_BANK_WRITES],
    responses={
        200: {"model": PaymentPublic, "description": "Reported before"},
        **NOT_FOUND,
        409: problem("Transaction reference reported before with other details"),
    },
)
def report_payment(
    scoped: ClientInScopeDep,
    body: PaymentBody,
    response: Response,
    uow: WorkDep,
) -> PaymentPublic:
    paid_at = body.paid_at if body.paid_at.tzinfo else body.paid_at.replace(tzinfo=SHANGHAI)
    report = service.PaymentReport(
        body.account_ref, body.transaction_ref, body.amount, paid_at.astimezone(UTC)
    )
    payment, new = service.record_payment(uow, scoped, report, source="api")
    if not new:
        response.status_code = status.HTTP_200_OK
    return PaymentPublic.model_validate(payment, from_attributes=True)


@router.post(
    "/payment-files",
    response_model=PaymentFileOutcome,
    summary="Report payments as a file (CSV, XLSX or JSON Lines)",
    description=(
        "Columns (Chinese or English): 卡号/`account_ref`, 交易流水号/`transaction_ref`, "
        "还款金额/`amount`, 还款日期/`paid_at` (a date is midnight Shanghai time). Each row is "
        "handled like `POST /payments`; rows that fail are listed with their reason."
    ),
    dependencies=[OWN_BANK_WRITES],
    responses={
        **NOT_FOUND,
        413: problem("File larger than the limit"),
        415: problem("Not a readable file"),
        422: problem("A required column is missing"),
    },
)
def post_payment_file(
    scoped: ClientInScopeDep, file: NonEmptyUpload, runtime: RuntimeDep
) -> PaymentFileOutcome:
    with runtime.db.reader() as session:
        if clients.get_client(session, scoped) is None:
            raise NotFound("client")
    received = spool_upload(file.file, runtime.settings.data_dir / "incoming", MAX_FILE_BYTES)
    try:
        outcome = import_payments(runtime, scoped, received.path, correlation_id_var.get())
    finally:
        discard(received)
    return PaymentFileOutcome(
        rows_total=outcome.rows_total,
        recorded=outcome.recorded,
        repeated=outcome.repeated,
        errors=outcome.errors,  # type: ignore[arg-type]
    )
