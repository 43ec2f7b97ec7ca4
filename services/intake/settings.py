from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.auth.keys import BANK_SIGNING_KEY_FILE
from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_")

    service_name: str = "intake"
    port: int = 8001
    backup_dir: Path | None = Field(
        default=None, description="Second copy of every raw file; defaults to data_dir/backup"
    )
    max_file_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    sync_max_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=0,
        description="Case files up to this size import within the request; larger ones in "
        "the background (202)",
    )

    bank_signing_key_file: Path | None = Field(
        default=None,
        description="Ed25519 private key for bank tokens; key_dir/bank-signing-key.pem. Its "
        "public half must reach every service as bank-<kid>.pub.pem (a bank key)",
    )
    bank_token_minutes: int = Field(default=15, ge=1, le=60)

    emergency_delivery_seconds: float = Field(
        default=5.0, gt=0, description="How often the emergency channel's outbox is delivered"
    )
    emergency_timeout_seconds: float = Field(
        default=10.0, gt=0, description="How long a bank's endpoint has to answer"
    )
    emergency_secret_grace_hours: int = Field(
        default=24, ge=0, le=24 * 30, description="How long a rotated secret stays valid"
    )

    @property
    def bank_signing_key_path(self) -> Path:
        return self.bank_signing_key_file or self.key_dir / BANK_SIGNING_KEY_FILE

    @property
    def archive_dirs(self) -> tuple[Path, Path]:
        return self.data_dir / "archive", self.backup_dir or self.data_dir / "backup"
