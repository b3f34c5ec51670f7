"""Region-wide identity (public schema): one account per person, memberships, guardian links.

Tenant schemas never hold a foreign key to these tables: they store the region-wide user id
(``User.id``) and keep a small local row per member (``tenant_apps.school.Member``).
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.identity.roles import RegionRole, Role

login_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9._-]{1,63}$",
    _("A login is 2 to 64 lowercase letters, digits, dots, hyphens or underscores."),
)


class UserManager(BaseUserManager["User"]):
    def create_user(self, login: str, password: str | None = None, **fields: object) -> User:
        user = self.model(login=login.lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, login: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(login, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One account per person for the whole region."""

    login = models.CharField(_("login"), max_length=64, unique=True, validators=[login_validator])
    email = models.EmailField(_("e-mail address"), blank=True, default="")
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    # National identifier where one exists (INE for students); links imports to existing people.
    national_id = models.CharField(_("national identifier"), max_length=32, blank=True, default="")
    language = models.CharField(
        _("language"), max_length=8, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    # Per topic and channel, e.g. {"grades": {"email": false}}; see ``identity.profile`` for the
    # topics, the channels and the defaults filled in for anything not set.
    notification_preferences = models.JSONField(_("notification preferences"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform admin site access"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "login"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="identity_user_unique_email"
            ),
            models.UniqueConstraint(
                "national_id", condition=~models.Q(national_id=""), name="identity_user_unique_national_id"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.login

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.first_name or self.login


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DEPARTED = "departed", _("Departed")
    # A student enrolled elsewhere: waits until the other establishment releases them
    # (``shared_apps/identity/transfers.py``); gives no access.
    PENDING = "pending", _("Awaiting the other establishment")


class Membership(models.Model):
    """A person's role in one establishment. Departed memberships keep the history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    establishment = models.ForeignKey(
        "tenants.Establishment", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("membership")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "establishment", "role"], name="identity_membership_unique_role"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["establishment", "status", "role"], name="identity_mship_estab_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.establishment_id}"


class RegionRoleAssignment(models.Model):
    """A public-side role (region operator, support, funder viewer)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="region_roles")
    role = models.CharField(_("role"), max_length=32, choices=RegionRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("region role")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "role"], name="identity_regionrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role}"


class ResponsibilityLevel(models.IntegerChoices):
    LEGAL = 1, _("Legal guardian")
    FINANCIAL = 2, _("Financially responsible")
    OTHER = 3, _("Other contact")


class GuardianLink(models.Model):
    """A guardian linked to a child, wherever the child studies."""

    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links")
    child = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardian_links")
    responsibility_level = models.PositiveSmallIntegerField(
        _("responsibility level"), choices=ResponsibilityLevel.choices, default=ResponsibilityLevel.LEGAL
    )
    can_act = models.BooleanField(
        _("may act"),
        default=True,
        help_text=_("Whether the guardian may act for the child (justify an absence, sign a form)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guardian link")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["guardian", "child"], name="identity_guardianlink_unique"),
            models.CheckConstraint(
                condition=~models.Q(guardian=models.F("child")), name="identity_guardianlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_id} -> {self.child_id}"


class TransferOutcome(models.TextChoices):
    WAITING = "", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class EnrolmentTransfer(models.Model):
    """A student enrolled in one establishment asked for by another: the new establishment's
    student membership stays ``pending`` until the student's current establishment releases them
    (or the region does). See ``shared_apps/identity/transfers.py``."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="transfers")
    class_name = models.CharField(max_length=40, blank=True, default="")
    requested_by_id = models.BigIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by_id = models.BigIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=TransferOutcome.choices, blank=True, default="")

    class Meta:
        verbose_name = _("enrolment transfer")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(outcome=""),
                name="identity_transfer_one_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk} of membership {self.membership_id}"


# Sign-in state lives in its own module; imported here so that Django registers it in this app.
from shared_apps.identity.auth_models import (  # noqa: E402
    RecoveryCode,
    SignInFailure,
    SignInLockout,
    TOTPDevice,
    UserSession,
)

__all__ = [
    "EnrolmentTransfer",
    "GuardianLink",
    "Membership",
    "MembershipStatus",
    "RecoveryCode",
    "RegionRoleAssignment",
    "ResponsibilityLevel",
    "SignInFailure",
    "SignInLockout",
    "TOTPDevice",
    "TransferOutcome",
    "User",
    "UserSession",
]


class CalendarFeedToken(models.Model):
    """A person's secret address of their calendar feed on the portal (every school's lessons,
    their children's too). Only a hash is stored; making a new one or revoking ends the previous."""

    user = models.ForeignKey("identity.User", on_delete=models.CASCADE, related_name="calendar_feed_tokens")
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["token_hash"], name="identity_calendar_feed_unique_token"),
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
