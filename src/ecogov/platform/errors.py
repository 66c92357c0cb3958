"""One error hierarchy for the whole platform.

Services raise these; the CLI turns them into a one-line message and exit code 2, the API into a
problem+json body with the matching 4xx status.
"""

from __future__ import annotations


class EcogovError(Exception):
    """Base of every error a user can act on; ``str(error)`` is the message shown to them."""

    status_code = 400
    title = "Bad request"


class InputError(EcogovError):
    """Malformed input: a file, a packet, a form or an argument (says what and where)."""

    status_code = 422
    title = "Invalid input"


class NotFound(EcogovError):
    """The thing asked for does not exist (or is outside the caller's scope)."""

    status_code = 404
    title = "Not found"


class AuthenticationRequired(EcogovError):
    """The caller is not logged in, or the login failed."""

    status_code = 401
    title = "Authentication required"


class PermissionDenied(EcogovError):
    """The caller's role or region scope does not allow this."""

    status_code = 403
    title = "Forbidden"


class Conflict(EcogovError):
    """The request conflicts with the current state (duplicate key, illegal transition)."""

    status_code = 409
    title = "Conflict"


class TooManyRequests(EcogovError):
    """The caller must wait before trying again (throttling); ``retry_after`` in seconds."""

    status_code = 429
    title = "Too many requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidCode(InputError, ValueError):
    """A malformed code (a region code …) reaching a helper from user input: a 422 for users,
    and still a ``ValueError`` for callers that check values before asking."""
