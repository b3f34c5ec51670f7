"""The web error pages (one template, one rendering for every host)."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import (
    ApplicationError,
    DatabaseUnavailable,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    database_unavailable,
)
from mbn_platform.kernel.middleware.errors import error_response
from mbn_platform.kernel.permissions import access


@access(anonymous=True)
def ping(request: HttpRequest) -> HttpResponse:
    """The minimal page: who is asking, nothing else. The reference of the overhead benchmarks."""
    user = request.user
    return HttpResponse(f"pong {user.pk if user.is_authenticated else '-'}", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, ValidationFailed())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, PermissionDenied())


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, NotFound())


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unavailable(sys.exc_info()[1]):
        # The database is unreachable (raised by a page, an API view or a middleware): 503 with
        # Retry-After, a page that touches nothing (not even the session), JSON for the API.
        return error_response(request, DatabaseUnavailable(), template="errors/unavailable.html")
    error = ApplicationError(code=ErrorCode.SERVER_ERROR)
    error.status = 500
    # No context processors that touch the database: it may be what failed.
    return render(request, "errors/500.html", {"error": error}, status=500)
