"""Who is calling: a member of staff with a role, or a bank with its client id."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    PHONE_COLLECTOR = "phone_collector"
    FIELD_COLLECTOR = "field_collector"
    TEAM_LEAD = "team_lead"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    BRANCH_MANAGER = "branch_manager"
    HQ = "hq"


COLLECTORS = frozenset({Role.PHONE_COLLECTOR, Role.FIELD_COLLECTOR})
TEAM_WIDE = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR})
BRANCH_WIDE = frozenset({Role.BRANCH_MANAGER})
EVERYTHING = frozenset({Role.ADMIN, Role.HQ})
ALL_STAFF = frozenset(Role)


class Scope(StrEnum):
    """How far a caller reaches, narrowest first: their own objects (a collector's cases, a
    field collector's visits, a bank's own client), their team's, their branch's, all."""

    OWN = "own"
    TEAM = "team"
    BRANCH = "branch"
    ALL = "all"

    @property
    def rank(self) -> int:
        return list(Scope).index(self)


@dataclass(frozen=True)
class Principal:
    subject: str
    kind: Literal["staff", "bank"]
    role: Role | None = None
    team_id: str | None = None
    branch_id: str | None = None
    client_id: str | None = None

    @property
    def is_bank(self) -> bool:
        return self.kind == "bank"
