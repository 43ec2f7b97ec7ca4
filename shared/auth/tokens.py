"""Access tokens: short-lived signed JWTs (EdDSA) carrying a staff member's role and scope,
or a bank's client id (``kind: bank``)."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth.keys import PublicKeyRing, key_id
from shared.auth.principal import Principal, Role

ISSUER = "collections-platform"
AUDIENCE = "collections-platform-staff"


class InvalidToken(Exception):
    pass


def issue_token(
    private_key: Ed25519PrivateKey, principal: Principal, now: datetime, ttl: timedelta
) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": principal.subject,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()) - 5,
        "exp": int((now + ttl).timestamp()),
        "kind": principal.kind,
        "role": principal.role.value if principal.role else None,
        "team": principal.team_id,
        "branch": principal.branch_id,
        "client": principal.client_id,
    }
    return jwt.encode(
        claims, private_key, algorithm="EdDSA", headers={"kid": key_id(private_key.public_key())}
    )


def verify_token(ring: PublicKeyRing, token: str, now: datetime | None = None) -> Principal:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidToken("malformed token") from exc
    if header.get("alg") != "EdDSA":
        raise InvalidToken("unexpected signing algorithm")
    kid = str(header.get("kid", ""))
    key = ring.get(kid)
    if key is None:
        raise InvalidToken("token signed with an unknown key")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=["EdDSA"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "sub", "iat"]},
        )
        if claims.get("kind") == "bank":
            client = claims.get("client")
            if not isinstance(client, str) or not client:
                raise ValueError("a bank token without its client")
            return Principal(subject=str(claims["sub"]), kind="bank", client_id=client)
        if ring.signs_banks_only(kid):
            raise ValueError("a bank key cannot sign a staff token")
        role = Role(claims["role"])
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise InvalidToken(str(exc) or "invalid token") from exc
    return Principal(
        subject=str(claims["sub"]),
        kind="staff",
        role=role,
        team_id=claims.get("team"),
        branch_id=claims.get("branch"),
    )


def token_expiry(token: str) -> float:
    """The ``exp`` claim of a token already verified (seconds since the epoch)."""
    return float(jwt.decode(token, options={"verify_signature": False})["exp"])
