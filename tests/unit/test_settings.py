"""Each service reads only its own environment variables.

The five services may share one environment (the local runner, one container host), so
a prefix mix-up would point a service at another's port or, worse, another's database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from services.assignment.settings import AssignmentSettings
from services.contact.settings import ContactSettings
from services.intake.settings import IntakeSettings
from services.letters.settings import LettersSettings
from services.reporting.settings import ReportingSettings
from shared.db import Database
from shared.settings import ServiceSettings

SERVICES: list[tuple[type[ServiceSettings], str, str, int]] = [
    (IntakeSettings, "INTAKE_", "intake", 8001),
    (AssignmentSettings, "ASSIGNMENT_", "assignment", 8002),
    (ContactSettings, "CONTACT_", "contact", 8003),
    (LettersSettings, "LETTERS_", "letters", 8004),
    (ReportingSettings, "REPORTING_", "reporting", 8005),
]
PREFIXES = [prefix for _, prefix, _, _ in SERVICES]
IDS = [name for _, _, name, _ in SERVICES]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from no service settings in the environment, whatever the shell has."""
    for key in list(os.environ):
        if key.startswith(tuple(PREFIXES)):
            monkeypatch.delenv(key)


@pytest.mark.parametrize(("cls", "prefix", "name", "port"), SERVICES, ids=IDS)
def test_reads_its_own_prefix(
    monkeypatch: pytest.MonkeyPatch, cls: type[ServiceSettings], prefix: str, name: str, port: int
) -> None:
    monkeypatch.setenv(f"{prefix}PORT", "9123")
    monkeypatch.setenv(f"{prefix}LOG_LEVEL", "DEBUG")
    monkeypatch.setenv(f"{prefix}DATABASE_URL", f"postgresql+psycopg://u@db/{name}")
    settings = cls()
    assert settings.port == 9123
    assert settings.log_level == "DEBUG"
    assert settings.database_url == f"postgresql+psycopg://u@db/{name}"
    assert not settings.is_sqlite


@pytest.mark.parametrize(("cls", "prefix", "name", "port"), SERVICES, ids=IDS)
def test_ignores_other_services_and_unprefixed_variables(
    monkeypatch: pytest.MonkeyPatch, cls: type[ServiceSettings], prefix: str, name: str, port: int
) -> None:
    for n, other in enumerate(p for p in PREFIXES if p != prefix):
        monkeypatch.setenv(f"{other}PORT", str(9200 + n))
        monkeypatch.setenv(f"{other}DATABASE_URL", "postgresql+psycopg://u@db/not-mine")
        monkeypatch.setenv(f"{other}SERVICE_NAME", "not-mine")
    monkeypatch.setenv("PORT", "9999")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db/unprefixed")
    settings = cls()
    assert settings.port == port
    assert settings.service_name == name
    assert settings.is_sqlite


def test_default_ports_are_8001_to_8005_in_service_order() -> None:
    assert [cls().port for cls, _, _, _ in SERVICES] == [8001, 8002, 8003, 8004, 8005]


@pytest.mark.parametrize(("cls", "prefix", "name", "port"), SERVICES, ids=IDS)
def test_default_database_is_a_sqlite_file_named_after_the_service(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    cls: type[ServiceSettings],
    prefix: str,
    name: str,
    port: int,
) -> None:
    data_dir = tmp_path / "nested" / "data"
    monkeypatch.setenv(f"{prefix}DATA_DIR", str(data_dir))
    settings = cls()
    url = make_url(settings.database_url)
    assert url.get_backend_name() == "sqlite"
    assert Path(url.database or "") == data_dir / f"{name}.db"
    db = Database(settings.database_url)
    try:
        assert db.ping()
    finally:
        db.dispose()
    assert (data_dir / f"{name}.db").is_file()


@pytest.mark.parametrize(("cls", "prefix", "name", "port"), SERVICES, ids=IDS)
def test_default_data_dir_is_var(
    cls: type[ServiceSettings], prefix: str, name: str, port: int
) -> None:
    assert Path(make_url(cls().database_url).database or "") == Path("var") / f"{name}.db"


def test_the_five_default_databases_are_distinct() -> None:
    assert len({cls().database_url for cls, _, _, _ in SERVICES}) == 5


def test_invalid_value_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_PORT", "not-a-port")
    with pytest.raises(ValidationError):
        IntakeSettings()


def test_intake_backup_dir_defaults_under_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path))
    assert IntakeSettings().archive_dirs == (tmp_path / "archive", tmp_path / "backup")
    monkeypatch.setenv("INTAKE_BACKUP_DIR", str(tmp_path / "offsite"))
    assert IntakeSettings().archive_dirs == (tmp_path / "archive", tmp_path / "offsite")
