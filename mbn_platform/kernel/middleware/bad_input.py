"""NUL bytes in what a request sends are refused here, once, before any view reads them.

No page or API has a use for a NUL byte (``%00``, ``\\u0000``) in its path, query string, form
fields or JSON body, and PostgreSQL refuses them in text and JSON (a query with one would fail
with a 500). A path holding one names no page (404); a parameter or field holding one is a 400
naming it. Values are then parsed by ``mbn_platform.kernel.parsing``, the forms and serializers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from mbn_platform.kernel.errors import ApplicationError, NotFound, ValidationFailed, as_application_error
from mbn_platform.kernel.middleware.errors import error_response

NUL = "\x00"
#: Too large or too many fields: answered 413 here, as the error middleware would (once read,
#: the body cannot be read again by the view).
UNREADABLE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def _with_nul(values: QueryDict) -> list[str]:
    return sorted(
        {name or "-" for name, items in values.lists() if NUL in name or any(NUL in v for v in items)}
    )


def _refusal(request: HttpRequest) -> ApplicationError | None:
    if NUL in request.path_info:
        return NotFound()
    names = _with_nul(request.GET) if "%00" in request.META.get("QUERY_STRING", "") else []
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        try:
            if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                names += _with_nul(request.POST)
            elif request.content_type == "application/json" and b"\\u0000" in request.body:
                names.append("body")
        except UNREADABLE as error:
            return as_application_error(error)
    if not names:
        return None
    message = _("This value holds a character that is not allowed.")
    return ValidationFailed(fields={name: [message] for name in names})


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = _refusal(request)
        return error_response(request, refusal) if refusal is not None else self.get_response(request)
