"""Pure visibility rules: who may see which case. No I/O, tested directly."""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth.principal import BRANCH_WIDE, COLLECTORS, EVERYTHING, TEAM_WIDE, Principal


@dataclass(frozen=True)
class CaseScope:
    """What a service knows about a case's ownership, from its own copy."""

    case_id: str
    client_id: str | None
    collector_id: str | None = None
    team_id: str | None = None
    branch_id: str | None = None


def can_see_case(principal: Principal, case: CaseScope) -> bool:
    """A collector sees the cases assigned to them; a team lead and supervisor their
    team's; a branch manager their branch's; admins and HQ all; a bank only its own."""
    if principal.is_bank:
        return principal.client_id is not None and principal.client_id == case.client_id
    role = principal.role
    if role in EVERYTHING:
        return True
    if role in COLLECTORS:
        return case.collector_id is not None and case.collector_id == principal.subject
    if role in TEAM_WIDE:
        return principal.team_id is not None and case.team_id == principal.team_id
    if role in BRANCH_WIDE:
        return principal.branch_id is not None and case.branch_id == principal.branch_id
    return False


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
