"""A SAML 2.0 identity provider for the GAR (the national access manager of digital textbooks and
publishers' resources), with pysaml2.

The GAR's service provider sends an authentication request (HTTP-Redirect binding) to
``/saml/sso/redirect/`` on the portal; the person signs in there (the platform's page, their
second factor if they are staff, never while impersonating), and the page posts a signed response
(HTTP-POST binding) to the GAR's assertion consumer service, with only the attributes the GAR
asks for: ``IDO`` (an opaque identifier, the same for the GAR every time, known to nobody else),
``UAI`` (the establishments) and ``PRO`` (the GAR's profile codes). Guardians have no GAR profile.
The GAR's metadata comes from ``GAR_SP_METADATA_FILE`` (per environment); the provider's own
metadata is at ``/saml/metadata/``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import NotFound, PermissionDenied
from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.connectors.policy import pairwise_subject
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from shared_apps.identity.second_factor import (
    second_factor_required_for_account,
    session_second_factor_ok,
    totp_device_of,
)

#: The GAR's profile codes for the platform's roles (guardians have none).
GAR_PROFILES: dict[str, str] = {
    Role.STUDENT: "National_elv",
    Role.TEACHER: "National_ens",
    Role.SCHOOL_LIFE: "National_evs",
    Role.ADMIN_STAFF: "National_eta",
    Role.ESTABLISHMENT_ADMIN: "National_eta",
    Role.HEAD: "National_dir",
    Role.DIGITAL_REFERENT: "National_ens",
}


def idp_server(request: HttpRequest) -> Any:
    """pysaml2's identity provider, configured for the GAR (None when not configured)."""
    if not settings.GAR_SP_METADATA_FILE or not settings.SAML_IDP_KEY_FILE:
        return None
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT
    from saml2.server import Server

    base = f"{request.scheme}://{request.get_host()}"
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{base}/saml/metadata/",
            "xmlsec_binary": settings.XMLSEC_BINARY,
            "key_file": settings.SAML_IDP_KEY_FILE,
            "cert_file": settings.SAML_IDP_CERT_FILE,
            "metadata": {"local": [settings.GAR_SP_METADATA_FILE]},
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{base}/saml/sso/redirect/", BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "name_form": NAME_FORMAT_BASIC,
                            "sign": ["response", "assertion"],
                        }
                    },
                }
            },
        }
    )
    server = Server(config=config)
    server.binding_post = BINDING_HTTP_POST
    return server


def gar_identity(*, user: User) -> dict[str, list[str]]:
    """Only what the GAR asks for: the opaque identifier, the establishments, the profiles."""
    rows = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values_list(
        "establishment__uai", "role"
    )
    uais = sorted({uai for uai, role in rows if role in GAR_PROFILES})
    profiles = sorted({GAR_PROFILES[role] for _uai, role in rows if role in GAR_PROFILES})
    return {"IDO": [pairwise_subject(user_id=user.pk, client_id="gar")], "UAI": uais, "PRO": profiles}


class SamlMetadataView(View):
    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        server = idp_server(request)
        if server is None:
            raise NotFound(_("The GAR is not configured here."))
        from saml2.metadata import create_metadata_string

        xml = create_metadata_string(None, config=server.config, valid=24 * 7)
        return HttpResponse(xml, content_type="application/samlmetadata+xml")


class SamlSignOnView(View):
    required_roles = ANY_MEMBER
    forbidden_while_impersonating = True

    def get(self, request: HttpRequest) -> HttpResponse:
        server = idp_server(request)
        if server is None or "SAMLRequest" not in request.GET:
            raise NotFound(_("The GAR is not configured here."))
        user = request.user
        if not isinstance(user, User):
            login = reverse("login", urlconf=getattr(request, "urlconf", None))
            return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        if getattr(request, "impersonator", None) is not None:
            raise PermissionDenied(_("Not while impersonating someone."), code=ErrorCode.APP_NOT_ALLOWED)
        if second_factor_required_for_account(user=user) and not session_second_factor_ok(
            session=request.session, user=user
        ):
            step = "second-factor-verify" if totp_device_of(user=user) else "second-factor-setup"
            target = reverse(step, urlconf=getattr(request, "urlconf", None))
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        identity = gar_identity(user=user)
        if not identity["PRO"]:
            raise PermissionDenied(
                _("The GAR's resources are not open to your account."), code=ErrorCode.APP_NOT_ALLOWED
            )
        return self.respond(request, server, user, identity)

    def respond(
        self, request: HttpRequest, server: Any, user: User, identity: dict[str, list[str]]
    ) -> HttpResponse:
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID

        try:
            parsed = server.parse_authn_request(request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT)
            args = server.response_args(parsed.message)
        except Exception as error:
            raise NotFound(_("This sign-in request is not valid.")) from error
        name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, text=identity["IDO"][0])
        response = server.create_authn_response(
            identity,
            userid=identity["IDO"][0],
            name_id=name_id,
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
            sign_response=True,
            sign_assertion=True,
            **args,
        )
        import base64

        audit_record(
            actor=user, action="connectors.gar_sign_in", details={"sp": args.get("sp_entity_id", "")}
        )
        destination = args["destination"]
        page = render(
            request,
            "connectors/saml_post.html",
            {
                "destination": destination,
                "saml_response": base64.b64encode(str(response).encode()).decode(),
                "relay_state": request.GET.get("RelayState", ""),
            },
        )
        parts = urlsplit(destination)
        page._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
        return page
