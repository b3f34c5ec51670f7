"""The one web rendering of ``ApplicationError`` (the API has its own DRF handler)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from mbn_platform.kernel.errors import (
    ApplicationError,
    ServiceUnavailable,
    as_application_error,
    database_unavailable,
)


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def error_response(
    request: HttpRequest, error: ApplicationError, *, template: str = "errors/error.html"
) -> HttpResponse:
    """Render an error as JSON for API clients, as a page for people."""
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"error": error.as_dict()}, status=error.status)
    else:
        response = render(request, template, {"error": error}, status=error.status)
    if isinstance(error, ServiceUnavailable):
        response["Retry-After"] = str(error.retry_after)
    return response


class ApplicationErrorMiddleware:
    """Turns ApplicationError (and Django validation errors) raised by pages into error pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import RequestDataTooBig, ValidationError

        if isinstance(exception, ApplicationError | ValidationError | RequestDataTooBig) or (
            database_unavailable(exception)
        ):
            error = as_application_error(exception)
            if error is not None:
                return error_response(request, error)
        return None
