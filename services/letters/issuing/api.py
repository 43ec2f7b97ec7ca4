"""Letters of a case: issue (or preview) one, read it, its PDF and its first page; issue
one kind of letter to many cases at once."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Response

from services.letters.access import BATCH, READERS, WRITERS, DeskCaseDep, LetterDep, SettingsDep
from services.letters.domain.kinds import KINDS
from services.letters.issuing.schemas import BatchIn, BatchOutcome, IssueLetter, LetterPublic
from services.letters.issuing.service import (
    Request,
    content_for,
    issue,
    issue_to_many,
    kind_named,
)
from services.letters.issuing.store import letters_of
from services.letters.issuing.views import letter_public, seen_by
from services.letters.letterheads.service import letterhead_of
from services.letters.stores import PDFS, renderer, store
from shared.auth.policy import within_reach
from shared.auth.principal import ALL_STAFF, Scope
from shared.auth.web import PrincipalDep, ReachDep, access
from shared.clock import to_local
from shared.errors import ProblemError
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep
from shared.web.paging import After, Limit, Page, page

router = APIRouter(tags=["letters"])
batches = APIRouter()


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
    return letter_public(letter)


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
    head = letterhead_of(session, case.client_id)
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
    letters, cursor = page(
        letters_of(session, case.id, limit, after), limit, lambda x: (x.issued_at, x.id)
    )
    return Page(
        items=[seen_by(letter_public(letter, session), who) for letter in letters],
        next_cursor=cursor,
    )


@router.get(
    "/cases/{case_id}/letters/{letter_id}",
    response_model=LetterPublic,
    summary="A letter with its dispatch, delivery and proof",
    dependencies=[READERS],
)
def get_letter(letter: LetterDep, who: PrincipalDep, session: ReaderDep) -> LetterPublic:
    return seen_by(letter_public(letter, session), who)


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


@batches.post(
    "/letters/batches",
    response_model=BatchOutcome,
    status_code=201,
    tags=["letters"],
    summary="Issue one kind of letter to many cases",
    dependencies=[access(BATCH, scope=Scope.TEAM)],
)
def issue_batch(
    body: BatchIn,
    uow: WorkDep,
    who: PrincipalDep,
    reach: ReachDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
) -> BatchOutcome:
    batch = body.root
    if len(batch.case_ids) > settings.batch_max_cases:
        raise ProblemError(422, f"at most {settings.batch_max_cases} cases per batch")
    kind = kind_named(batch.kind)
    request = Request(kind, batch.fields.model_dump(), kind.party)
    letters, skipped = issue_to_many(
        uow,
        settings,
        batch.case_ids,
        request,
        visibility=runtime.parts.security.case_visibility,
        may_work=lambda scope: within_reach(who, reach, scope),
        by=who.subject,
    )
    return BatchOutcome(issued={x.case_id: x.id for x in letters}, skipped=skipped)
