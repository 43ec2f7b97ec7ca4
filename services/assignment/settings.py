from __future__ import annotations

from datetime import time
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

DEV_ADMIN_PASSWORD = "change-me-admin"
DEV_BLACKLIST_KEY = "dev-blacklist-key"


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
    visit_quiet_from: time = Field(
        default=time(21, 0),
        description="Field visits are not planned from this time (the debtor's clock) ...",
    )
    visit_quiet_until: time = Field(
        default=time(8, 0),
        description="... until this time, unless a supervisor records a reason; the same "
        "hours as contact's rule profiles",
    )
    default_timezone: str = Field(
        default="Asia/Shanghai", description="The debtor's zone when their address names none"
    )
    bootstrap_admin_password: SecretStr | None = None
    blacklist_key: SecretStr | None = Field(
        default=None,
        description="Secret of the keyed hash (HMAC-SHA256) the blacklist keeps instead of ID "
        "numbers; changing it makes earlier entries unfindable",
    )
    blacklist_key_file: Path | None = Field(
        default=None,
        description="A file holding the blacklist's secret (a docker secret), instead of "
        "ASSIGNMENT_BLACKLIST_KEY",
    )

    @property
    def signing_key_path(self) -> Path:
        return self.auth_signing_key_file or self.key_dir / "signing-key.pem"

    def admin_password(self) -> str:
        """The first admin's password; production refuses a missing or default one."""
        return self._secret(
            self.bootstrap_admin_password, DEV_ADMIN_PASSWORD, "BOOTSTRAP_ADMIN_PASSWORD"
        )

    def blacklist_secret(self) -> bytes:
        """The blacklist's hashing secret; production refuses a missing or default one."""
        key = self.blacklist_key
        if key is None and self.blacklist_key_file is not None:
            key = SecretStr(self.blacklist_key_file.read_text(encoding="utf-8").strip())
        return self._secret(key, DEV_BLACKLIST_KEY, "BLACKLIST_KEY").encode()

    def _secret(self, value: SecretStr | None, default: str, name: str) -> str:
        given = value.get_secret_value() if value else ""
        if self.is_production and (not given or given == default):
            raise RuntimeError(f"production: set ASSIGNMENT_{name} to a non-default secret")
        return given or default
