"""Typed settings: one subclass per service, each with its own env prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Settings every service has. Subclasses set ``env_prefix`` (e.g. ``INTAKE_``)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    service_name: str = "service"
    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("var")
    database_url: str = ""
    database_busy_timeout_ms: int = Field(
        default=30_000,
        ge=100,
        description="How long a write waits for a lock another writer holds, then backs off",
    )
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    log_level: str = "INFO"
    log_json: bool = True

    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    relay_idle_seconds: float = Field(default=0.2, gt=0)
    relay_check_broker_seconds: float = Field(default=15.0, gt=0)
    outbox_retention_days: int = Field(
        default=7, ge=1, description="Published outbox rows kept to re-publish after a broker loss"
    )
    inbox_retention_days: int = Field(
        default=14, ge=1, description="Handled event ids kept; at least the topics' retention"
    )
    consumer_batch_size: int = Field(
        default=500, ge=1, le=10_000, description="Events applied per consumer transaction"
    )
    kafka_request_timeout_ms: int = Field(default=10_000, ge=1000)
    kafka_session_timeout_ms: int = Field(default=10_000, ge=1000)
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024)
    clock_offset_days: int = Field(
        default=0,
        ge=0,
        le=36_500,
        description="Tests only: the service's clock runs this many days ahead (not in "
        "production), e.g. to reach a retention date",
    )

    auth_key_dir: Path | None = Field(
        default=None, description="Folder of *.pub.pem token keys; defaults to data_dir/keys"
    )
    auth_token_url: str = Field(
        default="http://127.0.0.1:8002/auth/token",
        description="Where staff sign in (the assignment service); shown in the docs",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Browser origins allowed to call this service"
    )
    auth_public_keys: str = Field(
        default="", description="PEM public key(s) accepted for staff tokens, concatenated"
    )
    auth_bank_public_keys: str = Field(
        default="",
        description="PEM public key(s) of intake's bank-token key: they sign bank tokens only",
    )

    @model_validator(mode="after")
    def _default_database(self) -> ServiceSettings:
        if self.clock_offset_days and self.environment == "production":
            raise ValueError("CLOCK_OFFSET_DAYS is for tests: not in production")
        if not self.database_url:
            object.__setattr__(
                self, "database_url", f"sqlite:///{self.data_dir / (self.service_name + '.db')}"
            )
        return self

    @property
    def key_dir(self) -> Path:
        return self.auth_key_dir or self.data_dir / "keys"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
