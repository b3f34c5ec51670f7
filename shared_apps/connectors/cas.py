"""A CAS server (protocol 2.0 and 3.0) for the school tools that only speak CAS.

``/cas/login?service=…`` signs the person in (the platform's own sign-in page, its second factor,
never while impersonating), checks that the service is registered and open to them (the same
rules as OIDC applications, ``policy``), and sends them back with a service ticket (``ST-…``:
valid once, for that address, for a minute). The tool then calls ``/cas/serviceValidate`` or
``/cas/p3/serviceValidate`` with the ticket and gets the person's identifier (opaque, different
for each service) and attributes (establishments' UAIs and roles; name and e-mail only if the
service was granted them). Services are registered like OIDC applications (``CasService``).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree as ET

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import NotFound, PermissionDenied
from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.connectors.models import CasService, CasTicket
from shared_apps.connectors.policy import rules_access, rules_claims
from shared_apps.identity.models import User
from shared_apps.identity.second_factor import (
    second_factor_required_for_account,
    session_second_factor_ok,
    totp_device_of,
)

CAS_NS = "http://www.yale.edu/tp/cas"
TICKET_SECONDS = 60


def cas_service_for(url: str) -> CasService | None:
    """The active registered service whose prefix this address starts with (longest first)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return None
    candidates = [s for s in CasService.objects.filter(is_active=True) if url.startswith(s.service_prefix)]
    return max(candidates, key=lambda s: len(s.service_prefix), default=None)


@transaction.atomic
def cas_ticket_issue(*, user: User, service: CasService, service_url: str) -> CasTicket:
    ticket = CasTicket.objects.create(
        ticket=f"ST-{secrets.token_urlsafe(32)}", service=service, user=user, service_url=service_url
    )
    audit_record(
        actor=user, action="connectors.cas_sign_in", target=service, details={"service": service.name}
    )
    return ticket


@transaction.atomic
def cas_ticket_validate(*, ticket: str, service_url: str) -> CasTicket | None:
    """The ticket if valid for this address (spent now: a ticket works once), else None."""
    found = (
        CasTicket.objects.select_for_update()
        .select_related("service", "user")
        .filter(ticket=ticket, used_at__isnull=True)
        .first()
    )
    if found is None:
        return None
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    if found.service_url != service_url or found.created_at < timezone.now() - timedelta(
        seconds=TICKET_SECONDS
    ):
        return None
    if not found.service.is_active or not rules_access(user=found.user, rules=found.service).allowed:
        return None
    return found


class CasNotAllowed(PermissionDenied):
    code = ErrorCode.APP_NOT_ALLOWED


class CasLoginView(View):
    required_roles = ANY_MEMBER
    forbidden_while_impersonating = True

    def get(self, request: HttpRequest) -> HttpResponse:
        service_url = request.GET.get("service", "")
        service = cas_service_for(service_url)
        if service is None:
            raise NotFound(_("This service is not registered."))
        user = request.user
        if not isinstance(user, User):
            if request.GET.get("gateway") == "true":
                return HttpResponseRedirect(service_url)
            login = reverse("login", urlconf=getattr(request, "urlconf", None))
            return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        if getattr(request, "impersonator", None) is not None:
            raise CasNotAllowed(_("Not while impersonating someone."))
        if second_factor_required_for_account(user=user) and not session_second_factor_ok(
            session=request.session, user=user
        ):
            step = "second-factor-verify" if totp_device_of(user=user) else "second-factor-setup"
            target = reverse(step, urlconf=getattr(request, "urlconf", None))
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        if not rules_access(user=user, rules=service).allowed:
            raise CasNotAllowed(_("This service is not open to your account."))
        ticket = cas_ticket_issue(user=user, service=service, service_url=service_url)
        glue = "&" if "?" in service_url else "?"
        return HttpResponseRedirect(f"{service_url}{glue}{urlencode({'ticket': ticket.ticket})}")


def _xml(element: ET.Element) -> HttpResponse:
    ET.register_namespace("cas", CAS_NS)
    root = ET.Element(f"{{{CAS_NS}}}serviceResponse")
    root.append(element)
    body = ET.tostring(root, encoding="unicode")
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def _failure(code: str, message: str) -> HttpResponse:
    element = ET.Element(f"{{{CAS_NS}}}authenticationFailure", {"code": code})
    element.text = message
    return _xml(element)


def _success(ticket: CasTicket) -> HttpResponse:
    claims: dict[str, Any] = rules_claims(user=ticket.user, rules=ticket.service, scopes=["profile", "email"])
    success = ET.Element(f"{{{CAS_NS}}}authenticationSuccess")
    ET.SubElement(success, f"{{{CAS_NS}}}user").text = claims.pop("sub")
    attributes = ET.SubElement(success, f"{{{CAS_NS}}}attributes")
    for entry in claims.pop("establishments"):
        for role in entry["roles"]:
            ET.SubElement(attributes, f"{{{CAS_NS}}}roleInEstablishment").text = f"{entry['uai']}:{role}"
    for name, value in claims.items():
        ET.SubElement(attributes, f"{{{CAS_NS}}}{name}").text = str(value)
    return _xml(success)


class CasValidateView(View):
    """``/cas/serviceValidate`` (2.0) and ``/cas/p3/serviceValidate`` (3.0): the same answer."""

    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        ticket, service_url = request.GET.get("ticket", ""), request.GET.get("service", "")
        if not ticket or not service_url or "\x00" in ticket + service_url:
            return _failure("INVALID_REQUEST", "ticket and service are required")
        if not ticket.startswith("ST-"):
            return _failure("INVALID_TICKET_SPEC", "not a service ticket")
        found = cas_ticket_validate(ticket=ticket[:64], service_url=service_url)
        if found is None:
            return _failure("INVALID_TICKET", "ticket not recognised")
        return _success(found)
