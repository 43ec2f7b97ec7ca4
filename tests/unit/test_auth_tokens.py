"""Staff tokens: signed, expiring, rotatable; anything else is refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from shared.auth.keys import PublicKeyRing, generate_key_pair, public_pem
from shared.auth.passwords import hash_password, verify_password
from shared.auth.principal import Principal, Role
from shared.auth.tokens import InvalidToken, issue_token, verify_token

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
LEAD = Principal(subject="u-7", kind="staff", role=Role.TEAM_LEAD, team_id="t-1", branch_id="b-1")


def test_a_token_carries_role_team_and_branch(tmp_path: Path) -> None:
    key = generate_key_pair(tmp_path)
    token = issue_token(key, LEAD, datetime.now(UTC), timedelta(minutes=5))
    assert verify_token(PublicKeyRing(tmp_path), token) == LEAD


def test_an_expired_token_is_refused(tmp_path: Path) -> None:
    key = generate_key_pair(tmp_path)
    token = issue_token(key, LEAD, NOW, timedelta(minutes=5))
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(PublicKeyRing(tmp_path), token)


def test_a_token_from_a_foreign_key_is_refused(tmp_path: Path) -> None:
    foreign = generate_key_pair(tmp_path / "elsewhere")
    generate_key_pair(tmp_path / "ours")
    token = issue_token(foreign, LEAD, datetime.now(UTC), timedelta(minutes=5))
    with pytest.raises(InvalidToken, match="unknown key"):
        verify_token(PublicKeyRing(tmp_path / "ours"), token)


def test_a_tampered_token_is_refused(tmp_path: Path) -> None:
    key = generate_key_pair(tmp_path)
    header, payload, signature = issue_token(
        key, LEAD, datetime.now(UTC), timedelta(minutes=5)
    ).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken):
        verify_token(PublicKeyRing(tmp_path), f"{header}.{forged}.{signature}")


def test_an_unsigned_token_is_refused(tmp_path: Path) -> None:
    generate_key_pair(tmp_path)
    unsigned = jwt.encode({"sub": "x", "role": "admin"}, key=None, algorithm="none")
    with pytest.raises(InvalidToken):
        verify_token(PublicKeyRing(tmp_path), unsigned)


def test_rotation_keeps_old_tokens_valid_until_they_expire(tmp_path: Path) -> None:
    ring = PublicKeyRing(tmp_path, reload_every=0)
    old = generate_key_pair(tmp_path)
    old_token = issue_token(old, LEAD, datetime.now(UTC), timedelta(minutes=5))
    new = generate_key_pair(tmp_path)
    new_token = issue_token(new, LEAD, datetime.now(UTC), timedelta(minutes=5))
    assert verify_token(ring, old_token) == verify_token(ring, new_token) == LEAD


def test_public_keys_can_come_from_settings_text(tmp_path: Path) -> None:
    key = generate_key_pair(tmp_path / "signer")
    ring = PublicKeyRing(None, public_pem(key.public_key()).decode())
    token = issue_token(key, LEAD, datetime.now(UTC), timedelta(minutes=5))
    assert verify_token(ring, token).subject == "u-7"


def test_passwords_are_salted_and_verified() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and "correct horse" not in first
    assert verify_password("correct horse", first)
    assert not verify_password("wrong horse", first)
    assert not verify_password("correct horse", "garbage")


def test_a_bank_token_carries_its_client_and_no_role(tmp_path: Path) -> None:
    key = generate_key_pair(tmp_path)
    bank = Principal(subject="key-3", kind="bank", client_id="client-9")
    token = issue_token(key, bank, datetime.now(UTC), timedelta(minutes=5))
    principal = verify_token(PublicKeyRing(tmp_path), token)
    assert principal == bank
    assert principal.is_bank and principal.role is None


def test_a_bank_token_without_a_client_is_refused(tmp_path: Path) -> None:
    key = generate_key_pair(tmp_path)
    token = issue_token(
        key, Principal(subject="key-3", kind="bank"), datetime.now(UTC), timedelta(minutes=5)
    )
    with pytest.raises(InvalidToken, match="without its client"):
        verify_token(PublicKeyRing(tmp_path), token)


def test_a_bank_key_signs_bank_tokens_but_never_a_staff_role(tmp_path: Path) -> None:
    generate_key_pair(tmp_path)
    bank_key = generate_key_pair(tmp_path, bank=True)
    assert (tmp_path / "bank-signing-key.pem").exists()
    ring = PublicKeyRing(tmp_path)
    bank = Principal(subject="apikey:k-1", kind="bank", client_id="client-9")
    now = datetime.now(UTC)
    assert verify_token(ring, issue_token(bank_key, bank, now, timedelta(minutes=5))) == bank
    admin = Principal(subject="u-1", kind="staff", role=Role.ADMIN)
    forged = issue_token(bank_key, admin, now, timedelta(minutes=5))
    with pytest.raises(InvalidToken, match="bank key cannot sign a staff token"):
        verify_token(ring, forged)


def test_a_bank_key_from_settings_text_is_a_bank_key_too(tmp_path: Path) -> None:
    bank_key = generate_key_pair(tmp_path / "intake", bank=True)
    text = public_pem(bank_key.public_key()).decode()
    ring = PublicKeyRing(None, text, bank_pem_text=text)
    forged = issue_token(bank_key, LEAD, datetime.now(UTC), timedelta(minutes=5))
    with pytest.raises(InvalidToken, match="bank key"):
        verify_token(ring, forged)


def test_a_key_added_just_after_the_folder_was_read_is_found_at_once(tmp_path: Path) -> None:
    """Services start together: one may read the shared key folder a moment before the
    signing service writes its key; the first token must not wait for the next re-read."""
    (tmp_path / "bank-x.pub.pem").write_bytes(
        public_pem(generate_key_pair(tmp_path / "b").public_key())
    )
    ring = PublicKeyRing(tmp_path, reload_every=3600)
    assert ring.known()
    staff_key = generate_key_pair(tmp_path)
    token = issue_token(staff_key, LEAD, datetime.now(UTC), timedelta(minutes=5))
    assert verify_token(ring, token) == LEAD
