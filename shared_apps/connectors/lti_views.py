"""LTI 1.3 endpoints: the launch (school's host, ``/lti/launch/<tool>/?class=<id>``) and, on the
portal, the authorization endpoint, the platform's JWKS, the token endpoint and the names and
roles service (``/lti/nrps/<uai>/<class>/memberships``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access, url_on_host
from shared_apps.connectors import lti
from shared_apps.connectors.lti_services import LtiRefused, lti_authorize, lti_launch_start, lti_token_issue
from shared_apps.connectors.models import LtiAccessToken, LtiLaunch, LtiTool
from shared_apps.connectors.permissions import APP_ADMIN_ROLES
from shared_apps.connectors.rosters import school_roster
from shared_apps.identity.models import User
from tenants.models import Establishment
from tenants.requests import establishment_served

MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
PAGE_DEFAULT, PAGE_MAX = 100, 500


def issuer(request: HttpRequest) -> str:
    """The platform's issuer: the portal's address, as the browser reaches it."""
    return url_on_host(request, settings.MBN_BASE_DOMAIN, "")


def memberships_url(request: HttpRequest, launch: LtiLaunch) -> str:
    # Lower case: some tools' libraries lower-case the pages' links they follow.
    path = f"/lti/nrps/{launch.establishment.uai.lower()}/{launch.class_id}/memberships"
    return url_on_host(request, settings.MBN_BASE_DOMAIN, path)


def _not_configured() -> None:
    if lti.platform_key() is None:
        raise NotFound()


class LtiLaunchView(RolesRequiredMixin, View):
    """Start a launch from the school: the class (``?class=``) must be the person's own (their
    class, a class they teach; any class for the establishment's leaders)."""

    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest, tool_id: int) -> HttpResponse:
        _not_configured()
        establishment = establishment_served(request)
        access = request_access(request)
        tool = LtiTool.objects.prefetch_related("establishments").filter(pk=tool_id).first()
        if tool is None:
            raise NotFound()
        class_id = query_int(request.GET, "class")
        school_class = None
        if class_id is not None:
            mine = school_roster().classes_of(
                user_id=access.user_id or 0, all_classes=bool(access.roles & APP_ADMIN_ROLES)
            )
            school_class = next((c for c in mine if c.pk == class_id), None)
            if school_class is None:
                raise NotFound()
        user = request.user
        assert isinstance(user, User)  # noqa: S101 (ANY_MEMBER: signed in)
        target = lti_launch_start(
            user=user,
            establishment=establishment,
            roles=sorted(access.roles),
            tool=tool,
            school_class=school_class,
            issuer=issuer(request),
            return_url=request.build_absolute_uri("/resources/"),
        )
        return HttpResponseRedirect(target)


class LtiAuthorizeView(View):
    """The tool's authorization request (GET or POST): answers with the page that posts the
    signed launch to the tool's registered redirect URI."""

    allow_anonymous = True  # the launch's person must be the signed-in one (checked below)
    forbidden_while_impersonating = True

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.answer(request, request.GET.dict())

    @method_decorator(csrf_exempt)
    def post(self, request: HttpRequest) -> HttpResponse:
        return self.answer(request, request.POST.dict())

    def answer(self, request: HttpRequest, params: dict[str, str]) -> HttpResponse:
        _not_configured()
        user = request.user if isinstance(request.user, User) else None
        launch, redirect_uri = lti_authorize(user=user, params=params)
        assert user is not None  # noqa: S101 (lti_authorize refuses anyone else)
        claims = lti.launch_claims(
            launch=launch,
            user=user,
            nonce=params["nonce"],
            issuer=issuer(request),
            memberships_url=memberships_url(request, launch),
        )
        page = render(
            request,
            "connectors/lti_post.html",
            {"destination": redirect_uri, "id_token": lti.sign(claims), "state": params.get("state", "")},
        )
        parts = urlsplit(redirect_uri)
        page._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
        return page


class LtiJwksView(View):
    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        return JsonResponse(lti.platform_jwks())


@method_decorator(csrf_exempt, name="dispatch")
class LtiTokenView(View):
    """The client-credentials grant (RFC 6749 §4.4) with a private_key_jwt assertion."""

    allow_anonymous = True  # the tool authenticates itself with its signed assertion
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            body = lti_token_issue(
                params=request.POST.dict(),
                audience=url_on_host(request, settings.MBN_BASE_DOMAIN, "/lti/token/"),
            )
        except LtiRefused as refused:
            error = refused.message if refused.message.isidentifier() else "invalid_request"
            return JsonResponse({"error": error}, status=401 if error == "invalid_client" else 400)
        return JsonResponse(body, headers={"Cache-Control": "no-store"})


class LtiMembershipsView(View):
    """The names and roles service: the class's roster, for a tool launched from that class."""

    allow_anonymous = True  # the tool's access token is the credential

    def get(self, request: HttpRequest, uai: str, class_id: int) -> HttpResponse:
        scheme, _sep, raw = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        token = (
            LtiAccessToken.objects.select_related("tool")
            .filter(token_hash=lti.token_hash(raw.strip()), expires_at__gt=timezone.now())
            .first()
            if scheme.lower() == "bearer" and raw
            else None
        )
        if token is None or not token.tool.is_active or not token.tool.roster_access:
            return JsonResponse(
                {"error": "invalid_token"}, status=401, headers={"WWW-Authenticate": "Bearer"}
            )
        tool = token.tool
        establishment = Establishment.objects.filter(uai=uai.upper()).first()
        launched = establishment is not None and (
            LtiLaunch.objects.filter(tool=tool, establishment=establishment, class_id=class_id).exists()
        )
        places = set(tool.establishments.values_list("pk", flat=True))
        if establishment is None or not launched or (places and establishment.pk not in places):
            raise NotFound()
        limit = query_int(request.GET, "limit", default=PAGE_DEFAULT, minimum=1, maximum=PAGE_MAX) or 1
        page = query_int(request.GET, "page", default=1, minimum=1, maximum=100_000) or 1
        body, has_next = self.container(request, tool, establishment, class_id, limit, page)
        response = JsonResponse(body, content_type=MEMBERSHIPS_TYPE)
        if has_next:
            following = request.build_absolute_uri(
                f"{request.path}?{urlencode({'limit': limit, 'page': page + 1})}"
            )
            response["Link"] = f'<{following}>; rel="next"'
        return response

    def container(
        self,
        request: HttpRequest,
        tool: LtiTool,
        establishment: Establishment,
        class_id: int,
        limit: int,
        page: int,
    ) -> tuple[dict[str, Any], bool]:
        with schema_context(establishment.schema_name):
            roster = school_roster()
            school_class = roster.class_get(class_id=class_id)
            if school_class is None:
                raise NotFound()
            rows = roster.class_members(class_id=class_id)
        start = (page - 1) * limit
        chosen = rows[start : start + limit]
        users = User.objects.in_bulk([row.user_id for row in chosen])
        members = []
        for row in chosen:
            person = users.get(row.user_id)
            if person is None or not person.is_active:
                continue
            member: dict[str, Any] = {
                "status": "Active",
                "user_id": lti.tool_subject(user_id=row.user_id, tool=tool),
                "roles": [lti.lis_roles([row.role])[0]],
            }
            if tool.share_name:
                member.update(
                    name=person.get_full_name(), given_name=person.first_name, family_name=person.last_name
                )
            if tool.share_email and person.email:
                member["email"] = person.email
            members.append(member)
        body = {
            "id": request.build_absolute_uri(request.path),
            "context": {
                "id": lti.context_id(uai=establishment.uai, class_id=class_id),
                "label": school_class.name,
                "title": f"{school_class.name} — {establishment.name}"[:200],
            },
            "members": members,
        }
        return body, start + limit < len(rows)
