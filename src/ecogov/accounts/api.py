"""Accounts JSON API: who am I, and account management for admins."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, Field

from ecogov.accounts import service
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user
from ecogov.platform.params import IdField, RegionField
from ecogov.platform.scope import Principal, Role


class UserOut(BaseModel):
    """An account in API responses."""

    id: int
    username: str
    display_name: str
    role: Role
    region_code: str | None
    enterprise_id: int | None
    active: bool


class UserIn(BaseModel):
    """A new account."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=service.MIN_PASSWORD_LENGTH, max_length=256)
    role: Role
    display_name: str | None = None
    region_code: RegionField | None = None
    enterprise_id: IdField | None = None


class MeOut(BaseModel):
    """The calling principal."""

    username: str
    role: Role
    region_code: str | None
    enterprise_id: int | None


class UnlockOut(BaseModel):
    """The login limits lifted from an account."""

    username: str
    cleared: int


def router() -> APIRouter:
    """Routes under ``/api/v1``."""
    api = APIRouter(tags=["accounts"])

    @api.get("/me", response_model=MeOut)
    def me(principal: Principal = Depends(require_user)) -> Principal:
        """The logged-in user and scope."""
        return principal

    @api.get("/users", response_model=list[UserOut])
    def list_users(
        db: Database = Depends(get_database), principal: Principal = Depends(require_user)
    ) -> list[service.UserView]:
        """Accounts within the caller's scope."""
        return service.list_users(db, principal)

    @api.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
    def create_user(
        body: UserIn,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> service.UserView:
        """Create an account (admins)."""
        return service.create_user(db, principal, **body.model_dump())

    @api.post("/users/{username}/unlock", response_model=UnlockOut)
    def unlock(
        username: str = Path(min_length=1, max_length=64),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> UnlockOut:
        """Lift every login limit of an account (admins; audited)."""
        return UnlockOut(username=username, cleared=service.unlock(db, principal, username))

    return api
