from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

DEV_ADMIN_PASSWORD = "change-me-admin"


class AssignmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ASSIGNMENT_")

    service_name: str = "assignment"
    port: int = 8002
    auth_signing_key_file: Path | None = Field(
        default=None, description="Ed25519 private key for staff tokens; key_dir/signing-key.pem"
    )
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    bootstrap_admin_username: str = "admin"
    cors_origins: list[str] = Field(
        default_factory=lambda: [
            f"http://{h}:{p}" for h in ("127.0.0.1", "localhost") for p in range(8001, 8006)
        ],
        description="Docs pages of the other services sign in here from the browser",
    )
    bootstrap_admin_password: SecretStr | None = None

    @property
    def signing_key_path(self) -> Path:
        return self.auth_signing_key_file or self.key_dir / "signing-key.pem"

    def admin_password(self) -> str:
        """The first admin's password; production refuses a missing or default one."""
        given = (
            self.bootstrap_admin_password.get_secret_value()
            if self.bootstrap_admin_password
            else ""
        )
        if self.is_production and (not given or given == DEV_ADMIN_PASSWORD):
            raise RuntimeError(
                "production: set ASSIGNMENT_BOOTSTRAP_ADMIN_PASSWORD to a non-default secret"
            )
        return given or DEV_ADMIN_PASSWORD
