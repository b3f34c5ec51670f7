"""The default connection, typed with what django-tenants adds to it; the establishment whose
schema it is set to."""

from __future__ import annotations

from typing import Any, Protocol, cast

from django.db import connection


class TenantConnection(Protocol):
    schema_name: str
    tenant: Any

    def set_schema(self, schema_name: str, include_public: bool = True) -> None: ...
    def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...
    def set_schema_to_public(self) -> None: ...


def tenant_db() -> TenantConnection:
    return cast(TenantConnection, connection)


def schema_establishment() -> Any:
    """The establishment whose schema the connection serves (a request on its host, a task run
    for it), or None (the public schema, or a bare ``schema_context`` that knows no row): what an
    audit entry written by a tenant app names as its establishment."""
    tenant = getattr(connection, "tenant", None)
    return tenant if isinstance(getattr(tenant, "pk", None), int) else None
