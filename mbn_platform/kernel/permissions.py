"""Permissions are declared by each API view or page, then enforced here, in one place.

A view declares ``required_roles`` (any of these establishment roles) and/or
``required_region_roles`` (any of these public-side roles). ``check_access`` is the one function
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
from mbn_platform.kernel.tenancy import RequestAccess, request_access


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

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        check_access(
            request,
            required_roles=self.required_roles,
            required_region_roles=self.required_region_roles,
            allow_anonymous=self.allow_anonymous,
        )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
