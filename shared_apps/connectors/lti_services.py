"""Writes of LTI 1.3: registering tools, starting a launch (school's host), answering the tool's
authorization request (portal), the client-credentials tokens of the names and roles service.

Every write is atomic and audited (``connectors.lti_*``). A launch's login hint works once, for
five minutes, for the person who started it; a nonce or a client assertion's ``jti`` is never
accepted twice for a tool.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from shared_apps.connectors import lti
from shared_apps.connectors.models import LtiAccessToken, LtiLaunch, LtiNonce, LtiTool
from shared_apps.connectors.permissions import APP_ROLE_CHOICES
from shared_apps.connectors.rosters import RosterClass
from shared_apps.identity.models import User
from tenants.models import Establishment


class LtiRefused(ApplicationError):
    status = 400
    code = ErrorCode.LTI_LAUNCH_INVALID
    default_message = _("This launch request is not valid.")


TOOL_FIELDS = (
    "name",
    "deployment_id",
    "login_url",
    "launch_url",
    "redirect_uris",
    "jwks_url",
    "public_key",
    "allowed_roles",
    "share_name",
    "share_email",
    "roster_access",
)


def _url_ok(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.netloc) and len(url) <= 500


def _tool_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = str(values.get("name", "")).strip()
    if not name or len(name) > 255:
        errors["name"] = [_("Give the tool a name (255 characters at most).")]
    for field in ("login_url", "launch_url"):
        if not _url_ok(str(values.get(field, ""))):
            errors[field] = [_("Give an address (https://…).")]
    uris = list(values.get("redirect_uris") or [])
    if not uris or not all(_url_ok(u) for u in uris):
        errors["redirect_uris"] = [_("Give the tool's redirect addresses (https://…).")]
    jwks_url, public_key = str(values.get("jwks_url", "")), str(values.get("public_key", ""))
    if jwks_url and not _url_ok(jwks_url):
        errors["jwks_url"] = [_("Give an address (https://…).")]
    if not jwks_url and not public_key.strip():
        errors["public_key"] = [_("Give the tool's key set address or its public key.")]
    if public_key.strip():
        try:
            from jwcrypto import jwk

            jwk.JWK.from_pem(public_key.encode())
        except (ValueError, TypeError):
            errors["public_key"] = [_("This is not a public key in PEM format.")]
    known = {value for value, _label in APP_ROLE_CHOICES}
    if any(role not in known for role in values.get("allowed_roles") or []):
        errors["allowed_roles"] = [_("Unknown role.")]
    if not str(values.get("deployment_id", "")).strip() or len(str(values.get("deployment_id"))) > 64:
        errors["deployment_id"] = [_("Give the deployment id (64 characters at most).")]
    return errors


@transaction.atomic
def lti_tool_register(
    *,
    actor: Actor | None,
    owner_establishment: Establishment | None,
    establishments: Iterable[Establishment] = (),
    **values: Any,
) -> LtiTool:
    """Register a tool: an establishment's for that establishment only, the region's for the
    establishments named (none: every establishment)."""
    values.setdefault("deployment_id", "1")
    errors = _tool_errors(values)
    if errors:
        raise ValidationFailed(fields=errors)
    fields = {key: values[key] for key in TOOL_FIELDS if key in values}
    fields["name"] = str(fields["name"]).strip()
    fields["allowed_roles"] = sorted(set(fields.get("allowed_roles") or []))
    tool = LtiTool.objects.create(
        client_id=secrets.token_hex(16),
        owner_establishment=owner_establishment,
        created_by_id=actor_id(actor),
        **fields,
    )
    targets = [owner_establishment] if owner_establishment is not None else list(establishments)
    tool.establishments.set(targets)
    audit_record(
        actor=actor,
        action="connectors.lti_tool_registered",
        establishment=owner_establishment,
        target=tool,
        details={"name": tool.name, "client_id": tool.client_id, "establishments": [e.uai for e in targets]},
    )
    return tool


@transaction.atomic
def lti_tool_update(*, actor: Actor | None, tool: LtiTool, **changes: Any) -> LtiTool:
    before = {key: getattr(tool, key) for key in changes if key in TOOL_FIELDS}
    values = {key: getattr(tool, key) for key in TOOL_FIELDS} | {
        k: v for k, v in changes.items() if k in TOOL_FIELDS
    }
    errors = _tool_errors(values)
    if errors:
        raise ValidationFailed(fields=errors)
    for key in before:
        setattr(tool, key, values[key])
    tool.allowed_roles = sorted(set(tool.allowed_roles))
    tool.save()
    audit_record(
        actor=actor,
        action="connectors.lti_tool_updated",
        establishment=tool.owner_establishment,
        target=tool,
        details={"before": {k: v for k, v in before.items() if k != "public_key"}, "fields": sorted(before)},
    )
    return tool


@transaction.atomic
def lti_tool_remove(*, actor: Actor | None, tool: LtiTool) -> None:
    """Remove a tool: no more launches, its tokens stop at once."""
    audit_record(
        actor=actor,
        action="connectors.lti_tool_removed",
        establishment=tool.owner_establishment,
        target=tool,
        details={"name": tool.name, "client_id": tool.client_id},
    )
    tool.delete()


def tool_open_here(*, tool: LtiTool, establishment_id: int, roles: Iterable[str]) -> bool:
    """Whether a person with these roles here may launch the tool (its establishments, its roles)."""
    if not tool.is_active:
        return False
    places = {e.pk for e in tool.establishments.all()}
    if places and establishment_id not in places:
        return False
    return not tool.allowed_roles or bool(set(roles) & set(tool.allowed_roles))


@transaction.atomic
def lti_launch_start(
    *,
    user: User,
    establishment: Establishment,
    roles: list[str],
    tool: LtiTool,
    school_class: RosterClass | None,
    issuer: str,
    return_url: str = "",
) -> str:
    """Start a launch (the school's page); returns the tool's login initiation address."""
    if not tool_open_here(tool=tool, establishment_id=establishment.pk, roles=roles):
        raise NotFound()
    launch = LtiLaunch.objects.create(
        hint=secrets.token_urlsafe(32),
        tool=tool,
        user=user,
        establishment=establishment,
        roles=sorted(roles),
        class_id=school_class.pk if school_class else None,
        class_label=school_class.name if school_class else "",
        class_title=f"{school_class.name} — {establishment.name}"[:200] if school_class else "",
        return_url=return_url[:500],
    )
    audit_record(
        actor=user,
        action="connectors.lti_launched",
        establishment=establishment,
        target=tool,
        details={"client_id": tool.client_id, "class_id": launch.class_id},
    )
    query = {
        "iss": issuer,
        "login_hint": launch.hint,
        "lti_message_hint": launch.hint,
        "target_link_uri": tool.launch_url,
        "client_id": tool.client_id,
        "lti_deployment_id": tool.deployment_id,
    }
    separator = "&" if "?" in tool.login_url else "?"
    return f"{tool.login_url}{separator}{urlencode(query)}"


def _nonce_record(*, tool: LtiTool, value: str) -> bool:
    """Remember a nonce or a ``jti``; False when it was already seen (a replay)."""
    try:
        with transaction.atomic():
            LtiNonce.objects.create(tool=tool, value=value[:255])
    except IntegrityError:
        return False
    return True


@transaction.atomic
def lti_authorize(*, user: User | None, params: dict[str, str]) -> tuple[LtiLaunch, str]:
    """Check the tool's authorization request (LTI 1.3 core, §5.1.1); returns the launch and the
    redirect URI to post the ``id_token`` to. Any doubt refuses (never redirects elsewhere)."""
    expected = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
    }
    if any(params.get(key) != value for key, value in expected.items()):
        raise LtiRefused()
    launch = (
        LtiLaunch.objects.select_for_update()
        .select_related("tool", "establishment")
        .filter(hint=params.get("login_hint", ""), tool__client_id=params.get("client_id", ""))
        .first()
    )
    if launch is None or params.get("lti_message_hint") != launch.hint:
        raise LtiRefused()
    tool = launch.tool
    if params.get("redirect_uri") not in tool.redirect_uris:
        raise LtiRefused(_("This redirect address is not registered for the tool."))
    if user is None or user.pk != launch.user_id:
        raise PermissionDenied(_("This launch was started by someone else."), code=ErrorCode.APP_NOT_ALLOWED)
    if launch.used_at is not None or launch.created_at < timezone.now() - timedelta(
        seconds=lti.LAUNCH_SECONDS
    ):
        raise LtiRefused(_("This launch has expired: open the tool again."))
    nonce = params.get("nonce", "")
    if not nonce or not _nonce_record(tool=tool, value=f"nonce:{nonce}"):
        raise LtiRefused(_("This launch request was already used."))
    launch.used_at = timezone.now()
    launch.save(update_fields=["used_at"])
    return launch, str(params["redirect_uri"])


@transaction.atomic
def lti_token_issue(*, params: dict[str, str], audience: str) -> dict[str, Any]:
    """The client-credentials grant with a signed JWT (private_key_jwt): an access token for the
    names and roles service. Raises ``LtiRefused`` (``invalid_client``, ``invalid_scope``…)."""
    if params.get("grant_type") != "client_credentials" or params.get("client_assertion_type") != (
        lti.ASSERTION_TYPE
    ):
        raise LtiRefused("unsupported_grant_type")
    assertion = params.get("client_assertion", "")
    tool = LtiTool.objects.filter(client_id=lti.unverified_issuer(assertion), is_active=True).first()
    claims = lti.assertion_claims(assertion=assertion, tool=tool, audience=audience) if tool else None
    if tool is None or claims is None or not _nonce_record(tool=tool, value=f"jti:{claims['jti']}"):
        raise LtiRefused("invalid_client")
    scopes = set(params.get("scope", "").split())
    if lti.NRPS_SCOPE not in scopes or not tool.roster_access:
        raise LtiRefused("invalid_scope")
    raw = secrets.token_urlsafe(32)
    LtiAccessToken.objects.create(
        tool=tool,
        token_hash=lti.token_hash(raw),
        scope=lti.NRPS_SCOPE,
        expires_at=timezone.now() + timedelta(seconds=lti.ACCESS_TOKEN_SECONDS),
    )
    audit_record(
        actor=None, action="connectors.lti_token_issued", target=tool, details={"scope": lti.NRPS_SCOPE}
    )
    return {
        "access_token": raw,
        "token_type": "Bearer",
        "expires_in": lti.ACCESS_TOKEN_SECONDS,
        "scope": lti.NRPS_SCOPE,
    }


def lti_launch_url(tool: LtiTool, school_class: Any) -> str:
    """Where a school's page links to launch the tool with this class as context (a path on the
    school's host; ``school_class`` is anything with a ``pk``, e.g. the class of a class space)."""
    return f"/lti/launch/{tool.pk}/?{urlencode({'class': school_class.pk})}"


def lti_state_purge() -> int:
    """Nonces and ``jti`` older than a day (launches last 5 minutes, assertions a minute or so,
    ID tokens 5 minutes: none can be replayed after a day) and expired tokens."""
    day_ago = timezone.now() - timedelta(days=1)
    nonces, _kinds = LtiNonce.objects.filter(created_at__lt=day_ago).delete()
    tokens, _kinds = LtiAccessToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return nonces + tokens
