"""A batch of letters is recorded only once every letter's two copies are on disk: when a
copy cannot be written, the batch's transaction records nothing."""

from __future__ import annotations

from typing import cast

import pytest
from sqlalchemy import func, select

from services.letters.domain.kinds import KINDS
from services.letters.issuing.models import Letter
from services.letters.issuing.service import Request, draft, issue_all
from services.letters.letterheads.service import Letterheads
from services.letters.models import LetterCase
from services.letters.settings import LettersSettings
from services.letters.stores import PDFS

from .conftest import Desk, new_case


def _issue_batch(desk: Desk, case_ids: list[str]) -> list[Letter]:
    settings = cast(LettersSettings, desk.runtime.settings)
    request = Request(KINDS["overdue_notice"], {}, "debtor")
    with desk.runtime.work() as uow:
        heads = Letterheads(uow.session)
        cases = [uow.session.get(LetterCase, i) for i in case_ids]
        drafts = (draft(uow, settings, c, request, heads) for c in cases if c is not None)
        return issue_all(uow, settings, drafts, by="test", why="batch")


def _letters(desk: Desk) -> int:
    with desk.runtime.db.reader() as session:
        return session.execute(select(func.count()).select_from(Letter)).scalar_one()


def test_a_batch_records_each_letter_with_both_copies_kept(desk: Desk) -> None:
    cases = [desk.case_id, new_case(desk), new_case(desk)]
    letters = _issue_batch(desk, cases)
    assert [x.case_id for x in letters] == cases, "in the order drafted"
    primary, backup = cast(LettersSettings, desk.runtime.settings).store_dirs
    for x in letters:
        for root in (primary, backup):
            assert (root / PDFS / x.case_id / f"{x.content_sha256}.bin").stat().st_size == (
                x.size_bytes
            )
    assert len(desk.events("LetterIssued")) == 3


def test_a_copy_that_cannot_be_written_records_no_letter_of_the_batch(desk: Desk) -> None:
    cases = [desk.case_id, new_case(desk)]
    _, backup = cast(LettersSettings, desk.runtime.settings).store_dirs
    backup.mkdir(parents=True, exist_ok=True)
    (backup / PDFS).write_bytes(b"not a folder")
    with pytest.raises(OSError):
        _issue_batch(desk, cases)
    assert _letters(desk) == 0
    assert desk.events("LetterIssued") == []
