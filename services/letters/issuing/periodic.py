"""The day-7 rule of the escalation ladder: a case 7 days past due with no payment since
gets the overdue collection notice, once. Run every ``due_check_minutes`` and at will."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from services.letters.domain.kinds import KINDS
from services.letters.issuing.service import Request, draft, issue_all
from services.letters.issuing.store import due_for_notice
from services.letters.letterheads.service import Letterheads
from services.letters.settings import LettersSettings
from shared.clock import to_local
from shared.runtime import Runtime

PER_RUN = 500


def send_overdue_notices(runtime: Runtime) -> int:
    settings = cast(LettersSettings, runtime.settings)
    kind = KINDS["overdue_notice"]
    with runtime.work() as uow:
        cutoff = to_local(uow.now).date() - timedelta(days=settings.overdue_notice_day)
        due = due_for_notice(uow.session, kind.code, cutoff, PER_RUN)
        request = Request(kind, {}, "debtor")
        heads = Letterheads(uow.session)
        drafts = (draft(uow, settings, case, request, heads) for case in due)
        return len(issue_all(uow, settings, drafts, by="rule", why="day_7_overdue"))
