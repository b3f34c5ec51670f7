"""Connected applications (OpenID Connect clients, the mobile app) and what people granted them.

The OAuth 2 / OpenID Connect tables themselves are django-oauth-toolkit's (``oauth2_provider``:
applications, grants, access and refresh tokens, ID tokens). Beside each application,
``ConnectedApp`` holds the platform's rules: which establishments and roles may use it, which
claims it receives; ``AppGrant`` is one person's authorisation of one application (the "connected
app" they can list and revoke), with whether it was given after a second factor.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class AccessRules(models.Model):
    """Who may use an application (OIDC or CAS) and what it learns of them (``policy``)."""

    # Registered by an establishment's admin (for that establishment only), or by the region (None).
    owner_establishment = models.ForeignKey(
        "tenants.Establishment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The establishment roles that may use it; none: every role.
    allowed_roles = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    share_name = models.BooleanField(_("share the name"), default=False)
    share_email = models.BooleanField(_("share the e-mail address"), default=False)
    # Where the resources page opens it (the tool's own sign-in start); blank: not on the page.
    launch_url = models.CharField(max_length=500, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class ConnectedApp(AccessRules):
    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, related_name="connected"
    )
    # The establishments whose members may use it; none: every establishment (region apps only).
    establishments = models.ManyToManyField(
        "tenants.Establishment", blank=True, related_name="connected_apps"
    )
    requires_consent = models.BooleanField(_("ask for consent"), default=True)

    class Meta:
        ordering = ("application__name",)

    def __str__(self) -> str:
        return str(self.application.name)

    @property
    def name(self) -> str:
        return str(self.application.name)

    @property
    def client_key(self) -> str:
        """What makes the subject of a person different for each application."""
        return str(self.application.client_id)


class CasService(AccessRules):
    """A school tool that signs people in with CAS (2.0/3.0): known by its address's prefix."""

    name = models.CharField(max_length=255)
    service_prefix = models.CharField(max_length=500, unique=True)
    establishments = models.ManyToManyField("tenants.Establishment", blank=True, related_name="cas_services")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def client_key(self) -> str:
        return f"cas:{self.pk}"


class CasTicket(models.Model):
    """A service ticket: valid once, for one service address, for a minute."""

    ticket = models.CharField(max_length=64, unique=True)
    service = models.ForeignKey(CasService, on_delete=models.CASCADE, related_name="tickets")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    service_url = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.ticket[:8]


class AppGrant(models.Model):
    """A person's authorisation of an application: listed and revoked from their account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_grants")
    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, related_name="app_grants"
    )
    scope = models.TextField(blank=True)
    # When the person last authorised it with a verified second factor; None: never.
    second_factor_at = models.DateTimeField(null=True, blank=True)
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("user", "application"), name="connectors_grant_user_app_unique")
        ]
        ordering = ("-granted_at",)

    def __str__(self) -> str:
        return f"{self.user_id} → {self.application_id}"


class LtiTool(AccessRules):
    """An external tool the platform launches with LTI 1.3 (a Moodle, a publisher's tool).

    ``launch_url`` (from ``AccessRules``) is the tool's target link URI; the tool proves itself
    to the token endpoint with a JWT signed by the key of ``jwks_url`` or ``public_key``.
    """

    name = models.CharField(max_length=255)
    client_id = models.CharField(max_length=64, unique=True)
    deployment_id = models.CharField(max_length=64)
    login_url = models.CharField(max_length=500)  # the tool's OIDC third-party login initiation
    redirect_uris = ArrayField(models.CharField(max_length=500), default=list)
    jwks_url = models.CharField(max_length=500, blank=True, default="")
    public_key = models.TextField(blank=True, default="")  # PEM, when the tool has no JWKS address
    # The tool may read the roster of the classes it was launched from (names and roles service).
    roster_access = models.BooleanField(_("names and roles of the class"), default=True)
    establishments = models.ManyToManyField("tenants.Establishment", blank=True, related_name="lti_tools")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def client_key(self) -> str:
        return f"lti:{self.client_id}"


class LtiLaunch(models.Model):
    """One launch of a tool by a person, from a class: the login hint the tool sends back to the
    authorization endpoint, with everything the signed launch says (taken on the school's host)."""

    hint = models.CharField(max_length=64, unique=True)
    tool = models.ForeignKey(LtiTool, on_delete=models.CASCADE, related_name="launches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    establishment = models.ForeignKey("tenants.Establishment", on_delete=models.CASCADE, related_name="+")
    roles = ArrayField(models.CharField(max_length=32), default=list)
    class_id = models.BigIntegerField(null=True, blank=True)
    class_label = models.CharField(max_length=60, blank=True, default="")
    class_title = models.CharField(max_length=200, blank=True, default="")
    return_url = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=("tool", "establishment", "class_id"), name="connectors_lti_ctx_idx")]

    def __str__(self) -> str:
        return self.hint[:8]


class LtiNonce(models.Model):
    """A nonce (launch) or a JWT id (client assertion) already seen: never accepted twice."""

    tool = models.ForeignKey(LtiTool, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("tool", "value"), name="connectors_lti_nonce_unique")]

    def __str__(self) -> str:
        return self.value[:8]


class LtiAccessToken(models.Model):
    """A token of the client-credentials grant (names and roles service), stored as a hash."""

    tool = models.ForeignKey(LtiTool, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.TextField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.token_hash[:8]


class GarExportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class GarExport(models.Model):
    """One night's export of the establishments' people, classes and groups to the GAR."""

    night = models.DateField(unique=True)
    status = models.CharField(max_length=16, choices=GarExportStatus.choices, default=GarExportStatus.RUNNING)
    counts = models.JSONField(default=dict, blank=True)  # {"establishments": n, "students": n, …}
    files = models.JSONField(default=list, blank=True)  # the names of the delivered files
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-night",)

    def __str__(self) -> str:
        return f"GAR {self.night}"


class GarExclusion(models.Model):
    """A person left out of the GAR's export at an establishment (an objection, not concerned)."""

    establishment = models.ForeignKey("tenants.Establishment", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("establishment", "user"), name="connectors_gar_exclusion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id}:{self.user_id}"
