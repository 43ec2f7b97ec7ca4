"""What a service's handlers need beyond their session: the same object on every unit of
work the service opens, so every handler can be a module-level function.

The runtime builds it once from the service's parts. A service brings what only it knows
as typed *extras* (a secret, the read model a rebuild writes into), each found by its
class: ``uow.context.extra(BlacklistSecret)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import Table

from shared.auth.tables import SecurityTables
from shared.purge.plan import PurgePlan
from shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)
T = TypeVar("T")


@dataclass(frozen=True)
class ServiceContext:
    settings: ServiceSettings
    security: SecurityTables
    purge: PurgePlan | None = None
    workdays: Table | None = None
    extras: tuple[object, ...] = ()

    @property
    def service(self) -> str:
        return self.settings.service_name

    def settings_as(self, kind: type[S]) -> S:
        """The settings as the service's own class (``LettersSettings``, …)."""
        if not isinstance(self.settings, kind):
            raise TypeError(f"{self.service} runs on {type(self.settings).__name__}, not {kind}")
        return self.settings

    def purge_plan(self) -> PurgePlan:
        if self.purge is None:
            raise LookupError(f"{self.service} has no purge plan, yet obeys purge orders")
        return self.purge

    def workday_table(self) -> Table:
        if self.workdays is None:
            raise LookupError(f"{self.service} keeps no working-day calendar, yet is sent one")
        return self.workdays

    def extra(self, kind: type[T]) -> T:
        for part in self.extras:
            if isinstance(part, kind):
                return part
        raise LookupError(f"{self.service} brings no {kind.__name__} to its handlers")

    def with_extra(self, part: object) -> ServiceContext:
        """This context with ``part`` in place of the extra of its class (if any)."""
        kept = tuple(p for p in self.extras if not isinstance(p, type(part)))
        return replace(self, extras=(*kept, part))
