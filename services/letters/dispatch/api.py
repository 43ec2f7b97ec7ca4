"""Recording a letter's mailing and its delivery outcome."""

from __future__ import annotations

from fastapi import APIRouter

from services.letters.access import WRITERS, LetterDep
from services.letters.dispatch.schemas import DeliveryIn, DispatchIn
from services.letters.dispatch.service import deliver, dispatch
from services.letters.issuing.schemas import LetterPublic
from services.letters.issuing.views import letter_public
from shared.auth.web import PrincipalDep
from shared.web.deps import WorkDep

router = APIRouter(tags=["letters"])


@router.post(
    "/cases/{case_id}/letters/{letter_id}/dispatch",
    status_code=201,
    response_model=LetterPublic,
    summary="Record the mailing",
    dependencies=[WRITERS],
)
def dispatch_letter(
    letter: LetterDep, body: DispatchIn, uow: WorkDep, who: PrincipalDep
) -> LetterPublic:
    dispatch(uow, letter, who.subject, **body.model_dump())
    return letter_public(letter, uow.session)


@router.post(
    "/cases/{case_id}/letters/{letter_id}/delivery",
    status_code=201,
    response_model=LetterPublic,
    summary="Record the delivery outcome and the deadline it sets",
    dependencies=[WRITERS],
)
def record_delivery(
    letter: LetterDep, body: DeliveryIn, uow: WorkDep, who: PrincipalDep
) -> LetterPublic:
    deliver(uow, letter, who.subject, body.outcome, body.outcome_on, body.recipient_fault)
    return letter_public(letter, uow.session)
