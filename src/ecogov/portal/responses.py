"""Cacheable public answers: ETag, Last-Modified, ``Cache-Control: public`` and 304s."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC
from email.utils import format_datetime
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from ecogov.platform.http import holds
from ecogov.platform.templating import language_of, render
from ecogov.portal.service import FRESH_SECONDS, Published

JSON = "application/json"


def cache_headers(etag: str, published: Sequence[Published]) -> dict[str, str]:
    """ETag, ``Cache-Control: public`` for as long as the oldest of the data stays fresh,
    and Last-Modified (the newest data time)."""
    fresh = min((p.fresh_for() for p in published), default=int(FRESH_SECONDS))
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={fresh}"}
    times = [p.modified for p in published if p.modified is not None]
    if times:
        headers["Last-Modified"] = format_datetime(max(times).astimezone(UTC), usegmt=True)
    return headers


def json_answer(request: Request, published: Published) -> Response:
    """The published body, or 304 when the client holds it already."""
    headers = cache_headers(published.etag, [published])
    if holds(request, published.etag):
        return Response(status_code=304, headers=headers)
    return Response(published.body, media_type=JSON, headers=headers)


def page_answer(
    request: Request, template: str, context: dict[str, Any], published: Sequence[Published]
) -> Response:
    """A portal page; its ETag is that of its data, language and address (a page carries
    the request's script nonce, so the body cannot be its own tag)."""
    seed = "|".join([request.url.path, str(request.url.query), language_of(request)])
    seed += "|" + "|".join(p.etag for p in published)
    etag = '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'
    headers = cache_headers(etag, published)
    if holds(request, etag):
        return Response(status_code=304, headers=headers)
    # A public page holds no form: no anonymous CSRF nonce cookie is sent, which would make
    # every visitor's copy different and unfit for shared caches (the platform's public
    # response cache keeps the rendered page, replayed with each request's script nonce).
    return HTMLResponse(render(request, template, context).body, headers=headers)
