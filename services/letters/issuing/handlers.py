"""After an "invoice not received" call the debtor gets a statement of account, by itself."""

from __future__ import annotations

from typing import Any

from services.letters.domain.kinds import KINDS
from services.letters.issuing.service import NoLetterhead, Request, issue, statement_of_account
from services.letters.settings import LettersSettings
from services.letters.waiting import received_case
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.events import Envelope
from shared.logging import get_logger

log = get_logger(__name__)


def statement_on_invoice_not_received(settings: LettersSettings) -> Any:
    def handle(uow: UnitOfWork, event: Envelope[Any]) -> None:
        if event.payload.outcome != "invoice_not_received":
            return
        case = received_case(uow, event)
        if case is None:
            return
        kind = KINDS["statement"]
        fields = statement_of_account(case, to_local(uow.now).date())
        try:
            issue(
                uow,
                settings,
                case,
                Request(kind, fields, "debtor"),
                by="rule",
                why="invoice_not_received",
            )
        except NoLetterhead as exc:
            log.warning("statement_not_sent", case_id=case.id, reason=str(exc))

    return handle
