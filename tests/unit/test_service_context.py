"""What handlers reach beyond their session: the service's context on every unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from services.assignment.closing.handlers import BlacklistSecret
from services.assignment.main import create_app
from services.assignment.settings import AssignmentSettings
from services.letters.settings import LettersSettings
from services.reporting.main import create_app as create_reporting
from services.reporting.models import LIVE
from services.reporting.readmodel.tables import ReadModel


@dataclass(frozen=True)
class Other:
    name: str


def test_every_unit_of_work_carries_the_services_context(tmp_path: Path) -> None:
    settings = AssignmentSettings(database_url=f"sqlite:///{tmp_path / 'a.db'}")
    runtime = create_app(settings).state.runtime
    context = runtime.context
    with runtime.work() as uow:
        assert uow.context is context
    assert isinstance(context.settings_as(AssignmentSettings), AssignmentSettings)
    assert context.extra(BlacklistSecret).value == runtime.settings.blacklist_secret()
    assert context.security is runtime.parts.security and context.purge is runtime.parts.purge
    with pytest.raises(TypeError, match="AssignmentSettings"):
        context.settings_as(LettersSettings)
    with pytest.raises(LookupError, match="assignment brings no Other"):
        context.extra(Other)


def test_an_extra_is_replaced_by_one_of_its_class() -> None:
    context = create_reporting().state.runtime.context
    assert context.extra(ReadModel) is LIVE
    swapped = context.with_extra(Other("rebuild")).with_extra(Other("again"))
    assert swapped.extra(Other) == Other("again") and swapped.extra(ReadModel) is LIVE
    assert context.extra(ReadModel) is LIVE and context.workday_table().name == "workday_calendar"
