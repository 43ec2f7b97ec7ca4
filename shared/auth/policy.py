"""Pure visibility rules: who may see which case. No I/O, tested directly."""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth.principal import (
    BRANCH_WIDE,
    COLLECTORS,
    EVERYTHING,
    TEAM_WIDE,
    Principal,
    Scope,
)


@dataclass(frozen=True)
class CaseScope:
    """What a service knows about a case's ownership, from its own copy."""

    case_id: str
    client_id: str | None
    collector_id: str | None = None
    team_id: str | None = None
    branch_id: str | None = None


def natural_reach(principal: Principal) -> Scope:
    """A collector reaches their own cases; a team lead and supervisor their team's; a
    branch manager their branch's; admins and HQ all; a bank its own client's."""
    if principal.is_bank or principal.role in COLLECTORS:
        return Scope.OWN
    if principal.role in EVERYTHING:
        return Scope.ALL
    if principal.role in TEAM_WIDE:
        return Scope.TEAM
    if principal.role in BRANCH_WIDE:
        return Scope.BRANCH
    return Scope.OWN


def reach(principal: Principal, declared: Scope | None = None) -> Scope:
    """The caller's reach on an operation declaring ``declared``: the narrower of the
    role's own reach and the declaration's. ``ALL`` declares an operation on what belongs
    to nobody in particular (a product's ladder, the calendar): it reaches all for every
    role allowed to call it. Admins and HQ reach all; a bank only ever its own client."""
    natural = natural_reach(principal)
    if principal.is_bank or declared is None:
        return natural
    if declared is Scope.ALL or principal.role in EVERYTHING:
        return Scope.ALL
    return natural if natural.rank <= declared.rank else declared


def within_reach(principal: Principal, scope: Scope, case: CaseScope) -> bool:
    """Whether the case lies within ``scope`` of the caller; a bank only ever its own."""
    if principal.is_bank:
        return principal.client_id is not None and principal.client_id == case.client_id
    if scope is Scope.ALL:
        return True
    if scope is Scope.BRANCH:
        return principal.branch_id is not None and case.branch_id == principal.branch_id
    if scope is Scope.TEAM:
        return principal.team_id is not None and case.team_id == principal.team_id
    return case.collector_id is not None and case.collector_id == principal.subject


def can_see_case(principal: Principal, case: CaseScope) -> bool:
    """A collector sees the cases assigned to them; a team lead and supervisor their
    team's; a branch manager their branch's; admins and HQ all; a bank only its own."""
    if not principal.is_bank and principal.role is None:
        return False
    return within_reach(principal, natural_reach(principal), case)


def can_act_for_client(principal: Principal, client_id: str) -> bool:
    """Client-level resources (files, batches, keys): the bank itself, or admins and HQ."""
    if principal.is_bank:
        return principal.client_id == client_id
    return principal.role in EVERYTHING


_FULL_ID_NUMBER = EVERYTHING
_FULL_PHONE = EVERYTHING | COLLECTORS | TEAM_WIDE


def sees_full_id_number(principal: Principal) -> bool:
    return principal.is_bank or principal.role in _FULL_ID_NUMBER


def sees_full_phone(principal: Principal) -> bool:
    """Collectors must dial the number; reporting roles do not need it."""
    return principal.is_bank or principal.role in _FULL_PHONE
