"""Incidents (seeds §12): their kinds, who must be told, and their clocks. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class Kind(StrEnum):
    OUTAGE = "outage"
    DATA_TRANSFER_FAILURE = "data_transfer_failure"
    FIELD_EMERGENCY = "field_emergency"
    FORCE_MAJEURE = "force_majeure"
    DEBTOR_AGAINST_CLIENT = "debtor_against_client"


class Entry(StrEnum):
    ACTION = "action"
    TOLD = "told"
    CONTACT = "contact"


OUTAGE_RESOLVED_WITHIN = timedelta(hours=12)
# "The supervisor is told at once": the platform tells them when the incident is raised;
# an emergency raised more than this after it happened missed the clock.
TELL_SUPERVISOR_WITHIN = timedelta(minutes=30)
# The kinds the bank is told of over its emergency channel (an outage: if it touches the
# client's cases, i.e. names the client).
TOLD_TO_THE_BANK = frozenset({Kind.FORCE_MAJEURE, Kind.DEBTOR_AGAINST_CLIENT, Kind.OUTAGE})


# The kinds that name the client(s) they concern.
NAMES_CLIENTS = frozenset({Kind.FORCE_MAJEURE, Kind.DEBTOR_AGAINST_CLIENT})


class IncidentInvalid(ValueError):
    pass


def check_raise(
    kind: Kind, occurred_at: datetime, raised_at: datetime, clients: tuple[str, ...]
) -> None:
    if occurred_at > raised_at:
        raise IncidentInvalid(
            "occurred_at is later than now: an incident is raised after it happens"
        )
    if kind in NAMES_CLIENTS and not clients:
        raise IncidentInvalid(
            f"a {kind.value} incident names the client(s) it concerns: client_ids"
        )


def outage_due(occurred_at: datetime) -> datetime:
    return occurred_at + OUTAGE_RESOLVED_WITHIN


def tell_due(occurred_at: datetime) -> datetime:
    return occurred_at + TELL_SUPERVISOR_WITHIN


def restore_allowed(role: str) -> bool:
    """A restore from backup needs HQ's approval and supervision: HQ records it."""
    return role == "hq"
