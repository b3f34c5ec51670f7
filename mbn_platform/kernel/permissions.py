"""Permissions are declared by each API view or page, then enforced here, in one place.

Every routed view declares who may use it (``tests/test_view_declarations.py`` fails on one that
does not): ``required_roles`` (any of these establishment roles) and/or ``required_region_roles``
(any of these public-side roles), or ``required_roles = ANY_MEMBER`` (anyone signed in who
belongs here: a member of the establishment on its host, anyone signed in on the portal), or
``allow_anonymous = True``. The role sets themselves are declared once per app, in its
``permissions.py``. ``check_access`` is the one function
that decides; the DRF permission class and the page mixin both call it.

On an establishment's subdomain the membership check itself (signed-in user with no membership
there) happens earlier, in ``MembershipMiddleware``; ``check_access`` repeats it so that a view
stays safe even if mounted elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from mbn_platform.kernel.errors import NotAuthenticated, PermissionDenied
from mbn_platform.kernel.held_pages import held_response
from mbn_platform.kernel.tenancy import RequestAccess, request_access


class _AnyMember(frozenset[str]):
    """No particular role: any signed-in person who belongs here (see ``ANY_MEMBER``)."""

    def __repr__(self) -> str:
        return "ANY_MEMBER"


#: Declares a view open to anyone signed in who belongs here (a member of the establishment on
#: its host; anyone signed in on the portal). An explicit choice, unlike declaring nothing.
ANY_MEMBER: frozenset[str] = _AnyMember()


def declared_access(view: Any) -> bool:
    """Whether a view (class or function) declares who may use it."""
    return bool(
        getattr(view, "allow_anonymous", False)
        or getattr(view, "required_roles", None) is not None
        or getattr(view, "required_region_roles", None) is not None
    )


def access(
    *,
    roles: Iterable[str] | None = None,
    region_roles: Iterable[str] | None = None,
    anonymous: bool = False,
) -> Any:
    """Declare a function view's access, as class views do with attributes; enforced by
    ``check_access`` unless ``anonymous`` (probes, the language switch)."""

    def declare(view: Any) -> Any:
        from functools import wraps

        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            check_access(
                request, required_roles=roles, required_region_roles=region_roles, allow_anonymous=anonymous
            )
            return view(request, *args, **kwargs)

        checked.required_roles = frozenset(roles) if roles is not None else None  # type: ignore[attr-defined]
        checked.required_region_roles = (  # type: ignore[attr-defined]
            frozenset(region_roles) if region_roles is not None else None
        )
        checked.allow_anonymous = anonymous  # type: ignore[attr-defined]
        return checked

    return declare


def check_access(
    request: HttpRequest,
    *,
    required_roles: Iterable[str] | None,
    required_region_roles: Iterable[str] | None = None,
    allow_anonymous: bool = False,
) -> RequestAccess:
    """Raise unless the request's user may use a view with these declarations."""
    access = request_access(request)
    if allow_anonymous:
        return access
    if not access.user_id:
        raise NotAuthenticated()
    if access.in_establishment and not access.roles:
        raise PermissionDenied()
    wanted = set(required_roles or ())
    wanted_region = set(required_region_roles or ())
    if not wanted and not wanted_region:
        return access
    if wanted & access.roles or wanted_region & access.region_roles:
        return access
    raise PermissionDenied()


class DeclaredRolesPermission(BasePermission):
    """Default DRF permission: enforces the view's ``required_roles``/``required_region_roles``.

    A view must declare at least one of them, or ``allow_anonymous = True``; a view that
    declares nothing needs any signed-in member (of the establishment, on a school's host).
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        writing = request.method not in SAFE_METHODS
        roles = getattr(view, "required_roles", None)
        region_roles = getattr(view, "required_region_roles", None)
        if writing and (hasattr(view, "write_roles") or hasattr(view, "write_region_roles")):
            # A view may ask more of writes than of reads (``write_roles``/``write_region_roles``).
            roles = getattr(view, "write_roles", None)
            region_roles = getattr(view, "write_region_roles", None)
        check_access(
            request,
            required_roles=roles,
            required_region_roles=region_roles,
            allow_anonymous=getattr(view, "allow_anonymous", False),
        )
        return True


class RolesRequiredMixin:
    """The same declarations for Django class-based pages."""

    required_roles: Iterable[str] | None = None
    required_region_roles: Iterable[str] | None = None
    allow_anonymous = False
    #: A daily page whose GET may be answered with the page held for its reader while nothing
    #: it shows has changed (``kernel/held_pages.py``); always after the check below.
    held_page = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        check_access(
            request,
            required_roles=self.required_roles,
            required_region_roles=self.required_region_roles,
            allow_anonymous=self.allow_anonymous,
        )
        parent = super().dispatch  # type: ignore[misc]
        if self.held_page:
            return held_response(request, lambda: parent(request, *args, **kwargs))
        return parent(request, *args, **kwargs)
