"""What a request may reach: its establishment, the user's roles there and on the region side.

Computed once per request (by ``MembershipMiddleware``) and cached per user and establishment,
keyed by the person's generation (``mbn_platform.kernel.generations``): in the process's memory,
then in the shared cache, so that the membership check costs no query and no extra round trip on
most requests. Every change of a person's memberships or roles bumps their generation (the
identity app's signals, and ``access_cache_clear`` for bulk writes): the next request of every
process sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest

from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.generations import (
    LocalEntries,
    generations_read,
    shared_get_or_compute,
    user_scope,
    users_changed,
)

#: How long the shared cache keeps an access (entries of an old generation are never read again).
ACCESS_CACHE_SECONDS = 60 * 60
#: Paths that work on any host, whatever the establishment's state or the user's membership.
ALWAYS_OPEN_PREFIXES = ("/healthz", "/readyz", "/static/", "/i18n/")

#: ``(user_id, establishment_id) -> (roles there, region roles)``: how a person's roles are found.
RolesLookup = Callable[[int, int | None], tuple[frozenset[str], frozenset[str]]]
_roles_lookup: list[RolesLookup] = []


@dataclass(frozen=True)
class RequestAccess:
    user_id: int | None
    establishment_id: int | None
    roles: frozenset[str] = field(default_factory=frozenset)
    region_roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def in_establishment(self) -> bool:
        return self.establishment_id is not None


def roles_lookup_register(lookup: RolesLookup) -> None:
    """Plug in how roles are found (identity does it in its ``AppConfig.ready``): the kernel
    knows no app."""
    _roles_lookup[:] = [lookup]


#: The pseudo-role of a person let in as a guest of one part of an establishment they do not
#: belong to (e.g. an inter-school project space): never a membership role.
GUEST_ROLE = "guest"

#: ``(request, user_id) -> bool``: whether a signed-in person with no role here may use this path
#: as a guest (an app registers it at start-up; the app's views then scope what the guest sees).
GuestAccess = Callable[[HttpRequest, int], bool]
_guest_access: list[GuestAccess] = []


def guest_access_register(check: GuestAccess) -> None:
    """Plug in a guest access (the spaces app does, for inter-school project spaces)."""
    if check not in _guest_access:
        _guest_access.append(check)


def guest_access_allows(request: HttpRequest, user_id: int) -> bool:
    """Whether a registered guest access lets this person use this path without a role here."""
    return any(check(request, user_id) for check in _guest_access)


def request_establishment_id(request: HttpRequest) -> int | None:
    """The id of the establishment this request serves, None on the region portal (whose tenant
    is django-tenants' public placeholder, which has no primary key)."""
    pk = getattr(getattr(request, "tenant", None), "pk", None)
    return pk if isinstance(pk, int) else None


_local_access: LocalEntries[RequestAccess] = LocalEntries(size=4096)


def access_load(*, user_id: int, establishment_id: int | None) -> RequestAccess:
    """Roles of a user in an establishment (active memberships) and on the region side."""
    (generation,) = generations_read(user_scope(user_id))

    def lookup() -> RequestAccess:
        if not _roles_lookup:
            raise RuntimeError("No roles lookup registered (the identity app registers it at start-up).")
        roles, region_roles = _roles_lookup[0](user_id, establishment_id)
        return RequestAccess(
            user_id=user_id, establishment_id=establishment_id, roles=roles, region_roles=region_roles
        )

    def shared() -> RequestAccess:
        key = f"access:{user_id}:{establishment_id or 'region'}:{generation}"
        return shared_get_or_compute(key, lookup, ACCESS_CACHE_SECONDS)

    access = _local_access.get_or_compute((user_id, establishment_id, generation), shared)
    # The cached values are only ever keyed by their user and establishment: check it anyway.
    if access.user_id != user_id or access.establishment_id != establishment_id:
        raise RuntimeError("A cached access answered for another person or establishment.")
    return access


def access_cache_clear(*, user_id: int, establishment_ids: list[int | None]) -> None:
    """Forget a person's cached access everywhere after a membership or role change (their
    generation moves on; ``establishment_ids`` is kept for the callers' clarity)."""
    users_changed([user_id])


def request_access(request: HttpRequest) -> RequestAccess:
    """The access of this request (computed by the middleware, or now if it did not run)."""
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    access = getattr(request, "access", None)
    # The middleware saw the session's user; an API token is authenticated later, by DRF,
    # so the access is computed again when the user is not the one it was computed for.
    if isinstance(access, RequestAccess) and access.user_id == user_id:
        return access
    establishment_id = request_establishment_id(request)
    if user_id is None:
        access = RequestAccess(user_id=None, establishment_id=establishment_id)
    else:
        access = access_load(user_id=user_id, establishment_id=establishment_id)
    request.access = access  # type: ignore[attr-defined]
    return access


def schema_name() -> str:
    return tenant_db().schema_name


def url_on_host(request: HttpRequest, host: str, path: str = "/") -> str:
    """An absolute URL on another host of the platform (a school's subdomain, the portal), with
    the scheme and port the browser used for this request.

    The port comes from the ``Host`` header the browser sent, not from ``SERVER_PORT``: behind
    the load balancer the server's own port (e.g. 8000) is not the one the browser talks to.
    """
    return f"{request.scheme}://{host}{_browser_port_suffix(request)}{path}"


def _browser_port_suffix(request: HttpRequest) -> str:
    """``:<port>`` of the host the browser asked for, or "" for the scheme's default port.

    Read from the raw header (as ``HttpRequest.get_host`` does, without its validation: error
    pages for a refused host render the layout too); only digits are ever copied.
    """
    from django.conf import settings

    raw = ""
    if settings.USE_X_FORWARDED_HOST:
        raw = request.META.get("HTTP_X_FORWARDED_HOST", "")
    raw = raw or request.META.get("HTTP_HOST", "")
    port = raw.rsplit(":", 1)[1] if ":" in raw and not raw.endswith("]") else ""
    return f":{port}" if port.isdigit() and port not in ("80", "443") else ""
