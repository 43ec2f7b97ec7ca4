"""Routes for sign-in and staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from services.assignment.staff import service, store
from services.assignment.staff.schemas import Me, StaffCreate, StaffPublic, Token
from shared.auth.principal import EVERYTHING, Role, Scope
from shared.auth.tokens import issue_token
from shared.auth.web import ANY_STAFF, PUBLIC, PrincipalDep, access
from shared.errors import Problem, ProblemError
from shared.web.deps import ReaderDep, WorkDep
from shared.web.paging import After, Limit, Page

auth = APIRouter(prefix="/auth", tags=["sign-in"])
staff = APIRouter(prefix="/staff", tags=["staff"])


@auth.post(
    "/token",
    response_model=Token,
    summary="Sign in with username and password (OAuth2 password flow)",
    description="Returns a short-lived bearer token signed by this service. Every service "
    "verifies it with the public key; send it as `Authorization: Bearer <token>`.",
    dependencies=[PUBLIC],
    responses={401: {"model": Problem}},
)
def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, session: ReaderDep
) -> Token:
    principal = service.sign_in(session, form.username, form.password)
    if principal is None:
        raise ProblemError(
            401, "wrong username or password", headers={"WWW-Authenticate": "Bearer"}
        )
    runtime = request.app.state.runtime
    ttl = timedelta(minutes=runtime.settings.access_token_minutes)
    token = issue_token(request.app.state.signing_key, principal, runtime.clock(), ttl)
    return Token(access_token=token, expires_in=int(ttl.total_seconds()))


@auth.get("/me", response_model=Me, summary="Who the token says you are", dependencies=[ANY_STAFF])
def me(principal: PrincipalDep) -> Me:
    return Me(
        id=principal.subject,
        role=principal.role,
        team_id=principal.team_id,
        branch_id=principal.branch_id,
    )


@staff.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StaffPublic,
    summary="Add a member of staff (admins)",
    description="A new active phone collector also takes any cases waiting for one.",
    dependencies=[access(Role.ADMIN, scope=Scope.ALL)],
    responses={409: {"model": Problem}},
)
def add_staff(body: StaffCreate, uow: WorkDep) -> StaffPublic:
    profile = body.model_dump(
        exclude_unset=True, exclude={"username", "name", "role", "password", "team_id", "branch_id"}
    )
    member = service.add_staff(
        uow,
        username=body.username,
        name=body.name,
        role=body.role,
        password=body.password,
        team_id=body.team_id,
        branch_id=body.branch_id,
        **{k: v for k, v in profile.items() if v is not None},
    )
    return StaffPublic.of(member)


@staff.get(
    "",
    response_model=Page[StaffPublic],
    summary="List staff (admins and HQ), in the order they were added",
    description="Keyset pages: pass `next_cursor` as `after`.",
    dependencies=[access(EVERYTHING)],
)
def list_staff(session: ReaderDep, limit: Limit = 50, after: After = None) -> Page[StaffPublic]:
    members, cursor = store.page_staff(session, limit, after)
    return Page(items=[StaffPublic.of(m) for m in members], next_cursor=cursor)
