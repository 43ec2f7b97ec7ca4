"""Authentication and authorization for every route of every service, in one place.

Every route declares who may call it with ``access(...)``, and every write also the scope
it is checked against (``Scope``: own, team, branch, all); the app factory refuses to start
if a route has no such declaration, so a route added later cannot be left open.
Object-level checks (a case, a client) answer 404 when the caller may not see the object,
so existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import Depends, FastAPI, Path, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

try:
    from fastapi.routing import iter_route_contexts as _iter_route_contexts
except ImportError:  # FastAPI before included routers were kept as one route
    _iter_route_contexts = None  # type: ignore[assignment]

from shared.auth.keys import PublicKeyRing
from shared.auth.policy import CaseScope, can_act_for_client, reach, within_reach
from shared.auth.principal import ALL_STAFF, Principal, Role, Scope
from shared.auth.tokens import InvalidToken, token_expiry, verify_token
from shared.auth.verified import VerifiedTokens
from shared.auth.visibility import case_scope
from shared.errors import NotFound, ProblemError

BankKeyResolver = Callable[[str], Principal | None]
RevokedCheck = Callable[[Principal], bool]
API_KEY_HEADER = "x-api-key"


class Unauthorized(ProblemError):
    def __init__(self, detail: str) -> None:
        super().__init__(401, detail, headers={"WWW-Authenticate": 'Bearer realm="staff"'})


class Authenticator:
    """Staff and banks present a Bearer token; banks may present their API key instead
    where a resolver is given (intake). A bank token whose API key was revoked is refused."""

    def __init__(
        self,
        ring: PublicKeyRing,
        bank_keys: BankKeyResolver | None = None,
        revoked: RevokedCheck | None = None,
    ) -> None:
        self.ring = ring
        self.bank_keys = bank_keys
        self.revoked = revoked
        self.verified = VerifiedTokens()

    def authenticate(self, request: Request) -> Principal:
        cached = _state_of(request).get("principal")
        if isinstance(cached, Principal):
            return cached
        principal = self._identify(request)
        request.state.principal = principal
        return principal

    async def authenticate_async(self, request: Request) -> Principal:
        """The same, on the event loop when it needs no database (a staff token: a signature
        check, usually remembered); an API key or a bank token's revocation is looked up
        in the thread pool."""
        cached = _state_of(request).get("principal")
        if isinstance(cached, Principal):
            return cached
        if request.headers.get(API_KEY_HEADER):
            return await run_in_threadpool(self.authenticate, request)
        principal = self._from_token(request)
        check = self.revoked
        if principal.is_bank and check is not None and await run_in_threadpool(check, principal):
            raise Unauthorized("the API key this token was issued for has been revoked")
        request.state.principal = principal
        return principal

    def _identify(self, request: Request) -> Principal:
        api_key = request.headers.get(API_KEY_HEADER)
        if api_key:
            if self.bank_keys is None:
                raise Unauthorized(
                    "API keys work on intake only: exchange yours at intake's "
                    "POST /auth/bank-token and send 'Authorization: Bearer <bank token>'"
                )
            principal = self.bank_keys(api_key)
            if principal is None:
                raise Unauthorized("unknown or revoked API key")
            return principal
        principal = self._from_token(request)
        if principal.is_bank and self.revoked is not None and self.revoked(principal):
            raise Unauthorized("the API key this token was issued for has been revoked")
        return principal

    def _from_token(self, request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            banks = " (or, for a bank, 'X-API-Key: <key>')" if self.bank_keys else ""
            raise Unauthorized(f"sign in: send 'Authorization: Bearer <token>'{banks}")
        token = token.strip()
        known = self.verified.get(token)
        if known is not None:
            return known
        try:
            principal, expires = verify_token(self.ring, token), token_expiry(token)
        except InvalidToken as exc:
            raise Unauthorized(f"invalid token: {exc}") from exc
        self.verified.put(token, principal, expires)
        return principal


def _state_of(request: Request) -> dict[str, Any]:
    """What ``request.state`` holds, as the dict behind it: a missing name is ``None``
    without the ``AttributeError`` that ``getattr(request.state, ...)`` raises and catches."""
    state: dict[str, Any] = request.scope.setdefault("state", {})
    return state


def _authenticator(request: Request) -> Authenticator:
    authenticator: Authenticator = request.app.state.runtime.authenticator
    return authenticator


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[Role]
    banks: bool = False
    public: bool = False
    scope: Scope | None = None


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def access(
    *roles: Role | frozenset[Role],
    banks: bool = False,
    public: bool = False,
    scope: Scope | None = None,
) -> Any:
    """Declare who may call a route: staff roles, banks (own data only), or anyone; and,
    for a write, the ``scope`` its object is checked against (own, team, branch; all for
    objects belonging to nobody in particular). Each caller reaches the narrower of that
    and their role's own reach; admins and HQ all (``policy.reach``)."""
    flat: set[Role] = set()
    for r in roles:
        flat |= set(r) if isinstance(r, frozenset) else {r}
    rule = AccessRule(frozenset(flat), banks=banks, public=public, scope=scope)

    async def guard(request: Request) -> Principal | None:
        if rule.public:
            return None
        principal = await _authenticator(request).authenticate_async(request)
        allowed = rule.banks if principal.is_bank else principal.role in rule.roles
        if not allowed:
            raise ProblemError(403, "your role may not use this operation")
        if rule.scope is not None or _state_of(request).get("reach") is None:
            request.state.reach = reach(principal, rule.scope)
        return principal

    guard.__access_rule__ = rule  # type: ignore[attr-defined]
    return Depends(guard)


def current_principal(request: Request) -> Principal:
    return _authenticator(request).authenticate(request)


def caller_reach(request: Request) -> Scope:
    """How far the caller reaches on this operation (set by its ``access`` guard)."""
    found = _state_of(request).get("reach")
    return found if isinstance(found, Scope) else reach(current_principal(request))


async def principal_of(request: Request) -> Principal:
    """`current_principal` as a dependency: on the event loop, no thread-pool hop."""
    return await _authenticator(request).authenticate_async(request)


def visible_case(request: Request, case_id: str) -> CaseScope:
    """The case named in the path, if it lies within the caller's reach on this operation
    (to read: their role's; to write: at most the operation's scope); 404 otherwise."""
    with request.app.state.runtime.db.reader() as session:
        return case_in_view(request, session, case_id)


def case_in_view(request: Request, session: Session, case_id: str) -> CaseScope:
    """`visible_case` inside a session the caller holds, so a route that reads the case
    next needs no second session."""
    principal = current_principal(request)
    request.state.audit_case_id = case_id[:36]
    visibility = request.app.state.runtime.parts.security.case_visibility
    scope = case_scope(session, visibility, case_id)
    if scope is None or not within_reach(principal, caller_reach(request), scope):
        raise NotFound("case")
    request.state.audit_client_id = scope.client_id
    return scope


CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


def client_in_scope(
    request: Request,
    client_id: Annotated[
        str, Path(pattern=CLIENT_ID_PATTERN, description="The client's code, e.g. ICBC-SH")
    ],
) -> str:
    """The client named in the path, if the caller is that client or back office; else 404."""
    principal = current_principal(request)
    request.state.audit_client_id = client_id[:64]
    if not can_act_for_client(principal, client_id):
        raise NotFound("client")
    return client_id


PrincipalDep = Annotated[Principal, Depends(principal_of)]
ReachDep = Annotated[Scope, Depends(caller_reach)]
VisibleCaseDep = Annotated[CaseScope, Depends(visible_case)]
ClientInScopeDep = Annotated[str, Depends(client_in_scope)]
PUBLIC = access(public=True)
ANY_STAFF = access(ALL_STAFF)


def access_rules_of(dependant: Dependant) -> list[AccessRule]:
    """Every ``access`` declaration a route depends on, outermost (router) first."""
    found = []
    for dep in dependant.dependencies:
        rule = getattr(dep.call, "__access_rule__", None)
        if rule is not None:
            found.append(rule)
        found.extend(access_rules_of(dep))
    return found


def access_rule_of(dependant: Dependant) -> AccessRule | None:
    rules = access_rules_of(dependant)
    return rules[0] if rules else None


def declared_scope(dependant: Dependant) -> Scope | None:
    """The scope a route's ``access`` declarations state (the innermost wins)."""
    scopes = [rule.scope for rule in access_rules_of(dependant) if rule.scope is not None]
    return scopes[-1] if scopes else None


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every API route the app serves, those of included routers too.

    Newer FastAPI keeps each included router as one entry of ``app.routes`` and reaches its
    routes through ``iter_route_contexts``; a context stands in for the route as served
    (prefix and router dependencies applied). Older versions list the routes flat.
    """
    if _iter_route_contexts is None:
        return [route for route in app.routes if isinstance(route, APIRoute)]
    return [
        cast(APIRoute, context)
        for context in _iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]


def assert_every_route_declares_access(app: FastAPI) -> None:
    """Refuse to build an app with a route that says nothing about who may call it."""
    missing = [
        f"{sorted(route.methods or ())} {route.path}"
        for route in api_routes(app)
        if access_rule_of(route.dependant) is None
    ]
    if missing:
        raise RuntimeError(f"routes without an access rule: {', '.join(missing)}")
    unscoped = [
        f"{sorted(route.methods or ())} {route.path}"
        for route in api_routes(app)
        if (route.methods or set()) & WRITES
        and (rule := access_rule_of(route.dependant)) is not None
        and not rule.public
        and declared_scope(route.dependant) is None
    ]
    if unscoped:
        raise RuntimeError(f"writes without a scope: {', '.join(unscoped)}")
