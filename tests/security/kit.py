"""Staff tokens for tests: a real key pair in a temporary folder, real signed tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared.auth.keys import generate_key_pair
from shared.auth.principal import Principal, Role
from shared.auth.tokens import issue_token


class StaffKeys:
    def __init__(self, key_dir: Path) -> None:
        self.key_dir = key_dir
        self.private_key = generate_key_pair(key_dir)

    def token(self, principal: Principal, ttl: timedelta = timedelta(minutes=30)) -> str:
        return issue_token(self.private_key, principal, datetime.now(UTC), ttl)

    def headers(self, principal: Principal) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(principal)}"}


def staff(
    subject: str, role: Role, team_id: str | None = None, branch_id: str | None = None
) -> Principal:
    return Principal(subject=subject, kind="staff", role=role, team_id=team_id, branch_id=branch_id)
