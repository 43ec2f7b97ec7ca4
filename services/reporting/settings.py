from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_")

    service_name: str = "reporting"
    port: int = 8005
    rebuild_idle_seconds: float = 5.0  # "caught up": a poll brought nothing for this long
    rebuild_batch_size: int = 2000  # events per transaction while rebuilding
