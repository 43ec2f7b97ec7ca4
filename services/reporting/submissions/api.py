"""Submitting reports and reviewing them."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Path, Query

from services.reporting.submissions import service
from services.reporting.submissions.schemas import (
    ReviewIn,
    ReviewOut,
    SubmissionIn,
    SubmissionListed,
    SubmissionOut,
)
from shared.auth.principal import ALL_STAFF, Scope
from shared.auth.web import PrincipalDep, access
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep
from shared.web.paging import After, Limit, Page

router = APIRouter(
    prefix="/reports/submissions", tags=["submissions"], dependencies=[access(ALL_STAFF)]
)
# A team lead reviews their team's collectors' reports, a branch manager their branch's.
REVIEWERS = access(ALL_STAFF, scope=Scope.BRANCH)
SUBMISSION_ID = Path(pattern=r"^[0-9a-f-]{36}$")
Status = Literal["submitted", "approved", "returned"]
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 409: {"model": Problem}}


def _out(session: Any, row: Any) -> SubmissionOut:
    data = dict(row._mapping)
    return SubmissionOut(
        **{k: data[k] for k in SubmissionOut.model_fields if k in data},
        snapshot=json.loads(data["body"]),
        reviews=[
            ReviewOut.model_validate(r, from_attributes=True)
            for r in service.reviews(session, row.submission_id)
        ],
    )


@router.post(
    "",
    status_code=201,
    response_model=SubmissionOut,
    responses=ERRORS,
    summary="Submit a report as a frozen snapshot",
    dependencies=[access(ALL_STAFF, scope=Scope.OWN)],
)
def submit(body: SubmissionIn, principal: PrincipalDep, uow: WorkDep) -> SubmissionOut:
    row = service.submit(uow, principal, body.report, body.on, body.remarks)
    return _out(uow.session, service.find(uow.session, principal, row["submission_id"]))


@router.get(
    "",
    response_model=Page[SubmissionListed],
    responses={404: {"model": Problem}},
    summary="The submitted reports you may see, the latest first",
    description=(
        "A collector's own; a supervisor's or team lead's team's; a branch manager's "
        "branch report; every one for admins and HQ. `status=submitted` lists the ones "
        "waiting for review. Keyset pages: pass `next_cursor` as `after`."
    ),
)
def list_submissions(
    principal: PrincipalDep,
    session: ReaderDep,
    status: Status | None = Query(default=None, description="Only submissions in this state"),
    limit: Limit = 50,
    after: After = None,
) -> Page[SubmissionListed]:
    rows, cursor = service.page_submissions(session, principal, status, limit, after)
    items = [SubmissionListed.model_validate(dict(r._mapping)) for r in rows]
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/{submission_id}",
    response_model=SubmissionOut,
    responses=ERRORS,
    summary="A submitted report: its snapshot and reviews",
)
def read(
    principal: PrincipalDep, session: ReaderDep, submission_id: str = SUBMISSION_ID
) -> SubmissionOut:
    return _out(session, service.find(session, principal, submission_id))


@router.post(
    "/{submission_id}/approve",
    response_model=SubmissionOut,
    responses=ERRORS,
    summary="Approve a submitted report",
    dependencies=[REVIEWERS],
)
def approve(
    body: ReviewIn, principal: PrincipalDep, uow: WorkDep, submission_id: str = SUBMISSION_ID
) -> SubmissionOut:
    return _out(uow.session, service.review(uow, principal, submission_id, True, body.note))


@router.post(
    "/{submission_id}/return",
    response_model=SubmissionOut,
    responses=ERRORS,
    summary="Return a submitted report to its author with the reason",
    dependencies=[REVIEWERS],
)
def return_(
    body: ReviewIn, principal: PrincipalDep, uow: WorkDep, submission_id: str = SUBMISSION_ID
) -> SubmissionOut:
    return _out(uow.session, service.review(uow, principal, submission_id, False, body.note))
