from __future__ import annotations

from datetime import time
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from services.contact.rules.profiles import PROFILES
from shared.settings import ServiceSettings


class ContactSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CONTACT_")

    service_name: str = "contact"
    port: int = 8003

    default_timezone: str = Field(
        default="Asia/Shanghai", description="The debtor's zone when their address names none"
    )
    default_contact_profile: str = Field(default="cn_default")
    contact_profiles: dict[str, str] = Field(
        default_factory=dict,
        description='Profile per client or client/product, e.g. {"BANK-US": "us_regulation_f"}',
    )
    workday_starts: time = Field(
        default=time(9, 0), description="When debtors' working day starts, for suggested calls"
    )
    late_entry_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="A call stated more than this before it is logged is a late entry: it "
        "needs late_entry_reason and is flagged for the supervisor",
    )
    clock_tolerance_seconds: int = Field(
        default=300,
        ge=0,
        le=3600,
        description="How far ahead of the service's clock a stated time may lie (phone clocks)",
    )
    promise_grace_days: int = Field(
        default=1, ge=0, le=30, description="Days after a due date a payment still counts"
    )
    due_check_minutes: float = Field(
        default=60, gt=0, description="How often the promise due check runs"
    )

    recording_max_bytes: int = Field(
        default=100 * 1024 * 1024, gt=0, description="Largest call or visit recording accepted"
    )
    backup_dir: Path | None = Field(
        default=None, description="Second copy of every recording; defaults to data_dir/backup"
    )

    recording_backup_dir: Path | None = Field(
        default=None,
        description="Where the custodians' backup of recordings goes (HQ's copy); "
        "defaults to data_dir/hq-backup",
    )
    recording_backup_minutes: float = Field(
        default=24 * 60,
        ge=0,
        description="How often each branch with a custodian has its recordings backed up, "
        "in the custodian's name (0: only by hand)",
    )

    @property
    def recording_dirs(self) -> tuple[Path, Path]:
        return self.data_dir / "recordings", self.backup_dir or self.data_dir / "backup"

    @property
    def recording_backup_target(self) -> Path:
        return (self.recording_backup_dir or self.data_dir / "hq-backup") / "recordings"

    @field_validator("default_contact_profile")
    @classmethod
    def _known_profile(cls, name: str) -> str:
        if name not in PROFILES:
            raise ValueError(f"unknown contact profile {name!r}; known: {sorted(PROFILES)}")
        return name

    @field_validator("contact_profiles")
    @classmethod
    def _known_profiles(cls, table: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(table.values()) - set(PROFILES))
        if unknown:
            raise ValueError(f"unknown contact profiles {unknown}; known: {sorted(PROFILES)}")
        return table
