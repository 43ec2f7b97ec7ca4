"""Letters of a case: issue (or preview) one, read it and its PDF, record its dispatch and
delivery, keep its proof, download its evidence pack."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Response
from pydantic import BaseModel, Field, RootModel
from sqlalchemy import select
from sqlmodel import col

from services.letters.access import DESK, DeskCaseDep, LetterDep, SettingsDep
from services.letters.domain.deadlines import Outcome
from services.letters.domain.kinds import KINDS
from services.letters.issuing import Request, content_for, issue, kind_named, per_kind
from services.letters.models import Delivery, Dispatch, EvidenceFile, Letter, Letterhead
from services.letters.proof import (
    EVIDENCE_KINDS,
    add_evidence,
    deliver,
    dispatch,
    evidence_pack,
    without_staff,
)
from services.letters.stores import PDFS, renderer, store
from shared.auth.principal import ALL_STAFF, Principal, Scope
from shared.auth.web import PrincipalDep, access
from shared.clock import UtcDatetime, to_local
from shared.errors import ProblemError
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep
from shared.web.files import upload
from shared.web.paging import After, Limit, Page, keyset, page

router = APIRouter(tags=["letters"])
READERS = access(DESK, banks=True)
WRITERS = access(DESK, scope=Scope.TEAM)


class LetterOptions(BaseModel):
    recipient_party: Literal["debtor", "guarantor"] | None = None
    recipient_name: str | None = Field(default=None, max_length=200)
    recipient_address: str | None = Field(default=None, max_length=500)
    yuan: Literal["元", "圆"] = "元"


class IssueLetter(RootModel[per_kind("IssueLetter", LetterOptions)]):  # type: ignore[misc]
    """``kind`` (one of GET /letter-kinds) with that kind's own ``fields``."""


class DispatchIn(BaseModel):
    channel: Literal["ems", "registered_mail", "courier", "fax", "email", "hand"]
    carrier: str = Field(max_length=64, description="e.g. 中国邮政 EMS, 顺丰")
    tracking_number: str | None = Field(default=None, max_length=64)
    address: str | None = Field(default=None, max_length=500)
    mailed_on: date


class DeliveryIn(BaseModel):
    outcome: Outcome
    outcome_on: date
    recipient_fault: bool = Field(
        default=False,
        description="Refused or undeliverable through the recipient's fault: the deadline "
        "then runs from the mailing date + 3 days",
    )


class EvidencePublic(BaseModel):
    kind: str
    sha256: str
    filename: str
    size_bytes: int
    signed_on: date | None
    uploaded_at: UtcDatetime


class LetterPublic(BaseModel):
    id: str
    case_id: str
    kind: str
    title: str
    template_version: int
    recipient_party: str
    recipient_name: str
    content_sha256: str
    size_bytes: int
    issued_at: UtcDatetime
    issued_by: str | None = Field(description="The member of staff; not shown to banks")
    issued_why: str
    dispatch: dict[str, Any] | None = None
    delivery: dict[str, Any] | None = None
    evidence: list[EvidencePublic] = []


def _public(letter: Letter, session: Any = None) -> LetterPublic:
    out = LetterPublic(title=KINDS[letter.kind].title, **letter.model_dump(exclude={"inputs"}))
    if session is not None:
        sent, done = session.get(Dispatch, letter.id), session.get(Delivery, letter.id)
        out.dispatch = sent.model_dump(exclude={"letter_id"}) if sent else None
        out.delivery = done.model_dump(exclude={"letter_id"}) if done else None
        proofs = session.execute(
            select(EvidenceFile)
            .where(EvidenceFile.letter_id == letter.id)
            .order_by(EvidenceFile.id)
        ).scalars()
        out.evidence = [EvidencePublic(**p.model_dump()) for p in proofs]
    return out


def _seen_by(out: LetterPublic, who: Principal) -> LetterPublic:
    """A bank's view of a letter carries no staff identifiers, as its timeline does not."""
    if not who.is_bank:
        return out
    return out.model_copy(
        update={
            "issued_by": None,
            "dispatch": without_staff(out.dispatch),
            "delivery": without_staff(out.delivery),
        }
    )


def _request(letter: IssueLetter) -> Request:
    body = letter.root
    kind = kind_named(body.kind)
    return Request(
        kind=kind,
        fields=body.fields.model_dump(),
        party=body.recipient_party or kind.party,
        recipient_name=body.recipient_name,
        recipient_address=body.recipient_address,
        yuan=body.yuan,
    )


ProofFile = upload("A scan or photo (PDF, JPEG, PNG)")


@router.get(
    "/letter-kinds",
    summary="The letter types and their fields",
    dependencies=[access(ALL_STAFF, banks=True)],
)
def letter_kinds() -> list[dict[str, Any]]:
    return [
        {
            "kind": k.code,
            "title": k.title,
            "template_version": k.version,
            "recipient_party": k.party,
            "deadline": None if k.deadline is None else k.deadline.__dict__,
            "interrupts_limitation": k.demand,
            "fields": k.fields.model_json_schema(),
        }
        for k in KINDS.values()
    ]


@router.post(
    "/cases/{case_id}/letters",
    status_code=201,
    response_model=LetterPublic,
    summary="Issue a letter",
    dependencies=[WRITERS],
)
def issue_letter(
    case: DeskCaseDep, body: IssueLetter, uow: WorkDep, who: PrincipalDep, settings: SettingsDep
) -> LetterPublic:
    letter = issue(uow, settings, case, _request(body), by=who.subject, why="by_hand")
    return _public(letter)


@router.post(
    "/cases/{case_id}/letters/preview",
    summary="See a letter before issuing it (first page as PNG; nothing is kept)",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
    dependencies=[WRITERS],
)
def preview_letter(
    case: DeskCaseDep,
    body: IssueLetter,
    session: ReaderDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
) -> Response:
    request = _request(body)
    head = session.get(Letterhead, case.client_id)
    if head is None:
        raise ProblemError(409, f"client {case.client_id} has no letterhead yet")
    today = to_local(runtime.clock()).date()
    data = content_for(settings, case, head, request, "PREVIEW", today)
    png = renderer(settings).render(request.kind.template, data, "png")
    return Response(png, media_type="image/png")


@router.get(
    "/cases/{case_id}/letters",
    response_model=Page[LetterPublic],
    summary="A case's letters, newest first, each with its dispatch, delivery and proof",
    description="Keyset pages: pass `next_cursor` as `after`.",
    dependencies=[READERS],
)
def list_letters(
    case: DeskCaseDep,
    who: PrincipalDep,
    session: ReaderDep,
    limit: Limit = 50,
    after: After = None,
) -> Page[LetterPublic]:
    order = [col(Letter.issued_at), col(Letter.id)]
    query = keyset(
        select(Letter).where(Letter.case_id == case.id), order, limit, after, descending=True
    )
    letters, cursor = page(
        session.execute(query).scalars().all(), limit, lambda x: (x.issued_at, x.id)
    )
    return Page(
        items=[_seen_by(_public(letter, session), who) for letter in letters], next_cursor=cursor
    )


@router.get(
    "/cases/{case_id}/letters/{letter_id}",
    response_model=LetterPublic,
    summary="A letter with its dispatch, delivery and proof",
    dependencies=[READERS],
)
def get_letter(letter: LetterDep, who: PrincipalDep, session: ReaderDep) -> LetterPublic:
    return _seen_by(_public(letter, session), who)


@router.get(
    "/cases/{case_id}/letters/{letter_id}/pdf",
    summary="The letter exactly as issued (opens in the browser)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    dependencies=[READERS],
)
def letter_pdf(letter: LetterDep, settings: SettingsDep) -> Response:
    pdf = store(settings, PDFS).verified(letter.case_id, letter.content_sha256).read_bytes()
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="letter-{letter.id}.pdf"',
            "X-Content-SHA256": letter.content_sha256,
        },
    )


@router.get(
    "/cases/{case_id}/letters/{letter_id}/preview.png",
    summary="An issued letter's first page as a picture (from its kept inputs and template)",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
    dependencies=[READERS],
)
def issued_preview(letter: LetterDep, settings: SettingsDep) -> Response:
    kind = KINDS[letter.kind]
    template = f"{kind.code}.v{letter.template_version}.typ"
    png = renderer(settings).render(template, json.loads(letter.inputs), "png")
    return Response(png, media_type="image/png")


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
    uow.session.flush()
    return _public(letter, uow.session)


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
    uow.session.flush()
    return _public(letter, uow.session)


@router.post(
    "/cases/{case_id}/letters/{letter_id}/evidence",
    status_code=201,
    response_model=EvidencePublic,
    summary="Keep a proof: mailing stub, delivery proof, signed acknowledgment",
    dependencies=[WRITERS],
)
def upload_evidence(
    letter: LetterDep,
    uow: WorkDep,
    who: PrincipalDep,
    settings: SettingsDep,
    kind: Annotated[Literal[EVIDENCE_KINDS], Form()],  # type: ignore[valid-type]
    file: ProofFile,
    signed_on: Annotated[date | None, Form(description="For a signed acknowledgment")] = None,
) -> EvidencePublic:
    content = file.file.read()
    if not content:
        raise ProblemError(422, "the uploaded file is empty")
    if kind == "acknowledgment" and signed_on is None:
        raise ProblemError(422, "a signed acknowledgment needs signed_on, the day it was signed")
    proof = add_evidence(
        uow,
        settings,
        letter,
        who.subject,
        kind=kind,
        content=content,
        filename=file.filename or "upload",
        media_type=file.content_type or "application/octet-stream",
        signed_on=signed_on,
    )
    return EvidencePublic(**proof.model_dump())


@router.get(
    "/cases/{case_id}/letters/{letter_id}/evidence.zip",
    summary="The letter's evidence pack",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
    dependencies=[READERS],
)
def download_evidence(
    letter: LetterDep, who: PrincipalDep, session: ReaderDep, settings: SettingsDep
) -> Response:
    pack = evidence_pack(session, settings, letter, for_bank=who.is_bank)
    return Response(
        pack,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="evidence-{letter.id}.zip"'},
    )
