from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class LettersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LETTERS_")

    service_name: str = "letters"
    port: int = 8004
    backup_dir: Path | None = Field(
        default=None,
        description="Second copy of every letter and proof; defaults to data_dir/backup",
    )
    due_check_minutes: float = Field(
        default=60, gt=0, description="How often the day-7 overdue notice rule runs"
    )
    overdue_notice_day: int = Field(
        default=7, ge=1, description="Days past due at which the overdue collection notice goes out"
    )
    default_daily_penalty_rate: Decimal = Field(
        default=Decimal("0.0004"), ge=0, description="Daily penalty rate when a letter gives none"
    )
    limitation_warning_days: int = Field(default=90, ge=1)
    font_cache_dir: Path = Field(
        default=Path.home() / ".cache" / "collections-platform" / "fonts",
        description="Where the quick-to-embed cut of the letters' font is made once per machine",
    )
    render_threads: int = Field(
        default=2, ge=1, le=16, description="Letters rendered at once in a batch"
    )
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    batch_max_cases: int = Field(default=2000, ge=1)

    @property
    def store_dirs(self) -> tuple[Path, Path]:
        return self.data_dir / "letters", self.backup_dir or self.data_dir / "backup"
