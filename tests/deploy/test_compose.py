"""docker-compose.yml, checked without a Docker engine: it parses, it sets only variables
the services read, it keeps every file store on named volumes, it has no development
secrets, and the orchestrator waits for readiness."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic_settings import BaseSettings

from services.assignment.settings import AssignmentSettings
from services.contact.settings import ContactSettings
from services.intake.settings import IntakeSettings
from services.letters.settings import LettersSettings
from services.reporting.settings import ReportingSettings
from shared.web.desk import desk_policy

ROOT = Path(__file__).resolve().parents[2]
SETTINGS: dict[str, type[BaseSettings]] = {
    "intake": IntakeSettings,
    "assignment": AssignmentSettings,
    "contact": ContactSettings,
    "letters": LettersSettings,
    "reporting": ReportingSettings,
}
IMAGE_VARIABLES = {"SERVICE", "PORT"}  # read by deploy/Dockerfile's command
SUBSTITUTION = re.compile(r"\$\{([A-Z0-9_]+)(:?[-?+])?([^}]*)\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_it_parses_into_the_platform_and_its_two_stores(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {*SETTINGS, "kafka", "postgres"}


def test_every_variable_a_service_is_given_is_one_it_reads(compose: dict[str, Any]) -> None:
    for name, settings in SETTINGS.items():
        prefix = settings.model_config["env_prefix"]
        fields = set(settings.model_fields)
        for variable in _environment(compose["services"][name]):
            if variable in IMAGE_VARIABLES:
                continue
            assert variable.startswith(prefix), f"{name}: {variable} is not {prefix}…"
            field = variable.removeprefix(prefix).lower()
            assert field in fields, f"{name}: {variable} is read by no setting"


def test_the_database_passwords_postgres_is_given_are_the_ones_its_init_script_reads(
    compose: dict[str, Any],
) -> None:
    script = (ROOT / "deploy/postgres/init-databases.sh").read_text(encoding="utf-8")
    for variable in _environment(compose["services"]["postgres"]):
        if variable.endswith("_DB_PASSWORD"):
            assert variable.removesuffix("_DB_PASSWORD").lower() in script.split("SERVICES=")[1]


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> named volume (bind mounts left out)."""
    found = {}
    for entry in service.get("volumes", []):
        source, target = entry.split(":")[:2]
        if not source.startswith((".", "/")):
            found[target] = source
    return found


def test_every_file_store_and_its_copy_are_on_two_named_volumes(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    for name, settings in SETTINGS.items():
        if "backup_dir" not in settings.model_fields:
            continue  # keeps no files of its own
        prefix = settings.model_config["env_prefix"]
        service = compose["services"][name]
        env, mounts = _environment(service), _mounts(service)
        data, backup = env.get(f"{prefix}DATA_DIR"), env.get(f"{prefix}BACKUP_DIR")
        assert data and backup, f"{name} writes files: set {prefix}DATA_DIR and BACKUP_DIR"
        assert data in mounts and backup in mounts, f"{name}: its files are not on volumes"
        assert mounts[data] != mounts[backup], f"{name}: the copy shares the primary's volume"
        assert {mounts[data], mounts[backup]} <= declared
    assert {"kafka-data", "postgres-data"} <= declared


def test_no_secret_falls_back_to_a_development_default(compose: dict[str, Any]) -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for variable, operator, _ in SUBSTITUTION.findall(text):
        if "PASSWORD" in variable or "KEY" in variable or variable == "KAFKA_CLUSTER_ID":
            assert operator == ":?", f"${{{variable}}} must be required (:?), not defaulted"
    for name in SETTINGS:
        env = _environment(compose["services"][name])
        assert not any("dev-" in v for v in env.values()), f"{name} has a development value"
        assert env[f"{name.upper()}_ENVIRONMENT"] == "production"


def test_secrets_reach_the_services_as_files(compose: dict[str, Any]) -> None:
    assignment = compose["services"]["assignment"]
    env = _environment(assignment)
    assert "ASSIGNMENT_BLACKLIST_KEY" not in env
    assert env["ASSIGNMENT_BLACKLIST_KEY_FILE"] == "/run/secrets/blacklist-key"
    assert {"signing-key", "blacklist-key"} <= set(assignment["secrets"])
    assert "bank-signing-key" in compose["services"]["intake"]["secrets"]
    assert set(compose["secrets"]) == {"signing-key", "bank-signing-key", "blacklist-key"}


def test_the_orchestrator_waits_for_readiness(compose: dict[str, Any]) -> None:
    for name in SETTINGS:
        check = " ".join(compose["services"][name]["healthcheck"]["test"])
        assert "/ready" in check, f"{name}'s health check does not ask /ready"
    dockerfile = (ROOT / "deploy/Dockerfile").read_text(encoding="utf-8")
    assert "/ready" in dockerfile.split("HEALTHCHECK", 1)[1]


def test_no_key_or_secret_is_copied_into_the_image() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "deploy/keys" in ignored
    assert ".env" in ignored


PUBLIC = ("intake", "assignment", "contact", "letters", "reporting")


def _resolved(value: str, given: dict[str, str]) -> str:
    """A compose value with its ``${VAR:-default}`` substituted as compose would."""
    return SUBSTITUTION.sub(lambda m: given.get(m.group(1)) or m.group(3), value)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc and parts.path in ("", "/"), url
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize(
    "given",
    [
        {},
        {f"PUBLIC_{name.upper()}_URL": f"https://{name}.collect.example.cn" for name in PUBLIC},
    ],
    ids=["defaults", "public-origins"],
)
def test_the_desk_reaches_every_service_and_every_service_lets_the_desk_in(
    compose: dict[str, Any], given: dict[str, str]
) -> None:
    env = {
        name: {k: _resolved(v, given) for k, v in _environment(compose["services"][name]).items()}
        for name in SETTINGS
    }
    desk_urls = json.loads(env["assignment"]["ASSIGNMENT_DESK_URLS"])
    assert set(desk_urls) == set(SETTINGS)
    desk = _origin(desk_urls["assignment"])
    token_url = f"{desk}/auth/token"
    for name in SETTINGS:
        expected = given.get(f"PUBLIC_{name.upper()}_URL")
        if expected:
            assert desk_urls[name] == expected
        else:  # the default is the port compose publishes
            published = compose["services"][name]["ports"][0].split(":")[0]
            assert desk_urls[name] == f"http://localhost:{published}"
        prefix = name.upper()
        assert env[name][f"{prefix}_AUTH_TOKEN_URL"] == token_url
        origins = json.loads(env[name][f"{prefix}_CORS_ORIGINS"])
        assert desk in origins, f"{name} does not let the desk's origin in"
    docs_pages = {_origin(url) for url in desk_urls.values()}
    assert set(json.loads(env["assignment"]["ASSIGNMENT_CORS_ORIGINS"])) == docs_pages
    connect = desk_policy(desk_urls, token_url).split("connect-src ")[1].split()
    assert set(connect) == {"'self'", *docs_pages}
    if given:
        assert "localhost" not in json.dumps(env)
