"""Routes of the memberships admin, on an establishment's host (included by urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.school.members import api, second_factor, transfers, views

# Included under /api/v1/.
api_urlpatterns = [
    path("memberships/", api.MembershipsApi.as_view(), name="api-memberships"),
    path("memberships/<int:membership_id>/", api.MembershipDetailApi.as_view(), name="api-membership"),
    path("memberships/<int:membership_id>/end/", api.MembershipEndApi.as_view(), name="api-membership-end"),
    path("memberships/people/lookup/", api.PersonLookupApi.as_view(), name="api-memberships-lookup"),
    path("memberships/people/", api.PersonCreateApi.as_view(), name="api-memberships-person-create"),
    path("memberships/transfers/", transfers.TransfersApi.as_view(), name="api-transfers"),
    path(
        "memberships/transfers/<int:transfer_id>/accept/",
        transfers.TransferDecisionApi.as_view(accept=True),
        name="api-transfer-accept",
    ),
    path(
        "memberships/transfers/<int:transfer_id>/refuse/",
        transfers.TransferDecisionApi.as_view(accept=False),
        name="api-transfer-refuse",
    ),
    path("memberships/guardian-links/", api.GuardianLinksApi.as_view(), name="api-guardian-links"),
    path(
        "memberships/guardian-links/<int:link_id>/",
        api.GuardianLinkDetailApi.as_view(),
        name="api-guardian-link",
    ),
]

page_urlpatterns = [
    path("members/", views.MemberListView.as_view(), name="members"),
    path("members/new/", views.MemberNewView.as_view(), name="members-new"),
    path("members/transfers/", transfers.TransfersView.as_view(), name="members-transfers"),
    path(
        "members/transfers/<int:transfer_id>/accept/",
        transfers.TransferDecisionView.as_view(accept=True),
        name="members-transfer-accept",
    ),
    path(
        "members/transfers/<int:transfer_id>/refuse/",
        transfers.TransferDecisionView.as_view(accept=False),
        name="members-transfer-refuse",
    ),
    path("members/<int:membership_id>/", views.MemberDetailView.as_view(), name="members-detail"),
    path("members/<int:membership_id>/end/", views.MemberEndView.as_view(), name="members-end"),
    path(
        "members/<int:membership_id>/second-factor-reset/",
        second_factor.SecondFactorResetView.as_view(),
        name="members-second-factor-reset",
    ),
    path("members/<int:membership_id>/roles/", views.MemberRoleGrantView.as_view(), name="members-grant"),
    path(
        "members/<int:membership_id>/guardians/",
        views.MemberGuardianAddView.as_view(),
        name="members-guardian-add",
    ),
    path(
        "members/guardian-links/<int:link_id>/",
        views.GuardianLinkUpdateView.as_view(),
        name="members-link-update",
    ),
    path(
        "members/guardian-links/<int:link_id>/remove/",
        views.GuardianLinkRemoveView.as_view(),
        name="members-link-remove",
    ),
]
