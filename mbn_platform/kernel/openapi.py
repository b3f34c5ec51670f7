"""The OpenAPI schema documents every operation's error answers, as the API gives them.

Each error is ``{"error": {"code", "message", "fields"?}}`` (``mbn_platform.kernel.errors``),
``code`` one of the registry's (``error_codes.py``). Which answers an operation may give follows
from what it declares: 400 for what it reads from the client (a body, query or path values),
401 and 403 unless it is open to anyone, 404 for an object named in its path, 409 for writes
refused by the current state, 429 everywhere (the API is throttled), 503 everywhere (the database
momentarily unreachable: retry after ``Retry-After`` seconds). A view may name more with
``@extend_schema(responses={...})``; what it names explicitly wins.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from mbn_platform.kernel.error_codes import ErrorCode

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorDetailOut(serializers.Serializer[object]):
    code = serializers.ChoiceField(choices=[(code.value, code.value) for code in ErrorCode])
    message = serializers.CharField()


# "fields" names a serializer's own attribute: declared after the class.
ErrorDetailOut._declared_fields["fields"] = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField()),
    required=False,
    help_text="Messages per invalid field (400 only).",
)


class ErrorOut(serializers.Serializer[object]):
    error = ErrorDetailOut()


ERROR_ANSWERS = {
    "400": "Invalid input: the message, and one per field under `fields`.",
    "401": "Not signed in.",
    "403": "Signed in, but this role, establishment or second-factor state may not do this.",
    "404": "No such object, or one this person may not see (objects of another establishment too).",
    "409": "Refused by the current state (taken, in use, already done).",
    "429": "Too many requests: wait for `Retry-After` seconds.",
    "503": "The service is momentarily unavailable (code `unavailable`): retry after `Retry-After` seconds.",
}


class AutoSchema(SpectacularAutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        """The view's authentication methods, and ``{}`` (none) for a view open to anyone."""
        auths: list[dict[str, Any]] = super().get_auth()
        if getattr(self.view, "allow_anonymous", False) and {} not in auths:
            auths.append({})
        return auths

    def _error_statuses(self) -> list[str]:
        view = self.view
        statuses = []
        reads_input = self.method in WRITES - {"DELETE"} or bool(self._get_parameters())
        if reads_input:
            statuses.append("400")
        if not getattr(view, "allow_anonymous", False):
            statuses += ["401", "403"]
        if "{" in self.path:
            statuses.append("404")
        if self.method in WRITES:
            statuses.append("409")
        statuses += ["429", "503"]
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        component = self.resolve_serializer(ErrorOut, "response")
        for status in self._error_statuses():
            responses.setdefault(
                status,
                {
                    "content": {"application/json": {"schema": component.ref}},
                    "description": ERROR_ANSWERS[status],
                },
            )
        return responses
