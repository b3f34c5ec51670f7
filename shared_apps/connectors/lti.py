"""LTI 1.3 core, the platform's side: its key and JWKS, the signed launch (the ``id_token`` with
the LTI claims), the tools' signed client assertions and the names and roles service's tokens.

The platform (MBN) launches a tool (a Moodle, a publisher's tool) as LTI 1.3 core says: the
school's page sends the person to the tool's login initiation with a ``login_hint`` (an
``LtiLaunch``, made on the school's host with the class as context); the tool sends them back to
the authorization endpoint (``lti_views``), which answers with a page that posts the signed
``id_token`` to the tool's registered redirect URI. Claims are minimal by default: an opaque
subject for this tool alone, the roles mapped to LIS roles, the class as context; the name and
the e-mail address only when the tool was granted them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.request
from typing import Any

from django.conf import settings
from jwcrypto import jwk, jwt

from shared_apps.connectors.models import LtiLaunch, LtiTool
from shared_apps.connectors.policy import pairwise_subject
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
COURSE_SECTION = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

#: The platform's roles as LIS roles: context roles (the class) and institution roles.
LIS_ROLES: dict[str, tuple[str, ...]] = {
    Role.STUDENT: (MEMBERSHIP + "Learner", INSTITUTION + "Student"),
    Role.TEACHER: (MEMBERSHIP + "Instructor", INSTITUTION + "Faculty"),
    Role.HEAD: (MEMBERSHIP + "Administrator", INSTITUTION + "Administrator"),
    Role.ESTABLISHMENT_ADMIN: (MEMBERSHIP + "Administrator", INSTITUTION + "Administrator"),
    Role.SCHOOL_LIFE: (INSTITUTION + "Staff",),
    Role.ADMIN_STAFF: (INSTITUTION + "Staff",),
    Role.DIGITAL_REFERENT: (INSTITUTION + "Staff",),
}

#: How long a launch (its login hint) may wait for the tool's authorization request, in seconds.
LAUNCH_SECONDS = 300
ID_TOKEN_SECONDS = 300
ACCESS_TOKEN_SECONDS = 3600


def lis_roles(roles: list[str]) -> list[str]:
    found: list[str] = []
    for role in roles:
        for lis in LIS_ROLES.get(role, ()):
            if lis not in found:
                found.append(lis)
    return found


def platform_key() -> jwk.JWK | None:
    """The platform's signing key (None in production until ``LTI_PRIVATE_KEY`` is set)."""
    if not settings.LTI_PRIVATE_KEY:
        return None
    return jwk.JWK.from_pem(settings.LTI_PRIVATE_KEY.encode())


def platform_jwks() -> dict[str, Any]:
    key = platform_key()
    if key is None:
        return {"keys": []}
    public = key.export_public(as_dict=True)
    public.update(kid=key.thumbprint(), alg="RS256", use="sig")
    return {"keys": [public]}


def sign(claims: dict[str, Any]) -> str:
    key = platform_key()
    if key is None:
        raise RuntimeError("LTI_PRIVATE_KEY is not configured.")
    token = jwt.JWT(header={"alg": "RS256", "kid": key.thumbprint(), "typ": "JWT"}, claims=claims)
    token.make_signed_token(key)
    return str(token.serialize())


def tool_subject(*, user_id: int, tool: LtiTool) -> str:
    """The person's identifier for this tool only."""
    return pairwise_subject(user_id=user_id, client_id=tool.client_key)


def context_id(*, uai: str, class_id: int) -> str:
    return f"{uai}-{class_id}"


def launch_claims(
    *, launch: LtiLaunch, user: User, nonce: str, issuer: str, memberships_url: str
) -> dict[str, Any]:
    """The ``id_token`` of an ``LtiResourceLinkRequest`` for this launch."""
    tool = launch.tool
    now = int(time.time())
    uai = launch.establishment.uai
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": tool.client_id,
        "azp": tool.client_id,
        "sub": tool_subject(user_id=user.pk, tool=tool),
        "iat": now,
        "exp": now + ID_TOKEN_SECONDS,
        "nonce": nonce,
        LTI + "message_type": "LtiResourceLinkRequest",
        LTI + "version": "1.3.0",
        LTI + "deployment_id": tool.deployment_id,
        LTI + "target_link_uri": tool.launch_url,
        LTI + "resource_link": {"id": f"{tool.client_id}-{uai}-{launch.class_id or 0}", "title": tool.name},
        LTI + "roles": lis_roles(launch.roles),
        LTI + "tool_platform": {
            "guid": issuer,
            "name": "MBN",
            "product_family_code": "mbn",
        },
        LTI + "launch_presentation": {
            "document_target": "window",
            "return_url": launch.return_url,
            "locale": user.language or "fr",
        },
        LTI + "custom": {"uai": uai},
    }
    if launch.class_id is not None:
        claims[LTI + "context"] = {
            "id": context_id(uai=uai, class_id=launch.class_id),
            "label": launch.class_label,
            "title": launch.class_title,
            "type": [COURSE_SECTION],
        }
        if tool.roster_access:
            claims[NRPS_CLAIM] = {"context_memberships_url": memberships_url, "service_versions": ["2.0"]}
    if tool.share_name:
        claims.update(given_name=user.first_name, family_name=user.last_name, name=user.get_full_name())
    if tool.share_email and user.email:
        claims["email"] = user.email
    return claims


def tool_keys(tool: LtiTool) -> jwk.JWKSet:
    """The tool's public keys: its PEM, or its JWKS address (read with a short timeout)."""
    keys = jwk.JWKSet()
    if tool.public_key.strip():
        keys.add(jwk.JWK.from_pem(tool.public_key.encode()))
    elif tool.jwks_url:
        with urllib.request.urlopen(tool.jwks_url, timeout=5) as answer:  # noqa: S310 (https, checked)
            keys = jwk.JWKSet.from_json(answer.read().decode())
    return keys


def assertion_claims(*, assertion: str, tool: LtiTool, audience: str) -> dict[str, Any] | None:
    """The claims of a tool's client assertion (private_key_jwt), or None when it is not valid:
    signed by the tool's key, issued by and about the tool, for this token endpoint, not expired."""
    try:
        token = jwt.JWT(
            jwt=assertion,
            key=tool_keys(tool),
            algs=["RS256"],
            check_claims={"iss": tool.client_id, "sub": tool.client_id, "exp": None},
        )
        claims: dict[str, Any] = json.loads(token.claims)
    except Exception:
        return None
    audiences = claims.get("aud")
    audiences = audiences if isinstance(audiences, list) else [audiences]
    if audience not in audiences or not claims.get("jti"):
        return None
    return claims


def unverified_issuer(assertion: str) -> str:
    """The ``iss`` of a JWT before its signature is checked (to find the tool's key)."""
    try:
        segment = assertion.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (IndexError, ValueError, TypeError):
        return ""
    if not isinstance(claims, dict):
        return ""
    return str(claims.get("iss", ""))[:64]


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
