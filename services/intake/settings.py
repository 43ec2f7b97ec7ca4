from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

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

    @property
    def archive_dirs(self) -> tuple[Path, Path]:
        return self.data_dir / "archive", self.backup_dir or self.data_dir / "backup"
