"""Issuing a letter: its content worked out, rendered, its exact bytes kept in two copies
with their hash, and ``LetterIssued`` in the same transaction. A letter never changes; a
new rendering is a new letter."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, create_model
from sqlalchemy import Table

from services.letters.domain.content import CaseFacts, Sender, letter_content
from services.letters.domain.kinds import KINDS, LetterKind, nothing_owed
from services.letters.domain.money_words import YuanSign
from services.letters.issuing.models import Letter
from services.letters.letterheads.models import Letterhead
from services.letters.letterheads.service import Letterheads
from services.letters.models import LetterCase
from services.letters.settings import LettersSettings
from services.letters.store import case_of, scopes_of
from services.letters.stores import PDFS, SEALS, renderer, store
from shared.auth.policy import CaseScope
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.errors import Conflict, ProblemError
from shared.events.catalog import LetterIssued


class NoLetterhead(Conflict):
    def __init__(self, client_id: str) -> None:
        super().__init__(
            f"client {client_id} has no letterhead: an admin sets it with "
            f"PUT /clients/{client_id}/letterhead before letters can be issued"
        )


@dataclass(frozen=True)
class Request:
    kind: LetterKind
    fields: dict[str, Any]
    party: str
    recipient_name: str | None = None
    recipient_address: str | None = None
    yuan: YuanSign = "元"


KindCode = StrEnum("KindCode", {code: code for code in KINDS})  # type: ignore[misc]


def per_kind(name: str, base: type[BaseModel]) -> Any:
    """``base`` once per letter kind, ``kind`` its code and ``fields`` that kind's own
    fields, as one union told apart by ``kind``: the document states each kind's fields."""
    members = []
    for kind in KINDS.values():
        needed = any(f.is_required() for f in kind.fields.model_fields.values())
        described = Field(description=f"The fields of {kind.code}")
        if not needed:
            described = Field(default_factory=kind.fields, description=described.description)
        members.append(
            create_model(
                f"{name}_{kind.code}",
                __base__=base,
                kind=(Literal[kind.code], Field(description=kind.title)),  # type: ignore[arg-type]
                fields=(kind.fields, described),
            )
        )
    return Annotated[Union[tuple(members)], Field(discriminator="kind")]  # noqa: UP007


def kind_named(code: str) -> LetterKind:
    kind = KINDS.get(code)
    if kind is None:
        raise ProblemError(422, f"unknown letter kind {code!r}; known: {', '.join(KINDS)}")
    return kind


def sender_of(head: Letterhead) -> Sender:
    return Sender(
        name=head.name,
        address=head.address,
        phone=head.phone,
        dispute_phone=head.dispute_phone,
        email=head.email,
        website=head.website,
        payment_account=head.payment_account,
    )


def facts_of(case: LetterCase) -> CaseFacts:
    return CaseFacts(
        client_id=case.client_id,
        debtor_name=case.debtor_name or "",
        account_ref=case.account_ref or "",
        total_owed=case.total_owed,
        overdue_since=case.overdue_since,
        parts={
            "principal": case.principal,
            "interest": case.interest,
            "penalty": case.penalty,
            "fees": case.fees,
        },
    )


def seal_for(settings: LettersSettings, head: Letterhead) -> str | None:
    if head.seal_sha256 is None:
        return None
    pictures = renderer(settings)
    if not pictures.has_seal(head.seal_sha256):
        content = store(settings, SEALS).verified(head.client_id, head.seal_sha256).read_bytes()
        return pictures.seal_path(head.seal_sha256, content)
    return f"/seals/{head.seal_sha256}.img"


def content_for(
    settings: LettersSettings,
    case: LetterCase,
    head: Letterhead,
    request: Request,
    reference: str,
    as_of: date,
) -> dict[str, Any]:
    refusal = nothing_owed(request.kind, case.total_owed)
    if refusal is not None:
        raise ProblemError(409, f"case {case.id}: {refusal}")
    name = request.recipient_name or request.fields.get("guarantor_name") or case.debtor_name
    if not name:
        raise ProblemError(422, "the recipient's name is unknown: give recipient_name")
    address = (
        request.recipient_address
        or request.fields.get("guarantor_address")
        or (case.address if request.party == "debtor" else None)
    )
    data = letter_content(
        kind=request.kind,
        fields=request.fields,
        case=facts_of(case),
        sender=sender_of(head),
        recipient={"party": request.party, "name": name, "address": address or None},
        reference=reference,
        as_of=as_of,
        daily_rate=settings.default_daily_penalty_rate,
        seal=seal_for(settings, head),
        yuan=request.yuan,
    )
    missing = renderer(settings).unprintable(data)
    if missing:
        raise ProblemError(
            422,
            "the letter cannot print "
            + "; ".join(str(m) for m in missing)
            + ": no font of the letters has it, and a letter never shows a wrong name",
        )
    return data


@dataclass(frozen=True)
class Draft:
    """A letter worked out and not yet rendered: what its template will be given."""

    case: LetterCase
    letter_id: str
    request: Request
    data: dict[str, Any]


def draft(
    uow: UnitOfWork,
    settings: LettersSettings,
    case: LetterCase,
    request: Request,
    heads: Letterheads | None = None,
) -> Draft:
    """``heads`` when drafting many letters: each client's letterhead is then read once."""
    head = (heads or Letterheads(uow.session)).of(case.client_id)
    if head is None:
        raise NoLetterhead(case.client_id)
    letter_id = str(uuid.uuid4())
    today = to_local(uow.now).date()
    reference = f"{today:%Y%m%d}-{letter_id[:8].upper()}"
    return Draft(
        case, letter_id, request, content_for(settings, case, head, request, reference, today)
    )


def rendered(settings: LettersSettings, draft: Draft) -> bytes:
    return renderer(settings).render(draft.request.kind.template, draft.data)


def kept(settings: LettersSettings, draft: Draft, pdf: bytes) -> tuple[str, int]:
    """Both copies of the PDF written and fsynced; its SHA-256 and size."""
    sha256, _ = store(settings, PDFS).store_bytes(draft.case.id, pdf)
    return sha256, len(pdf)


def produce(settings: LettersSettings, draft: Draft) -> tuple[str, int]:
    """Render and keep the PDF (two copies); its SHA-256 and size. Safe on any thread."""
    return kept(settings, draft, rendered(settings, draft))


def record(uow: UnitOfWork, draft: Draft, sha256: str, size: int, *, by: str, why: str) -> Letter:
    kind, data = draft.request.kind, draft.data
    letter = Letter(
        id=draft.letter_id,
        case_id=draft.case.id,
        client_id=draft.case.client_id,
        kind=kind.code,
        template_version=kind.version,
        recipient_party=draft.request.party,
        recipient_name=data["recipient"]["name"][:200],
        recipient_address=(data["recipient"]["address"] or None),
        inputs=json.dumps(data, ensure_ascii=False),
        content_sha256=sha256,
        size_bytes=size,
        issued_at=uow.now,
        issued_by=by,
        issued_why=why,
    )
    uow.session.add(letter)
    uow.emit(
        LetterIssued(
            letter_id=letter.id,
            kind=kind.code,
            recipient_party=draft.request.party,  # type: ignore[arg-type]
            content_sha256=sha256,
            issued_at=uow.now,
        ),
        case_id=letter.case_id,
    )
    return letter


def issue(
    uow: UnitOfWork,
    settings: LettersSettings,
    case: LetterCase,
    request: Request,
    *,
    by: str,
    why: str,
) -> Letter:
    drafted = draft(uow, settings, case, request)
    return record(uow, drafted, *produce(settings, drafted), by=by, why=why)


KEEPERS = 16
"""Letters being written to disk at once in a batch. An fsync mostly waits for the disk
(~6 ms each here, two per letter), and concurrent fsyncs share the journal's commits, so
they run beside the renderers instead of on them: a renderer that waited for its own
fsyncs left a core idle for longer than it took to render the letter."""


def _kept_once_rendered(
    settings: LettersSettings, draft: Draft, pdf: Future[bytes]
) -> tuple[str, int]:
    return kept(settings, draft, pdf.result())


def issue_all(
    uow: UnitOfWork, settings: LettersSettings, drafts: Iterable[Draft], *, by: str, why: str
) -> list[Letter]:
    """Many letters in one transaction: rendered on ``render_threads`` threads while earlier
    ones are written to disk, each drafted letter handed on as soon as it is drafted. A
    letter is recorded only once both its copies are durable."""
    taken: list[Draft] = []
    stored: list[Future[tuple[str, int]]] = []
    with (
        ThreadPoolExecutor(settings.render_threads) as renderers,
        ThreadPoolExecutor(KEEPERS) as keepers,
    ):
        for d in drafts:
            pdf = renderers.submit(rendered, settings, d)
            stored.append(keepers.submit(_kept_once_rendered, settings, d, pdf))
            taken.append(d)
        made = [future.result() for future in stored]
    return [
        record(uow, d, sha, size, by=by, why=why)
        for d, (sha, size) in zip(taken, made, strict=True)
    ]


def issue_to_many(
    uow: UnitOfWork,
    settings: LettersSettings,
    case_ids: Iterable[str],
    request: Request,
    *,
    visibility: Table,
    may_work: Callable[[CaseScope], bool],
    by: str,
) -> tuple[list[Letter], dict[str, str]]:
    """One kind of letter to each case the caller may work; the letters issued and why
    each other case got none (unknown or out of reach alike: "case not found")."""
    wanted = list(dict.fromkeys(case_ids))
    scopes = scopes_of(uow.session, visibility, wanted)
    drafts: list[Draft] = []
    skipped: dict[str, str] = {}
    heads = Letterheads(uow.session)
    for case_id in wanted:
        scope = scopes.get(case_id)
        mine = scope is not None and may_work(scope)
        case = case_of(uow.session, case_id) if mine else None
        if case is None:
            skipped[case_id] = "case not found"
            continue
        try:
            drafts.append(draft(uow, settings, case, request, heads))
        except ProblemError as exc:  # no letterhead, no recipient name
            skipped[case_id] = str(exc)
    return issue_all(uow, settings, drafts, by=by, why="batch"), skipped


def statement_of_account(case: LetterCase, as_of: date) -> dict[str, Any]:
    """The statement's one line when it is sent by rule: the balance as of today."""
    return {
        "lines": [
            {"period": f"截至{as_of.year}年{as_of.month}月{as_of.day}日", "amount": case.total_owed}
        ]
    }
