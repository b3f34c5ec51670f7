"""Routes of the school's structure (included by mbn_platform/config/urls_tenant.py): the API under
/api/v1/structure/ and the administrative staff's pages under /structure/."""

from __future__ import annotations

from django.urls import path

from tenant_apps.structure.api import catalogue, groups, years
from tenant_apps.structure.views import pages
from tenant_apps.structure.views import rollover as rollover_pages

page_urlpatterns = [
    path("structure/", pages.StructureHomeView.as_view(), name="structure-home"),
    path("structure/rollover/", rollover_pages.RolloverView.as_view(), name="structure-rollover"),
    path("structure/years/", pages.YearListView.as_view(), name="structure-years"),
    path("structure/years/<int:pk>/", pages.YearEditView.as_view(), name="structure-year"),
    path("structure/years/<int:pk>/delete/", pages.YearDeleteView.as_view(), name="structure-year-delete"),
    path(
        "structure/years/<int:pk>/enrolments/",
        rollover_pages.YearEnrolmentsView.as_view(),
        name="structure-year-enrolments",
    ),
    path("structure/periods/<int:pk>/", pages.PeriodEditView.as_view(), name="structure-period"),
    path(
        "structure/periods/<int:pk>/delete/", pages.PeriodDeleteView.as_view(), name="structure-period-delete"
    ),
    path("structure/classes/", pages.ClassListView.as_view(), name="structure-classes"),
    path("structure/classes/<int:pk>/", pages.ClassEditView.as_view(), name="structure-class"),
    path(
        "structure/classes/<int:pk>/delete/", pages.ClassDeleteView.as_view(), name="structure-class-delete"
    ),
    path("structure/groups/", pages.GroupListView.as_view(), name="structure-groups"),
    path("structure/groups/<int:pk>/", pages.GroupEditView.as_view(), name="structure-group"),
    path("structure/groups/<int:pk>/delete/", pages.GroupDeleteView.as_view(), name="structure-group-delete"),
    path("structure/subjects/", pages.SubjectListView.as_view(), name="structure-subjects"),
    path("structure/subjects/<int:pk>/", pages.SubjectEditView.as_view(), name="structure-subject"),
    path(
        "structure/subjects/<int:pk>/delete/",
        pages.SubjectDeleteView.as_view(),
        name="structure-subject-delete",
    ),
    path("structure/rooms/", pages.RoomListView.as_view(), name="structure-rooms"),
    path("structure/rooms/<int:pk>/", pages.RoomEditView.as_view(), name="structure-room"),
    path("structure/rooms/<int:pk>/delete/", pages.RoomDeleteView.as_view(), name="structure-room-delete"),
    path("structure/assignments/", pages.AssignmentListView.as_view(), name="structure-assignments"),
    path("structure/assignments/<int:pk>/", pages.AssignmentEditView.as_view(), name="structure-assignment"),
    path(
        "structure/assignments/<int:pk>/delete/",
        pages.AssignmentDeleteView.as_view(),
        name="structure-assignment-delete",
    ),
]

api_urlpatterns = [
    path("structure/years/", years.SchoolYearListApi.as_view(), name="api-structure-years"),
    path("structure/years/<int:year_id>/", years.SchoolYearDetailApi.as_view(), name="api-structure-year"),
    path("structure/periods/", years.PeriodListApi.as_view(), name="api-structure-periods"),
    path("structure/periods/<int:period_id>/", years.PeriodDetailApi.as_view(), name="api-structure-period"),
    path("structure/subjects/", catalogue.SubjectListApi.as_view(), name="api-structure-subjects"),
    path(
        "structure/subjects/<int:subject_id>/",
        catalogue.SubjectDetailApi.as_view(),
        name="api-structure-subject",
    ),
    path("structure/rooms/", catalogue.RoomListApi.as_view(), name="api-structure-rooms"),
    path("structure/rooms/<int:room_id>/", catalogue.RoomDetailApi.as_view(), name="api-structure-room"),
    path("structure/classes/", catalogue.ClassListApi.as_view(), name="api-structure-classes"),
    path("structure/classes/<int:class_id>/", catalogue.ClassDetailApi.as_view(), name="api-structure-class"),
    path("structure/groups/", groups.GroupListApi.as_view(), name="api-structure-groups"),
    path("structure/groups/<int:group_id>/", groups.GroupDetailApi.as_view(), name="api-structure-group"),
    path(
        "structure/groups/<int:group_id>/members/",
        groups.GroupMembersApi.as_view(),
        name="api-structure-group-members",
    ),
    path("structure/assignments/", groups.AssignmentListApi.as_view(), name="api-structure-assignments"),
    path(
        "structure/assignments/<int:assignment_id>/",
        groups.AssignmentDetailApi.as_view(),
        name="api-structure-assignment",
    ),
    path("structure/rollover/", years.RolloverApi.as_view(), name="api-structure-rollover"),
    path(
        "structure/years/<int:year_id>/enrolments/",
        years.EnrolmentListApi.as_view(),
        name="api-structure-enrolments",
    ),
]
