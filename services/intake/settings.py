from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_")

    service_name: str = "intake"
    port: int = 8001
    backup_dir: Path = Path("var/backup")
    max_file_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
