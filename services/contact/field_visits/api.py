"""Visit orders as the field collector sees them, the recording and report they file
against one, and a case's visits as its desk sees them. A visit is visible to the field
collector named in its order and to the case's desk; to anyone else it does not exist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from services.contact.access import (
    VISIT_WRITES,
    DeskCaseDep,
    DeskPrincipalDep,
    SettingsDep,
    desk_case_in,
)
from services.contact.cases import store as cases
from services.contact.field_visits import store
from services.contact.field_visits.models import FieldVisit
from services.contact.field_visits.schemas import VisitPublic, VisitReport
from services.contact.field_visits.service import file_report
from services.contact.recordings.schemas import UPLOAD_ANSWERS, RecordingPublic
from services.contact.recordings.service import take_upload
from shared.auth.web import ANY_STAFF, current_principal
from shared.errors import NotFound, Problem, ProblemError
from shared.logging import correlation_id_var
from shared.web.deps import ReaderDep, RuntimeDep
from shared.web.files import NonEmptyUpload

router = APIRouter(tags=["field visits"])


def visible_visit(request: Request, visit_id: str) -> FieldVisit:
    principal = current_principal(request)
    with request.app.state.runtime.db.reader() as session:
        visit = store.visit(session, visit_id)
        if visit is None:
            raise NotFound("field visit")
        if principal.subject != visit.field_collector_id:
            desk_case_in(request, session, visit.case_id)
    request.state.audit_case_id = visit.case_id
    return visit


VisitDep = Annotated[FieldVisit, Depends(visible_visit)]


def _own(visit: FieldVisit, principal_id: str) -> None:
    if principal_id != visit.field_collector_id:
        raise ProblemError(403, "only the field collector named in the order files its report")


@router.get(
    "/field-visits",
    response_model=list[VisitPublic],
    summary="The visits ordered from me (field collectors), latest due last",
    dependencies=[ANY_STAFF],
)
def my_visits(principal: DeskPrincipalDep, session: ReaderDep) -> list[VisitPublic]:
    return [
        VisitPublic.model_validate(r, from_attributes=True)
        for r in store.ordered_from(session, principal.subject)
    ]


@router.get(
    "/field-visits/{visit_id}",
    response_model=VisitPublic,
    summary="One visit order and its report",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def get_visit(visit: VisitDep) -> VisitPublic:
    return VisitPublic.model_validate(visit, from_attributes=True)


@router.post(
    "/field-visits/{visit_id}/recordings",
    status_code=status.HTTP_201_CREATED,
    response_model=RecordingPublic,
    summary="Upload the visit's recording (wav, mp3, m4a, amr) before filing the report",
    dependencies=[VISIT_WRITES],
    responses=UPLOAD_ANSWERS,
)
def upload_visit_recording(
    file: NonEmptyUpload,
    visit: VisitDep,
    principal: DeskPrincipalDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    response: Response,
) -> RecordingPublic:
    public, new = take_upload(
        runtime, settings, visit.case_id, file.file, principal.subject, visit_id=visit.id
    )
    if not new:
        response.status_code = status.HTTP_200_OK
    return public


@router.post(
    "/field-visits/{visit_id}/report",
    response_model=VisitPublic,
    summary="File the visit's report: who, when, where, what was found, the recording",
    description="Only the field collector named in the order. Logged as a `field_visit` "
    "attempt (`ContactAttempted`) and announced as `FieldVisitReported`; the phone collector "
    "then enters the result in assignment.",
    dependencies=[VISIT_WRITES],
    responses={403: {"model": Problem}, 404: {"model": Problem}, 409: {"model": Problem}},
)
def report_visit(
    body: VisitReport,
    visit: VisitDep,
    principal: DeskPrincipalDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
) -> VisitPublic:
    _own(visit, principal.subject)
    with runtime.work(correlation_id_var.get()) as uow:
        current = store.visit(uow.session, visit.id)
        case = cases.case(uow.session, visit.case_id)
        if current is None or case is None:
            raise NotFound("field visit")
        file_report(uow, settings, case, current, body)
        public = VisitPublic.model_validate(current, from_attributes=True)
    return public


@router.get(
    "/cases/{case_id}/field-visits",
    response_model=list[VisitPublic],
    summary="The case's visits, ordered and reported",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def case_visits(case: DeskCaseDep, session: ReaderDep) -> list[VisitPublic]:
    return [
        VisitPublic.model_validate(r, from_attributes=True)
        for r in store.visits_of(session, case.id)
    ]
