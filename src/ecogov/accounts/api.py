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


class UserEdit(BaseModel):
    """An account's new display name, role, region and enterprise (all replaced)."""

    display_name: str | None = Field(None, max_length=128)
    role: Role
    region_code: RegionField | None = None
    enterprise_id: IdField | None = None


class PasswordIn(BaseModel):
    """A new password set by an admin."""

    password: str = Field(min_length=service.MIN_PASSWORD_LENGTH, max_length=256)


class PasswordOut(BaseModel):
    """The outcome of a password reset."""

    username: str
    sessions_ended: int


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


Username = Path(min_length=1, max_length=64, description="Login name")


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
        """Create an account (admins; audited). A county officer needs a county code, a city
        officer a city code, a province officer a province code, an enterprise user an
        enterprise of the register, an admin neither."""
        return service.create_user(db, principal, **body.model_dump(), verify_enterprise=True)

    @api.get("/users/{username}", response_model=UserOut)
    def get_user(
        username: str = Username,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> service.UserView:
        """One account (admins)."""
        return service.get_user(db, principal, username)

    @api.put("/users/{username}", response_model=UserOut)
    def update_user(
        body: UserEdit,
        username: str = Username,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> service.UserView:
        """Replace an account's display name, role, region and enterprise (admins; audited)."""
        return service.update_user(db, principal, username, **body.model_dump())

    @api.post("/users/{username}/disable", response_model=UserOut)
    def disable(
        username: str = Username,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> service.UserView:
        """Disable an account and end its sessions (admins; audited)."""
        return service.set_active(db, principal, username, False)

    @api.post("/users/{username}/enable", response_model=UserOut)
    def enable(
        username: str = Username,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> service.UserView:
        """Enable a disabled account (admins; audited)."""
        return service.set_active(db, principal, username, True)

    @api.post("/users/{username}/password", response_model=PasswordOut)
    def reset_password(
        body: PasswordIn,
        username: str = Username,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> PasswordOut:
        """Set a new password and end the account's sessions (admins; audited, without the
        password)."""
        ended = service.reset_password(db, principal, username, body.password)
        return PasswordOut(username=username, sessions_ended=ended)

    @api.post("/users/{username}/unlock", response_model=UnlockOut)
    def unlock(
        username: str = Username,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> UnlockOut:
        """Lift every login limit of an account (admins; audited)."""
        return UnlockOut(username=username, cleared=service.unlock(db, principal, username))

    return api
