"""Routes of the support desk. Pages under /support/ (and /accounts/impersonations/), on the
portal (the agents' queue, starting an impersonation, approvals) and on every establishment's host
(entering and stopping an impersonation, the establishment's impersonations)."""

from __future__ import annotations

from django.urls import path

from shared_apps.support import (
    api,
    contact_views,
    help_views,
    impersonation_views,
    second_factor_views,
    views,
)

# Pages of every host.
page_urlpatterns = [
    path("help/", help_views.HelpCentreView.as_view(), name="help"),
    path("help/contact/", contact_views.ContactView.as_view(), name="support-contact"),
    path("help/guides/<slug:slug>/", help_views.HelpGuideView.as_view(), name="help-guide"),
    path(
        "support/requests/<int:request_id>/escalate/",
        contact_views.SupportRequestEscalateView.as_view(),
        name="support-request-escalate",
    ),
    path("support/requests/", views.SupportRequestListView.as_view(), name="support-requests"),
    path("support/requests/new/", views.SupportRequestNewView.as_view(), name="support-request-new"),
    path(
        "support/requests/<int:request_id>/",
        views.SupportRequestDetailView.as_view(),
        name="support-request-detail",
    ),
    path(
        "support/requests/<int:request_id>/screenshot/",
        views.SupportScreenshotView.as_view(),
        name="support-request-screenshot",
    ),
    path(
        "support/requests/<int:request_id>/resolve/",
        views.SupportRequestResolveView.as_view(),
        name="support-request-resolve",
    ),
    path(
        "accounts/impersonations/",
        impersonation_views.AccountImpersonationsView.as_view(),
        name="account-impersonations",
    ),
]

# Pages of the portal (support agents; the help centre's editors).
portal_page_urlpatterns = [
    path("support/guides/", help_views.HelpEditorListView.as_view(), name="help-editor"),
    path("support/guides/new/", help_views.HelpEditorView.as_view(), name="help-editor-new"),
    path("support/guides/<int:guide_id>/", help_views.HelpEditorView.as_view(), name="help-editor-guide"),
    path("support/queue/", views.SupportQueueView.as_view(), name="support-queue"),
    path(
        "support/second-factor-reset/",
        second_factor_views.AgentSecondFactorResetView.as_view(),
        name="support-second-factor-reset",
    ),
    path(
        "support/requests/<int:request_id>/assign/",
        views.SupportRequestAssignView.as_view(),
        name="support-request-assign",
    ),
    path(
        "support/impersonate/",
        impersonation_views.ImpersonationStartView.as_view(),
        name="impersonation-start",
    ),
    path(
        "support/impersonations/<int:impersonation_id>/stop/",
        impersonation_views.ImpersonationAgentStopView.as_view(),
        name="impersonation-agent-stop",
    ),
    path(
        "support/impersonations/<int:impersonation_id>/approve-write/",
        impersonation_views.ImpersonationApproveView.as_view(),
        name="impersonation-approve",
    ),
]

# Pages of an establishment's host. The enter path is also known to the middleware (ENTER_PATH).
tenant_page_urlpatterns = [
    path(
        "support/impersonation/enter/",
        impersonation_views.ImpersonationEnterView.as_view(),
        name="impersonation-enter",
    ),
    path(
        "support/impersonation/stop/",
        impersonation_views.ImpersonationStopView.as_view(),
        name="impersonation-stop",
    ),
    path(
        "support/impersonations/",
        impersonation_views.EstablishmentImpersonationsView.as_view(),
        name="support-impersonations",
    ),
]

# Under /api/v1/ of every host.
api_urlpatterns = [
    path("support/requests/", api.SupportRequestListApi.as_view(), name="api-support-requests"),
    path(
        "support/requests/<int:request_id>/",
        api.SupportRequestDetailApi.as_view(),
        name="api-support-request",
    ),
    path(
        "support/requests/<int:request_id>/replies/",
        api.SupportReplyApi.as_view(),
        name="api-support-request-replies",
    ),
]
