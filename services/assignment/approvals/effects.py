"""What a decided request changes in the feature that owns its kind. Each owner registers
its effect at the wiring point (``services/assignment/approval_effects.py``), so approvals
knows no other feature; a kind with no effect (waiver, client request) is its record."""

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


_EFFECTS: dict[Kind, Effect] = {}


def register(effects: Mapping[Kind, Effect]) -> None:
    """One effect per kind; registering the same table again changes nothing."""
    for kind, effect in effects.items():
        known = _EFFECTS.setdefault(kind, effect)
        if known is not effect:
            raise ValueError(f"an effect for {kind.value} approvals is already registered")


def effect_of(kind: Kind) -> Effect | None:
    return _EFFECTS.get(kind)
