"""Gives each request an id (kept from X-Request-ID when a proxy sets one) for the logs, and a
fresh memo of the cache generations it reads (``mbn_platform.kernel.generations``)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mbn_platform.kernel.generations import generations_request_end, generations_request_start
from mbn_platform.kernel.logging import request_id_var, user_id_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Set, not reset afterwards: Django logs the response ("Not Found: ...") after the
        # middleware chain returns, and that line must still carry the request's context.
        request_id_var.set(request_id)
        user_id_var.set("-")
        generations_request_start()
        try:
            response = self.get_response(request)
        finally:
            generations_request_end()
        response["X-Request-ID"] = request_id
        return response
