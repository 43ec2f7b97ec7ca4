"""What a decided request changes in the feature that owns its kind. The wiring point
(``services/assignment/approval_effects.py``) pairs each kind with its owner's effect and
the service hands that table to every unit of work (its context), so approvals knows no
other feature; a kind with no effect (waiver, client request) is its record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from services.assignment.approvals.domain import Kind
from services.assignment.approvals.models import Approval
from services.assignment.models import AssignedCase
from shared.bus.work import UnitOfWork


class OnGranted(Protocol):
    def __call__(self, uow: UnitOfWork, approval: Approval, case: AssignedCase) -> None: ...


class OnRejected(Protocol):
    def __call__(self, uow: UnitOfWork, approval: Approval, reason: str, by: str) -> None: ...


@dataclass(frozen=True)
class Effect:
    granted: OnGranted
    rejected: OnRejected | None = None


@dataclass(frozen=True)
class ApprovalEffects:
    """Each kind's effect, as the service wired them."""

    by_kind: Mapping[Kind, Effect]


def effect_of(uow: UnitOfWork, kind: Kind) -> Effect | None:
    return uow.context.extra(ApprovalEffects).by_kind.get(kind)
