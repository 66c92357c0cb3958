"""One error hierarchy for the whole platform.

Services raise these; the CLI turns them into a one-line message and exit code 2, the API into a
problem+json body with the matching 4xx status and a title in the request's language (the
class's ``title_key`` in the catalogue below).
"""

from __future__ import annotations

from typing import Final

from ecogov.platform.i18n import Catalogue, register, translate

MESSAGES: Final[Catalogue] = {
    "problem.title.400": ("请求有误", "Bad request"),
    "problem.title.401": ("需要登录", "Authentication required"),
    "problem.title.403": ("无权访问", "Forbidden"),
    "problem.title.404": ("不存在", "Not found"),
    "problem.title.409": ("与现有数据冲突", "Conflict"),
    "problem.title.413": ("请求内容过大", "Content too large"),
    "problem.title.422": ("输入有误", "Invalid input"),
    "problem.title.429": ("请求过于频繁", "Too many requests"),
}
register(MESSAGES)


def problem_title(status: int, language: str) -> str:
    """The title of a refusal with HTTP ``status`` in ``language``."""
    return translate(f"problem.title.{status}", language)


class EcogovError(Exception):
    """Base of every error a user can act on; ``str(error)`` is the message shown to them."""

    status_code = 400

    def title(self, language: str) -> str:
        """The problem title of this error in ``language``."""
        return problem_title(self.status_code, language)


class InputError(EcogovError):
    """Malformed input: a file, a packet, a form or an argument (says what and where)."""

    status_code = 422


class NotFound(EcogovError):
    """The thing asked for does not exist (or is outside the caller's scope)."""

    status_code = 404


class AuthenticationRequired(EcogovError):
    """The caller is not logged in, or the login failed."""

    status_code = 401


class PermissionDenied(EcogovError):
    """The caller's role or region scope does not allow this."""

    status_code = 403


class Conflict(EcogovError):
    """The request conflicts with the current state (duplicate key, illegal transition)."""

    status_code = 409


class TooManyRequests(EcogovError):
    """The caller must wait before trying again (throttling); ``retry_after`` in seconds."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidCode(InputError, ValueError):
    """A malformed code (a region code …) reaching a helper from user input: a 422 for users,
    and still a ``ValueError`` for callers that check values before asking."""
