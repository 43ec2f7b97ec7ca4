"""The day-7 rule of the escalation ladder: a case 7 days past due with no payment since
gets the overdue collection notice, once. Run every ``due_check_minutes`` and at will."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from sqlalchemy import exists, or_, select

from services.letters.domain.kinds import KINDS
from services.letters.issuing.models import Letter
from services.letters.issuing.service import Request, draft, issue_all
from services.letters.letterheads.models import Letterhead
from services.letters.letterheads.store import Letterheads
from services.letters.models import LetterCase
from services.letters.settings import LettersSettings
from shared.clock import to_local
from shared.runtime import Runtime

PER_RUN = 500


def send_overdue_notices(runtime: Runtime) -> int:
    settings = cast(LettersSettings, runtime.settings)
    kind = KINDS["overdue_notice"]
    with runtime.work() as uow:
        cutoff = to_local(uow.now).date() - timedelta(days=settings.overdue_notice_day)
        already = exists().where(Letter.case_id == LetterCase.id, Letter.kind == kind.code)
        with_head = exists().where(Letterhead.client_id == LetterCase.client_id)
        due = uow.session.execute(
            select(LetterCase)
            .where(
                LetterCase.overdue_since.is_not(None),  # type: ignore[union-attr]
                LetterCase.overdue_since <= cutoff,  # type: ignore[operator]
                or_(
                    LetterCase.last_paid_at.is_(None),  # type: ignore[union-attr]
                    LetterCase.last_paid_at < LetterCase.overdue_since,  # type: ignore[operator]
                ),
                LetterCase.total_owed > 0,
                ~already,
                with_head,
            )
            .order_by(LetterCase.overdue_since, LetterCase.id)
            .limit(PER_RUN)
        ).scalars()
        request = Request(kind, {}, "debtor")
        heads = Letterheads(uow.session)
        drafts = (draft(uow, settings, case, request, heads) for case in due)
        return len(issue_all(uow, settings, drafts, by="rule", why="day_7_overdue"))
