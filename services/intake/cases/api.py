"""Cases as the client sent them, and the client's later word on them: recalls and
balance adjustments. Every route: admins and HQ, or the client's own key."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from services.intake.access import (
    BACK_OFFICE_OR_OWN_BANK,
    NOT_FOUND,
    OWN_BANK_WRITES,
    AccountRef,
    problem,
)
from services.intake.cases import service, store
from services.intake.cases.schemas import AdjustmentBody, CasePublic, RecallBody
from services.intake.clients import store as clients
from shared.auth.web import ClientInScopeDep, PrincipalDep
from shared.clock import to_local
from shared.errors import NotFound, ProblemError
from shared.web.deps import ReaderDep, WorkDep
from shared.web.paging import After, Limit, Page


def today(request: Request) -> date:
    """The Shanghai day now, by the service's clock (days past due are counted to it)."""
    return to_local(request.app.state.runtime.clock()).date()


router = APIRouter(prefix="/clients/{client_id}", tags=["cases"])
CaseState = Literal["active", "recalled"]


@router.get(
    "/cases",
    response_model=Page[CasePublic],
    summary="The client's cases, by account reference",
    description=(
        "Filter by `state` (active, recalled), `bank_bucket` (the bucket as received: the "
        "answer's `bank_bucket`) and `account_ref` (matches the reference's beginning). Keyset "
        "pages: pass `next_cursor` as `after`. Masked by role as one case is."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses={**NOT_FOUND, 422: problem("A filter, limit or cursor this list does not take")},
)
def list_cases(
    scoped: ClientInScopeDep,
    request: Request,
    principal: PrincipalDep,
    session: ReaderDep,
    state: Annotated[CaseState | None, Query()] = None,
    bank_bucket: Annotated[str | None, Query(max_length=32)] = None,
    account_ref: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    after: After = None,
) -> Page[CasePublic]:
    if clients.get_client(session, scoped) is None:
        raise NotFound("client")
    cases, cursor = store.page_cases(
        session, scoped, limit, after, state=state, bucket=bank_bucket, account_ref=account_ref
    )
    day = today(request)
    return Page(items=[CasePublic.of(c, principal, day) for c in cases], next_cursor=cursor)


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
    return CasePublic.of(case, principal, today(request))


@router.post(
    "/cases/{account_ref}/recall",
    response_model=CasePublic,
    summary="Recall (withdraw) a case from collection",
    description=(
        "The case becomes `recalled` and `CaseRecalled` is published once; recalling it again "
        "changes nothing. A later case file carrying the same account reference does not "
        "reopen it: that row is rejected in the file's error report."
    ),
    dependencies=[OWN_BANK_WRITES],
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
    case = service.recall(uow, scoped, account_ref, body.reason)
    request.state.audit_case_id = case.id
    return CasePublic.of(case, principal, today(request))


@router.post(
    "/cases/{account_ref}/adjustments",
    response_model=CasePublic,
    summary="Adjust a case's balance",
    description=(
        "Sets the amounts sent (CNY). `CaseUpdated` lists each changed amount as "
        "(old, new); nothing is published when nothing changed."
    ),
    dependencies=[OWN_BANK_WRITES],
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
    case, _changed = service.adjust(uow, scoped, account_ref, amounts)
    request.state.audit_case_id = case.id
    return CasePublic.of(case, principal, today(request))
