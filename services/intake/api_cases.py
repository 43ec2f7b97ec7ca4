"""Cases as the client sent them, and the client's later word on them: payments,
recalls and balance adjustments. Every route: admins and HQ, or the client's own key."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Request, Response, UploadFile, status
from pydantic import BaseModel, Field, StringConstraints

from services.intake import store, updates
from services.intake.api_common import (
    BACK_OFFICE_OR_OWN_BANK,
    NOT_FOUND,
    AccountRef,
    problem,
)
from services.intake.payment_files import import_payments
from services.intake.schemas import CasePublic
from services.intake.upload import discard, spool
from shared.auth.web import ClientInScopeDep, PrincipalDep
from shared.clock import SHANGHAI, UtcDatetime
from shared.errors import NotFound, ProblemError
from shared.logging import correlation_id_var
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep

router = APIRouter(prefix="/clients/{client_id}", tags=["cases"])
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
PAYMENT_FILE_LIMIT = 20 * 1024 * 1024


@router.get(
    "/cases/{account_ref}",
    response_model=CasePublic,
    summary="Find a case by the client's account reference",
    description="ID numbers, phones, names and addresses are masked for roles without need.",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def get_case(
    scoped: ClientInScopeDep,
    account_ref: AccountRef,
    request: Request,
    principal: PrincipalDep,
    session: ReaderDep,
) -> CasePublic:
    case = store.case_by_account(session, scoped, account_ref)
    if case is None:
        raise NotFound("case")
    request.state.audit_case_id = case.id
    return CasePublic.of(case, principal)


class RecallBody(BaseModel):
    reason: str | None = Field(default=None, max_length=500)


@router.post(
    "/cases/{account_ref}/recall",
    response_model=CasePublic,
    summary="Recall (withdraw) a case from collection",
    description=(
        "The case becomes `recalled` and `CaseRecalled` is published once; recalling it again "
        "changes nothing. A later case file carrying the same account reference does not "
        "reopen it: that row is rejected in the file's error report."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def recall_case(
    scoped: ClientInScopeDep,
    account_ref: AccountRef,
    body: RecallBody,
    request: Request,
    principal: PrincipalDep,
    uow: WorkDep,
) -> CasePublic:
    case = updates.recall(uow, scoped, account_ref, body.reason)
    request.state.audit_case_id = case.id
    return CasePublic.of(case, principal)


class AdjustmentBody(BaseModel):
    principal: Amount | None = None
    interest: Amount | None = None
    penalty: Amount | None = None
    fees: Amount | None = None
    total_owed: Amount | None = Field(
        default=None, description="When left out, moves by the change in the parts"
    )


@router.post(
    "/cases/{account_ref}/adjustments",
    response_model=CasePublic,
    summary="Adjust a case's balance",
    description=(
        "Sets the amounts sent (CNY). `CaseUpdated` lists each changed amount as "
        "(old, new); nothing is published when nothing changed."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses={**NOT_FOUND, 409: problem("The case was recalled")},
)
def adjust_case(
    scoped: ClientInScopeDep,
    account_ref: AccountRef,
    body: AdjustmentBody,
    request: Request,
    principal: PrincipalDep,
    uow: WorkDep,
) -> CasePublic:
    amounts = {k: v for k, v in body.model_dump().items() if v is not None}
    if not amounts:
        raise ProblemError(422, "send at least one amount to adjust")
    case, _changed = updates.adjust(uow, scoped, account_ref, amounts)
    request.state.audit_case_id = case.id
    return CasePublic.of(case, principal)


class PaymentBody(BaseModel):
    account_ref: Ref
    transaction_ref: Ref = Field(description="The bank's own reference; unique per client")
    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2, description="CNY")
    paid_at: datetime = Field(description="When the debtor paid (a zone offset is advised)")


class PaymentPublic(BaseModel):
    id: str
    client_id: str
    case_id: str
    account_ref: str
    transaction_ref: str
    amount: Decimal
    currency: str
    paid_at: UtcDatetime
    received_at: UtcDatetime
    source: str


@router.post(
    "/payments",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentPublic,
    tags=["payments"],
    summary="Report a payment on a case",
    description=(
        "Publishes `PaymentReceived`. Idempotent on `transaction_ref`: the same report again "
        "answers `200` with the first payment and publishes nothing; the same reference with "
        "another amount, account or time answers `409`."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
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
    report = updates.PaymentReport(
        body.account_ref, body.transaction_ref, body.amount, paid_at.astimezone(UTC)
    )
    payment, new = updates.record_payment(uow, scoped, report, source="api")
    if not new:
        response.status_code = status.HTTP_200_OK
    return PaymentPublic.model_validate(payment, from_attributes=True)


class PaymentFileOutcome(BaseModel):
    rows_total: int
    recorded: int = Field(description="New payments, each published as PaymentReceived")
    repeated: int = Field(description="Reported before with the same details: nothing new")
    errors: list[dict[str, str | int]] = Field(description="Rows not recorded, with reasons")


@router.post(
    "/payment-files",
    response_model=PaymentFileOutcome,
    tags=["payments"],
    summary="Report payments as a file (CSV, XLSX or JSON Lines)",
    description=(
        "Columns (Chinese or English): 卡号/`account_ref`, 交易流水号/`transaction_ref`, "
        "还款金额/`amount`, 还款日期/`paid_at` (a date is midnight Shanghai time). Each row is "
        "handled like `POST /payments`; rows that fail are listed with their reason."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses={
        **NOT_FOUND,
        413: problem("File larger than the limit"),
        415: problem("Not a readable file"),
        422: problem("A required column is missing"),
    },
)
def post_payment_file(
    scoped: ClientInScopeDep, file: UploadFile, runtime: RuntimeDep
) -> PaymentFileOutcome:
    with runtime.db.reader() as session:
        if store.get_client(session, scoped) is None:
            raise NotFound("client")
    received = spool(file.file, runtime.settings.data_dir / "incoming", PAYMENT_FILE_LIMIT)
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
