"""One error hierarchy for the whole platform, rendered by one API handler and one web page.

Services raise ``ApplicationError`` subclasses; each carries a stable ``code`` (for clients)
and an HTTP status. Validation errors name their fields. A user never sees a 500 for bad input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf_exceptions

from mbn_platform.kernel.error_codes import ErrorCode

if TYPE_CHECKING:
    from rest_framework.response import Response

FieldErrors = dict[str, list[str]]


class ApplicationError(Exception):
    """Base of every error a service may raise on purpose."""

    status = 400
    code: ErrorCode = ErrorCode.ERROR
    default_message: Any = _("The request could not be processed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: ErrorCode | None = None,
        fields: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        if code:
            # A code not in the registry (mbn_platform/kernel/error_codes.py) is a bug: ValueError.
            self.code = ErrorCode(code)
        self.fields: FieldErrors = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": str(self.code), "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class ValidationFailed(ApplicationError):
    status = 400
    code = ErrorCode.INVALID
    default_message = _("Some fields are invalid.")

    @classmethod
    def from_django(cls, error: DjangoValidationError) -> ValidationFailed:
        if hasattr(error, "error_dict"):
            fields = {
                name: [str(m) for e in errs for m in e.messages] for name, errs in error.error_dict.items()
            }
            non_field = fields.pop("__all__", None)
            message = non_field[0] if non_field else None
            return cls(message, fields=fields)
        return cls(" ".join(str(m) for m in error.messages))


class NotAuthenticated(ApplicationError):
    status = 401
    code = ErrorCode.NOT_AUTHENTICATED
    default_message = _("Please sign in.")


class PermissionDenied(ApplicationError):
    status = 403
    code = ErrorCode.PERMISSION_DENIED
    default_message = _("You are not allowed to do this.")


class NotFound(ApplicationError):
    """Also what a user gets for an object of another establishment, or one their role may not see."""

    status = 404
    code = ErrorCode.NOT_FOUND
    default_message = _("Not found.")


class Conflict(ApplicationError):
    status = 409
    code = ErrorCode.CONFLICT
    default_message = _("This conflicts with the current state.")


class PayloadTooLarge(ApplicationError):
    status = 413
    code = ErrorCode.PAYLOAD_TOO_LARGE
    default_message = _("What was sent is too large.")


class ServiceUnavailable(ApplicationError):
    status = 503
    code = ErrorCode.UNAVAILABLE
    default_message = _("This service is temporarily unavailable.")
    #: Seconds a client should wait before trying again (the ``Retry-After`` header).
    retry_after = 30


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached (an outage, a failover, a restart): nobody's fault, try again."""

    default_message = _("The service is momentarily unavailable. Please try again in a moment.")


def database_unavailable(exc: BaseException | None) -> bool:
    """An error of the connection to a service the request cannot do without rather than of the
    request: the database (Django wraps psycopg's errors) unreachable, restarting, or ending this
    connection; or the task broker (Redis) unreachable when work must be queued (kombu's
    ``OperationalError``, raised once its publishing retries are spent). The cache is not one of
    them: it misses while Redis is away (kernel/cache.py)."""
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerUnreachable

    return isinstance(exc, OperationalError | InterfaceError | BrokerUnreachable)


def as_application_error(exc: BaseException) -> ApplicationError | None:
    """Map the exceptions we know to an ApplicationError; None for anything else."""
    if isinstance(exc, ApplicationError):
        return exc
    if database_unavailable(exc):
        return DatabaseUnavailable()
    if isinstance(exc, DjangoValidationError):
        return ValidationFailed.from_django(exc)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return PayloadTooLarge()
    if isinstance(exc, Http404 | drf_exceptions.NotFound):
        return NotFound()
    if isinstance(exc, drf_exceptions.NotAuthenticated | drf_exceptions.AuthenticationFailed):
        return NotAuthenticated(exc.detail if isinstance(exc, drf_exceptions.AuthenticationFailed) else None)
    if isinstance(exc, DjangoPermissionDenied | drf_exceptions.PermissionDenied):
        return PermissionDenied()
    if isinstance(exc, drf_exceptions.ValidationError):
        return _from_drf_validation(exc)
    if isinstance(exc, drf_exceptions.APIException):
        known = str(exc.default_code) in ErrorCode._value2member_map_
        code = ErrorCode(exc.default_code) if known else ErrorCode.ERROR
        error = ApplicationError(exc.detail if isinstance(exc.detail, str) else None, code=code)
        error.status = exc.status_code
        return error
    return None


def _from_drf_validation(exc: drf_exceptions.ValidationError) -> ValidationFailed:
    detail = exc.detail
    if isinstance(detail, dict):
        fields = {str(name): _flatten(value) for name, value in detail.items()}
        non_field = fields.pop("non_field_errors", None)
        return ValidationFailed(non_field[0] if non_field else None, fields=fields)
    return ValidationFailed(" ".join(_flatten(detail)))


def _flatten(value: Any) -> list[str]:
    if isinstance(value, list):
        return [m for item in value for m in _flatten(item)]
    if isinstance(value, dict):
        return [f"{key}: {m}" for key, item in value.items() for m in _flatten(item)]
    return [str(value)]


def api_exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF exception handler: ``{"error": {"code", "message", "fields"?}}`` with the error's status."""
    from rest_framework.response import Response
    from rest_framework.views import exception_handler as drf_default_handler

    error = as_application_error(exc)
    if error is None:
        return drf_default_handler(exc, dict(context))
    response = Response({"error": error.as_dict()}, status=error.status)
    wait = getattr(exc, "wait", None)
    if isinstance(exc, drf_exceptions.Throttled) and wait is not None:
        response["Retry-After"] = str(int(wait))
    if isinstance(error, ServiceUnavailable):
        response["Retry-After"] = str(error.retry_after)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
