"""What identity holds about people, declared for the records of processing, the access export
and the retention purge (``mbn_platform.kernel.privacy``)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.privacy import REGION, ExportPart, Processing, privacy_register
from shared_apps.identity.auth_models import SignInFailure, UserSession
from shared_apps.identity.models import GuardianLink, Membership, User


def _export(user_ids: frozenset[int]) -> list[ExportPart]:
    fields = ("id", "login", "email", "first_name", "last_name", "national_id", "language", "date_joined")
    people = [
        {**{f: str(getattr(u, f)) for f in fields}, "notification_preferences": u.notification_preferences}
        for u in User.objects.filter(pk__in=user_ids)
    ]
    memberships = [
        {"establishment": m.establishment.uai, "role": m.role, "status": m.status, "since": str(m.created_at)}
        for m in Membership.objects.filter(user_id__in=user_ids).select_related("establishment")
    ]
    links = [
        {
            "guardian": link.guardian.display_name,
            "child": link.child.display_name,
            "responsibility_level": link.responsibility_level,
            "may_act": link.can_act,
        }
        for link in GuardianLink.objects.filter(guardian_id__in=user_ids).select_related("guardian", "child")
        | GuardianLink.objects.filter(child_id__in=user_ids).select_related("guardian", "child")
    ]
    sessions = [
        {"started": str(s.created_at), "ended": str(s.ended_at or ""), "device": s.user_agent[:200]}
        for s in UserSession.objects.filter(user_id__in=user_ids)
    ]
    return [
        ExportPart("account", people),
        ExportPart("memberships", memberships),
        ExportPart("guardian_links", links),
        ExportPart("sessions", sessions),
    ]


def _purge_sessions(now: datetime.datetime) -> int:
    days = settings.PRIVACY_RETENTION_DAYS
    ended = UserSession.objects.filter(ended_at__lt=now - timedelta(days=days["ended_sessions"])).delete()[0]
    failures = SignInFailure.objects.filter(created_at__lt=now - timedelta(days=days["sign_in_failures"]))
    expired = Session.objects.filter(expire_date__lt=now).delete()[0]
    return int(ended + failures.delete()[0] + expired)


def register() -> None:
    privacy_register(
        Processing(
            key="identity.accounts",
            name=_("Accounts, roles and guardian links"),
            purpose=_(
                "Let each person sign in once for the region and use the establishments they belong to."
            ),
            legal_basis=_("Public interest mission of the region (digital workspace for its schools)."),
            data=[_("names, login, e-mail address, national identifier (INE)"), _("roles, guardian links")],
            people=[_("students"), _("guardians"), _("staff"), _("region agents")],
            recipients=[_("the person's establishments"), _("the region's operators and support agents")],
            retention=_(
                "While the person has a role; then 3 months (students, guardians) or 1 year (staff)."
            ),
            scope=REGION,
            export=_export,
        )
    )
    privacy_register(
        Processing(
            key="identity.sign_in",
            name=_("Sign-in security"),
            purpose=_("Protect accounts: sessions, failed sign-ins, second factor."),
            legal_basis=_("Legal obligation of security (GDPR art. 32)."),
            data=[_("sessions (address, device), failed sign-ins, authenticator (encrypted)")],
            people=[_("every account")],
            recipients=[_("the person"), _("the region's support agents")],
            retention=_("Sessions 3 months after they end; failed sign-ins 30 days."),
            scope=REGION,
            purge=_purge_sessions,
        )
    )
