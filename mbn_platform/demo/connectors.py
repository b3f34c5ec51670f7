"""The demo's connected applications: the MBN app (a public client, for the whole region), the
collège's Moodle (its own, OpenID Connect), the académie's Moodle (an LTI 1.3 tool of the
region, launched from the resources page with the class), and Claire Martin signed in to the MBN app (her
account's "Connected applications" lists it). Idempotent: found by name, made once."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shared_apps.connectors.lti_services import lti_tool_register
from shared_apps.connectors.models import AppGrant, CasService, ConnectedApp, LtiTool
from shared_apps.connectors.services import app_grant_record, cas_service_register, connected_app_register
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenants.models import Establishment

MOBILE_APP = "Application MBN"
MOBILE_REDIRECT = "fr.mbn.app://oauth/callback"


def connectors_seed(establishments: dict[str, Establishment]) -> int:
    """Returns the number of applications it registered (0 when they exist)."""
    made = 0
    mobile = ConnectedApp.objects.filter(application__name=MOBILE_APP).first()
    if mobile is None:
        mobile, _secret = connected_app_register(
            actor=None,
            name=MOBILE_APP,
            redirect_uris=[MOBILE_REDIRECT],
            client_type="public",
            requires_consent=False,
        )
        made += 1
    college = establishments["pasteur"]
    moodle_name = f"Moodle — {college.name}"
    moodle = f"https://moodle.{college.uai.lower()}.example"
    if not ConnectedApp.objects.filter(application__name=moodle_name).exists():
        connected_app_register(
            actor=None,
            name=moodle_name,
            redirect_uris=[f"{moodle}/admin/oauth2callback.php"],
            owner_establishment=college,
            allowed_roles=[Role.STUDENT, Role.TEACHER],
            share_name=True,
            launch_url=f"{moodle}/auth/oauth2/login.php?id=1&wantsurl=/",
        )
        made += 1
    timetable_tool = f"https://edt.{college.uai.lower()}.example/"
    if not CasService.objects.filter(service_prefix=timetable_tool).exists():
        cas_service_register(
            actor=None,
            name="Logiciel d'emploi du temps et de notes",
            service_prefix=timetable_tool,
            launch_url=f"{timetable_tool}eleve.html",
            owner_establishment=college,
            share_name=True,
        )
        made += 1
    made += _lti_seed(list(establishments.values()))
    claire = User.objects.filter(login="claire.martin").first()
    if (
        claire is not None
        and not AppGrant.objects.filter(user=claire, application=mobile.application).exists()
    ):
        grant = app_grant_record(
            user=claire, application=mobile.application, scope="openid read", second_factor=False
        )
        AppGrant.objects.filter(pk=grant.pk).update(granted_at=timezone.now() - datetime.timedelta(days=12))
    return made


ACADEMY_MOODLE = "Moodle de l'académie"
ACADEMY_MOODLE_URL = "https://moodle.academie.example"


def _lti_seed(schools: list[Establishment]) -> int:
    """The académie's Moodle as an LTI 1.3 tool of the region for the demo's schools (Moodle's
    "Publish as LTI tool" addresses): every student and teacher launches it from the resources
    page, their class as the course section, with their name (Moodle creates the accounts)."""
    if LtiTool.objects.filter(name=ACADEMY_MOODLE).exists():
        return 0
    lti_tool_register(
        actor=None,
        owner_establishment=None,
        establishments=schools,
        name=ACADEMY_MOODLE,
        login_url=f"{ACADEMY_MOODLE_URL}/enrol/lti/login.php?id=6f1c2a9e",
        launch_url=f"{ACADEMY_MOODLE_URL}/enrol/lti/launch.php",
        redirect_uris=[
            f"{ACADEMY_MOODLE_URL}/enrol/lti/launch.php",
            f"{ACADEMY_MOODLE_URL}/enrol/lti/launch_deeplink.php",
        ],
        jwks_url=f"{ACADEMY_MOODLE_URL}/enrol/lti/jwks.php",
        allowed_roles=[Role.STUDENT, Role.TEACHER],
        share_name=True,
    )
    return 1
