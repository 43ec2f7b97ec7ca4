"""In production the services refuse to start with a default or missing secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.make_keys import make_keys
from services.assignment.main import create_app as assignment_app
from services.assignment.settings import DEV_ADMIN_PASSWORD, DEV_BLACKLIST_KEY, AssignmentSettings
from services.contact.main import create_app as contact_app
from services.contact.settings import ContactSettings
from services.intake.main import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.reporting.main import create_app as reporting_app
from services.reporting.settings import ReportingSettings


def _assignment(tmp_path: Path, **overrides: object) -> AssignmentSettings:
    values: dict[str, object] = {
        "environment": "production",
        "database_url": f"sqlite:///{tmp_path / 'a.db'}",
        "data_dir": tmp_path,
        "auth_key_dir": tmp_path / "keys" / "public",
        "auth_signing_key_file": tmp_path / "keys" / "signing-key.pem",
        "bootstrap_admin_password": "a-real-secret-for-the-first-admin",
        "blacklist_key": "a-real-secret-for-the-blacklist",
    }
    values.update(overrides)
    return AssignmentSettings(**values)


def test_assignment_starts_in_production_with_real_secrets(tmp_path: Path) -> None:
    make_keys(tmp_path / "keys")
    assert assignment_app(_assignment(tmp_path)).title == "Assignment service"


@pytest.mark.parametrize("secret", [None, "", DEV_BLACKLIST_KEY])
def test_assignment_refuses_a_missing_or_default_blacklist_key(
    tmp_path: Path, secret: str | None
) -> None:
    make_keys(tmp_path / "keys")
    with pytest.raises(RuntimeError, match="BLACKLIST_KEY"):
        assignment_app(_assignment(tmp_path, blacklist_key=secret))


def test_assignment_refuses_a_missing_signing_key(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="signing key"):
        assignment_app(_assignment(tmp_path))
    assert not (tmp_path / "keys" / "signing-key.pem").exists(), "must not invent a key"


@pytest.mark.parametrize("password", [None, "", DEV_ADMIN_PASSWORD])
def test_assignment_refuses_a_missing_or_default_admin_password(
    tmp_path: Path, password: str | None
) -> None:
    make_keys(tmp_path / "keys")
    with pytest.raises(RuntimeError, match="BOOTSTRAP_ADMIN_PASSWORD"):
        assignment_app(_assignment(tmp_path, bootstrap_admin_password=password))


@pytest.mark.parametrize(
    ("settings_cls", "factory"),
    [(ContactSettings, contact_app), (ReportingSettings, reporting_app)],
)
def test_services_refuse_to_start_without_a_token_key(
    tmp_path: Path, settings_cls: type, factory: object
) -> None:
    settings = settings_cls(
        environment="production", data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'x.db'}"
    )
    with pytest.raises(RuntimeError, match="public key"):
        factory(settings)  # type: ignore[operator]
    make_keys(tmp_path / "keys")
    ready = settings_cls(
        environment="production",
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        auth_key_dir=tmp_path / "keys" / "public",
    )
    assert factory(ready).title  # type: ignore[operator]


def test_development_makes_its_own_key_and_admin(tmp_path: Path) -> None:
    settings = AssignmentSettings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'a.db'}")
    assignment_app(settings)
    assert (tmp_path / "keys" / "signing-key.pem").exists()
    assert settings.admin_password() == DEV_ADMIN_PASSWORD


def _intake(tmp_path: Path, **overrides: object) -> IntakeSettings:
    values: dict[str, object] = {
        "environment": "production",
        "database_url": f"sqlite:///{tmp_path / 'i.db'}",
        "data_dir": tmp_path,
        "auth_key_dir": tmp_path / "keys" / "public",
        "bank_signing_key_file": tmp_path / "keys" / "bank-signing-key.pem",
    }
    values.update(overrides)
    return IntakeSettings(**values)


def test_intake_starts_in_production_with_its_bank_key_published(tmp_path: Path) -> None:
    make_keys(tmp_path / "keys")
    assert intake_app(_intake(tmp_path)).title == "Intake service"


def test_intake_refuses_a_missing_bank_key(tmp_path: Path) -> None:
    make_keys(tmp_path / "keys")
    (tmp_path / "keys" / "bank-signing-key.pem").unlink()
    with pytest.raises(RuntimeError, match="bank-token signing key"):
        intake_app(_intake(tmp_path))
    assert not (tmp_path / "keys" / "bank-signing-key.pem").exists(), "must not invent a key"


def test_intake_refuses_a_bank_key_nobody_can_verify(tmp_path: Path) -> None:
    make_keys(tmp_path / "keys")
    for public in (tmp_path / "keys" / "public").glob("bank-*.pub.pem"):
        public.unlink()
    with pytest.raises(RuntimeError, match="not among the public keys"):
        intake_app(_intake(tmp_path))


def test_intake_refuses_a_bank_key_published_as_a_staff_key(tmp_path: Path) -> None:
    make_keys(tmp_path / "keys")
    for public in (tmp_path / "keys" / "public").glob("bank-*.pub.pem"):
        public.rename(public.with_name(public.name.removeprefix("bank-")))
    with pytest.raises(RuntimeError, match="signs bank tokens only"):
        intake_app(_intake(tmp_path))


def test_assignment_never_holds_the_bank_key(tmp_path: Path) -> None:
    """make keys gives each signer its own key: the staff key is not the bank key."""
    make_keys(tmp_path / "keys")
    staff_key = (tmp_path / "keys" / "signing-key.pem").read_bytes()
    assert staff_key != (tmp_path / "keys" / "bank-signing-key.pem").read_bytes()
    assert len(list((tmp_path / "keys" / "public").glob("bank-*.pub.pem"))) == 1
    assert len(list((tmp_path / "keys" / "public").glob("*.pub.pem"))) == 2
