"""JSON API of the complaints domain (thin): the public intake and receipt-code lookup (the only
anonymous write of the platform), and the officers' ledger, moves, identity and imports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from ecogov.complaints import service
from ecogov.platform.db import Database
from ecogov.platform.http import client_address, current_principal, get_database, require_user
from ecogov.platform.params import IdPath
from ecogov.platform.scope import Principal

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
Anyone = Annotated[Principal, Depends(current_principal)]


class ReceiptOut(BaseModel):
    """The receipt of a filed complaint: its number and the receipt code (shown once)."""

    no: str
    code: str


class MoveIn(BaseModel):
    """A move of the complaint machine with what it may carry."""

    note: str | None = Field(default=None, max_length=2000)
    unit_name: str | None = Field(default=None, max_length=64)
    unit_region: str | None = Field(default=None, pattern=r"^\d{6}$")
    verified: bool | None = None
    satisfaction: str | None = Field(default=None, max_length=16)
    enterprise_id: int | None = Field(default=None, ge=1)


async def photos_of(files: list[UploadFile] | None) -> list[service.Photo]:
    """The uploaded photos (empty file inputs left out)."""
    found = []
    for upload in files or []:
        content = await upload.read()
        if upload.filename or content:
            found.append(service.Photo(upload.filename or "photo", content))
    return found


def router() -> APIRouter:
    """API routes of the complaints domain."""
    api = APIRouter(tags=["complaints"])

    @api.post("/public/complaints", status_code=201)
    async def file_public(
        request: Request,
        db: Db,
        principal: Anyone,
        region_code: Annotated[str, Form(pattern=r"^\d{6}$")],
        category: Annotated[str, Form(max_length=16)],
        text: Annotated[str, Form(max_length=4000)],
        address: Annotated[str | None, Form(max_length=256)] = None,
        lon: Annotated[float | None, Form()] = None,
        lat: Annotated[float | None, Form()] = None,
        name: Annotated[str | None, Form(max_length=64)] = None,
        phone: Annotated[str | None, Form(max_length=32)] = None,
        email: Annotated[str | None, Form(max_length=128)] = None,
        photos: Annotated[list[UploadFile] | None, File()] = None,
    ) -> ReceiptOut:
        """File a complaint (anonymous allowed); returns its number and receipt code."""
        new = service.NewComplaint(
            region_code, category, text, address, lon, lat, await photos_of(photos),
            name=name, phone=phone, email=email,
        )  # fmt: skip
        receipt = service.file_complaint(db, principal, new, client_address(request))
        return ReceiptOut(no=receipt.no, code=service.display_code(receipt.code))

    @api.get("/public/complaints/{code}")
    def lookup(code: str, db: Db) -> service.PublicStatus:
        """The public status and answer of the complaint with this receipt code."""
        return service.lookup(db, code)

    @api.get("/complaints")
    def ledger(db: Db, principal: User) -> list[service.LedgerRow]:
        """The complaint ledger of the caller's region (no identity fields)."""
        return service.ledger(db, principal)

    @api.post("/complaints/{complaint_id}/moves/{action}")
    def move(
        complaint_id: IdPath, action: str, body: MoveIn, db: Db, principal: User
    ) -> dict[str, str]:
        """Make a move of the complaint machine; returns the new state."""
        data = service.MoveInput(
            body.unit_name, body.unit_region, body.verified, body.satisfaction, body.enterprise_id
        )
        return {"state": service.act(db, principal, complaint_id, action, body.note, data)}

    @api.get("/complaints/{complaint_id}/identity")
    def identity(complaint_id: IdPath, db: Db, principal: User) -> service.Identity:
        """The complainant (handling officers only; the read is audited)."""
        return service.identity_of(db, principal, complaint_id)

    @api.post("/complaints/import", status_code=201)
    async def import_12345(
        db: Db,
        principal: User,
        file: Annotated[UploadFile, File()],
        skip_bad_rows: Annotated[bool, Form()] = False,
    ) -> service.ImportResult:
        """Import a 12345 export (xlsx or CSV): idempotent, all or nothing by default."""
        content = await file.read()
        name = file.filename or "12345.xlsx"
        return service.import_12345(db, principal, name, content, skip_bad_rows=skip_bad_rows)

    return api
