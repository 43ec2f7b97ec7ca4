from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ContactSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CONTACT_")

    service_name: str = "contact"
    port: int = 8003
