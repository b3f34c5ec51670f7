"""Routes of the school's structure (included by mbn_platform/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.structure import api

api_urlpatterns = [
    path("structure/years/", api.SchoolYearListApi.as_view(), name="api-structure-years"),
    path("structure/periods/", api.PeriodListApi.as_view(), name="api-structure-periods"),
    path("structure/subjects/", api.SubjectListApi.as_view(), name="api-structure-subjects"),
    path("structure/rooms/", api.RoomListApi.as_view(), name="api-structure-rooms"),
    path("structure/groups/", api.GroupListApi.as_view(), name="api-structure-groups"),
    path(
        "structure/groups/<int:group_id>/members/",
        api.GroupMembersApi.as_view(),
        name="api-structure-group-members",
    ),
    path("structure/assignments/", api.AssignmentListApi.as_view(), name="api-structure-assignments"),
    path("structure/rollover/", api.RolloverApi.as_view(), name="api-structure-rollover"),
    path(
        "structure/years/<int:year_id>/enrolments/",
        api.EnrolmentListApi.as_view(),
        name="api-structure-enrolments",
    ),
]
