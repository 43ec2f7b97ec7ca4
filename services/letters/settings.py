from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class LettersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LETTERS_")

    service_name: str = "letters"
    port: int = 8004
