"""The installed applications: shared (public schema) or tenant (one schema per establishment),
never both (moving one later needs migration surgery). A new app adds its line here."""

# An app is either shared (public schema) or tenant (one schema per establishment), never both.
SHARED_APPS = [
    "django_tenants",
    "mbn_platform",
    "tenants",
    "shared_apps.identity",
    "shared_apps.notifications",
    "shared_apps.audit",
    "shared_apps.directory",
    "shared_apps.support",
    "shared_apps.privacy",
    "shared_apps.billing",
    "shared_apps.schoolcalendar",
    "shared_apps.connectors",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.admin",
    "rest_framework",
    # OAuth 2 / OpenID Connect provider (shared_apps/connectors): the only way to get an API token.
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no CDN)
]
TENANT_APPS = [
    "tenant_apps.school",
    "tenant_apps.structure",
    "tenant_apps.timetable",
    "tenant_apps.attendance",
    "tenant_apps.discipline",
    "tenant_apps.appointments",
    "tenant_apps.forms",
    "tenant_apps.grades",
    "tenant_apps.reportcards",
    "tenant_apps.homework",
    "tenant_apps.messaging",
    "tenant_apps.news",
    "tenant_apps.documents",
    "tenant_apps.spaces",
    "tenant_apps.notifications",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]
