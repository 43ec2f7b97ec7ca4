"""The bank's emergency channel end to end against a real receiver on 127.0.0.1: signed
notifications that verify with the README's check, every notification once after the
receiver was down, a wrong secret refused, replays older than 5 minutes refused, rotation
with a grace period, 24 hours of retries then failed for admins, and the delivery log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.intake.emergency.delivery import deliver_due
from services.intake.emergency.signing import new_secret
from shared.events import new_event
from shared.events.catalog import CaseClosed, IncidentReported, PromiseKept
from tests.intake.conftest import (
    AGREEMENT,
    case_file,
    intake_settings,
    outbox_payloads,
    post_file,
    register_bank,
    running,
)
from tests.intake.emergency_kit import Receiver, documented_verify


@pytest.fixture
def intake(
    database_url: str, tmp_path: Path, key_dir: Path, signing_key: Ed25519PrivateKey
) -> Iterator[TestClient]:
    """Intake whose own delivery round stays out of the way: the test runs the rounds."""
    settings = intake_settings(database_url, tmp_path, key_dir, emergency_delivery_seconds=3600)
    yield from running(settings)


class Bank:
    """The bank's side: its key, its agreement, its secret, its clock."""

    def __init__(self, intake: TestClient, admin: dict[str, str]) -> None:
        self.intake, self.admin = intake, admin
        self.key = register_bank(intake, admin, "ICBC-SH")
        made = intake.post("/clients/ICBC-SH/agreements", json=AGREEMENT, headers=admin)
        assert made.status_code == 201, made.text
        self.agreement = made.json()["id"]
        self.endpoint = f"/clients/ICBC-SH/agreements/{self.agreement}/emergency-endpoint"
        posted = post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "100")), self.key)
        assert posted.status_code == 201, posted.text
        self.now = datetime.now(UTC)
        self.secret = ""

    def clock(self) -> float:
        return self.now.timestamp()

    def listen(self, receiver_url: str, topics: list[str]) -> dict[str, Any]:
        body = {"url": receiver_url, "topics": topics}
        answer = self.intake.put(self.endpoint, json=body, headers=self.admin)
        assert answer.status_code == 200, answer.text
        self.secret = answer.json()["secret"] or self.secret
        return answer.json()

    def pay(self, ref: str, amount: str = "10.00") -> str:
        """A payment the bank reports; answers the PaymentReceived event's id."""
        body = {"account_ref": "A-1", "transaction_ref": ref, "amount": amount,
                "paid_at": "2026-11-01T10:00:00+08:00"}  # fmt: skip
        answer = self.intake.post("/clients/ICBC-SH/payments", json=body, headers=self.key)
        assert answer.status_code == 201, answer.text
        self.now = max(self.now, datetime.now(UTC))  # intake queued it on its own clock
        events = outbox_payloads(self.intake, "PaymentReceived")
        return next(e["event_id"] for e in events if e["payload"]["transaction_ref"] == ref)

    def deliver(self, after: timedelta = timedelta(0)) -> int:
        self.now = self.now + after
        return deliver_due(self.intake.app.state.runtime.db, self.now, timeout=5)  # type: ignore[attr-defined]

    def log(self, **params: Any) -> list[dict[str, Any]]:
        answer = self.intake.get(self.endpoint + "/deliveries", params=params, headers=self.key)
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture
def bank(intake: TestClient, admin: dict[str, str]) -> Bank:
    return Bank(intake, admin)


def test_a_notification_is_signed_and_verifies_with_the_documented_check(bank: Bank) -> None:
    receiver = Receiver("", bank.clock).start()
    try:
        setup = bank.listen(receiver.url, ["payment_received", "case_closed"])
        assert setup["secret"].startswith("whsec_")
        receiver.secret = bank.secret
        event_id = bank.pay("T-1")
        case_id = bank.log()[0]["case_id"]
        assert case_id
        runtime = bank.intake.app.state.runtime  # type: ignore[attr-defined]
        closing = CaseClosed(client_id="ICBC-SH", outcome="paid", closed_at=bank.now)
        closed = new_event(closing, occurred_at=bank.now, case_id=case_id)
        kept = new_event(
            PromiseKept(promise_id="p-1", kept_at=bank.now), occurred_at=bank.now, case_id=case_id
        )
        runtime.dispatch([closed, kept, closed])
        bank.now = datetime.now(UTC)

        assert bank.deliver() == 2, "the payment and the closure; promises were not chosen"
        assert [r.verified for r in receiver.received] == [True, True]
        assert receiver.ids() == [event_id, str(closed.event_id)]
        body = json.loads(receiver.received[0].body)
        assert (body["id"], body["type"], body["account_ref"]) == (
            event_id,
            "PaymentReceived",
            "A-1",
        )
        assert body["agreement_id"] == bank.agreement and body["data"]["amount"] == "10.00"

        log = bank.log()
        assert {n["state"] for n in log} == {"delivered"}
        assert all(len(n["log"]) == 1 and n["log"][0]["status_code"] == 204 for n in log)
        assert all(n["log"][0]["latency_ms"] >= 0 for n in log)
        assert bank.deliver(timedelta(hours=1)) == 0, "delivered once"
    finally:
        receiver.stop()


def test_a_receiver_down_for_a_while_gets_every_notification_once(bank: Bank) -> None:
    receiver = Receiver("", bank.clock)  # not listening yet: connections are refused
    bank.listen(receiver.url, ["payment_received"])
    receiver.secret = bank.secret
    sent = [bank.pay(f"T-{n}") for n in range(3)]

    assert bank.deliver() == 3
    assert bank.deliver(timedelta(seconds=10)) == 0, "the first retry waits 30 s"
    assert bank.deliver(timedelta(seconds=21)) == 3
    assert bank.deliver(timedelta(seconds=30)) == 0, "then 60 s"
    pending = bank.log(state="pending")
    assert len(pending) == 3 and all(n["attempts"] == 2 for n in pending)
    assert all(a["status_code"] is None and a["error"] for n in pending for a in n["log"])

    receiver.start()
    try:
        assert bank.deliver(timedelta(seconds=31)) == 3
        assert bank.deliver(timedelta(hours=3)) == 0
        assert sorted(receiver.ids()) == sorted(sent) and len(receiver.received) == 3
        assert {n["state"] for n in bank.log()} == {"delivered"}
    finally:
        receiver.stop()


def test_a_wrong_secret_fails_and_24_hours_of_retries_end_failed_for_admins(bank: Bank) -> None:
    receiver = Receiver(new_secret(), bank.clock).start()  # not the client's secret
    try:
        bank.listen(receiver.url, ["payment_received"])
        event_id = bank.pay("T-1")
        assert bank.deliver() == 1
        [refused] = receiver.received
        assert refused.verified is False
        verify = documented_verify()
        assert verify(bank.secret, refused.headers, refused.body, now=bank.clock())
        [note] = bank.log()
        assert (note["state"], note["log"][0]["status_code"]) == ("pending", 401)

        waits = []
        while note["state"] == "pending":
            waits.append(datetime.fromisoformat(note["next_attempt_at"]) - bank.now)
            bank.deliver(waits[-1])
            [note] = bank.log()
        assert waits[:3] == [timedelta(seconds=s) for s in (30, 60, 120)]
        assert max(waits) == timedelta(hours=2), "exponential, at most 2 hours apart"
        assert note["state"] == "failed" and note["attempts"] == len(waits) + 1
        failed_at = datetime.fromisoformat(note["failed_at"])
        assert datetime.fromisoformat(note["created_at"]) + timedelta(hours=22) < failed_at
        assert failed_at <= datetime.fromisoformat(note["created_at"]) + timedelta(hours=24)

        admins = bank.intake.get("/emergency-notifications?state=failed", headers=bank.admin)
        assert [n["event_id"] for n in admins.json()] == [event_id]
        assert bank.intake.get("/emergency-notifications", headers=bank.key).status_code in (
            401,
            403,
            404,
        )
    finally:
        receiver.stop()


def test_a_replay_older_than_5_minutes_is_refused_by_the_documented_check(bank: Bank) -> None:
    receiver = Receiver("", bank.clock).start()
    try:
        bank.listen(receiver.url, ["payment_received"])
        receiver.secret = bank.secret
        bank.pay("T-1")
        bank.deliver()
        [first] = receiver.received
        assert first.verified
        verify, sent_at = documented_verify(), int(first.headers["webhook-timestamp"])
        assert verify(bank.secret, first.headers, first.body, now=sent_at + 299)
        assert not verify(bank.secret, first.headers, first.body, now=sent_at + 301)
        tampered = first.body.replace(b"10.00", b"99.00")
        assert not verify(bank.secret, first.headers, tampered, now=sent_at)

        bank.now += timedelta(minutes=6)  # someone replays the recorded request
        replayed = httpx.post(receiver.url, content=first.body, headers=first.headers)
        assert replayed.status_code == 401
    finally:
        receiver.stop()


def test_a_rotated_secret_stays_valid_for_the_grace_period(bank: Bank) -> None:
    old_side, new_side = Receiver("", bank.clock), Receiver("", bank.clock)
    try:
        old_side.start()
        bank.listen(old_side.url, ["payment_received"])
        old_side.secret = old = bank.secret
        rotated = bank.intake.post("/clients/ICBC-SH/emergency-secret", headers=bank.key)
        assert rotated.status_code == 201, rotated.text
        new_side.secret = new = rotated.json()["secret"]
        assert new != old and new.startswith("whsec_")

        bank.pay("T-1")
        bank.deliver()
        [during] = old_side.received
        assert during.verified and len(during.headers["webhook-signature"].split()) == 2
        verify = documented_verify()
        assert verify(new, during.headers, during.body, now=bank.clock())

        bank.now += timedelta(hours=24, seconds=1)  # the grace period is over
        new_side.start()
        bank.listen(new_side.url, ["payment_received"])
        bank.pay("T-2")
        bank.deliver()
        [after] = new_side.received
        assert after.verified and len(after.headers["webhook-signature"].split()) == 1
        assert not verify(old, after.headers, after.body, now=bank.clock())
    finally:
        old_side.stop()
        new_side.stop()


def test_the_bank_chooses_its_events_and_sees_only_its_own_channel(
    bank: Bank, intake: TestClient, admin: dict[str, str]
) -> None:
    bank.listen("https://alerts.icbc.example/collections", ["case_closed"])
    chosen = intake.put(
        bank.endpoint + "/topics", json={"topics": ["promise_broken"]}, headers=bank.key
    )
    assert chosen.status_code == 200 and chosen.json()["topics"] == ["promise_broken"]
    assert chosen.json()["secret"] is None, "the secret is shown only when it is made"
    bad = intake.put(bank.endpoint + "/topics", json={"topics": ["gossip"]}, headers=bank.key)
    assert bad.status_code == 422
    plain = {"url": "http://alerts.icbc.example/hook", "topics": []}
    refused = intake.put(bank.endpoint, json=plain, headers=admin)
    assert refused.status_code == 422 and "https" in refused.json()["detail"]
    assert intake.put(
        bank.endpoint, json=plain | {"url": "https://x.example"}, headers=bank.key
    ).status_code in (403, 404)

    other = register_bank(intake, admin, "BOC-BJ")
    assert intake.get(bank.endpoint, headers=other).status_code == 404
    assert intake.get(bank.endpoint + "/deliveries", headers=other).status_code == 404
    assert intake.post("/clients/ICBC-SH/emergency-secret", headers=other).status_code == 404


def test_incidents_the_bank_must_be_told_of_go_whatever_it_chose(bank: Bank) -> None:
    receiver = Receiver("", bank.clock).start()
    try:
        bank.listen(receiver.url, [])
        receiver.secret = bank.secret

        def incident(kind: str, clients: tuple[str, ...]) -> Any:
            payload = IncidentReported(
                incident_id=f"in-{kind}", kind=kind, what="台风", client_ids=clients,
                raised_by="admin-1", occurred_at=bank.now, raised_at=bank.now,
            )  # fmt: skip
            return new_event(payload, occurred_at=bank.now, case_id=None)

        told = incident("force_majeure", ("ICBC-SH",))
        runtime = bank.intake.app.state.runtime  # type: ignore[attr-defined]
        runtime.dispatch(
            [
                told,
                incident("field_emergency", ("ICBC-SH",)),  # not chosen
                incident("outage", ("BOC-BJ",)),  # another client's cases
            ]
        )
        bank.now = datetime.now(UTC)
        assert bank.deliver() == 1
        assert receiver.ids() == [str(told.event_id)]
        body = json.loads(receiver.received[0].body)
        assert (body["type"], body["data"]["kind"], body["case_id"]) == (
            "IncidentReported",
            "force_majeure",
            None,
        )
    finally:
        receiver.stop()
