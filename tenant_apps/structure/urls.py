"""Routes of the school's structure (included by mbn_platform/config/urls_tenant.py): the API under
/api/v1/structure/ and the administrative staff's pages under /structure/."""

from __future__ import annotations

from django.urls import path

from tenant_apps.structure import api, views

page_urlpatterns = [
    path("structure/", views.StructureHomeView.as_view(), name="structure-home"),
    path("structure/rollover/", views.RolloverView.as_view(), name="structure-rollover"),
    path("structure/years/", views.YearListView.as_view(), name="structure-years"),
    path("structure/years/<int:pk>/", views.YearEditView.as_view(), name="structure-year"),
    path("structure/years/<int:pk>/delete/", views.YearDeleteView.as_view(), name="structure-year-delete"),
    path(
        "structure/years/<int:pk>/enrolments/",
        views.YearEnrolmentsView.as_view(),
        name="structure-year-enrolments",
    ),
    path("structure/periods/<int:pk>/", views.PeriodEditView.as_view(), name="structure-period"),
    path(
        "structure/periods/<int:pk>/delete/", views.PeriodDeleteView.as_view(), name="structure-period-delete"
    ),
    path("structure/classes/", views.ClassListView.as_view(), name="structure-classes"),
    path("structure/classes/<int:pk>/", views.ClassEditView.as_view(), name="structure-class"),
    path(
        "structure/classes/<int:pk>/delete/", views.ClassDeleteView.as_view(), name="structure-class-delete"
    ),
    path("structure/groups/", views.GroupListView.as_view(), name="structure-groups"),
    path("structure/groups/<int:pk>/", views.GroupEditView.as_view(), name="structure-group"),
    path("structure/groups/<int:pk>/delete/", views.GroupDeleteView.as_view(), name="structure-group-delete"),
    path("structure/subjects/", views.SubjectListView.as_view(), name="structure-subjects"),
    path("structure/subjects/<int:pk>/", views.SubjectEditView.as_view(), name="structure-subject"),
    path(
        "structure/subjects/<int:pk>/delete/",
        views.SubjectDeleteView.as_view(),
        name="structure-subject-delete",
    ),
    path("structure/rooms/", views.RoomListView.as_view(), name="structure-rooms"),
    path("structure/rooms/<int:pk>/", views.RoomEditView.as_view(), name="structure-room"),
    path("structure/rooms/<int:pk>/delete/", views.RoomDeleteView.as_view(), name="structure-room-delete"),
    path("structure/assignments/", views.AssignmentListView.as_view(), name="structure-assignments"),
    path("structure/assignments/<int:pk>/", views.AssignmentEditView.as_view(), name="structure-assignment"),
    path(
        "structure/assignments/<int:pk>/delete/",
        views.AssignmentDeleteView.as_view(),
        name="structure-assignment-delete",
    ),
]

api_urlpatterns = [
    path("structure/years/", api.SchoolYearListApi.as_view(), name="api-structure-years"),
    path("structure/years/<int:year_id>/", api.SchoolYearDetailApi.as_view(), name="api-structure-year"),
    path("structure/periods/", api.PeriodListApi.as_view(), name="api-structure-periods"),
    path("structure/periods/<int:period_id>/", api.PeriodDetailApi.as_view(), name="api-structure-period"),
    path("structure/subjects/", api.SubjectListApi.as_view(), name="api-structure-subjects"),
    path(
        "structure/subjects/<int:subject_id>/", api.SubjectDetailApi.as_view(), name="api-structure-subject"
    ),
    path("structure/rooms/", api.RoomListApi.as_view(), name="api-structure-rooms"),
    path("structure/rooms/<int:room_id>/", api.RoomDetailApi.as_view(), name="api-structure-room"),
    path("structure/classes/", api.ClassListApi.as_view(), name="api-structure-classes"),
    path("structure/classes/<int:class_id>/", api.ClassDetailApi.as_view(), name="api-structure-class"),
    path("structure/groups/", api.GroupListApi.as_view(), name="api-structure-groups"),
    path("structure/groups/<int:group_id>/", api.GroupDetailApi.as_view(), name="api-structure-group"),
    path(
        "structure/groups/<int:group_id>/members/",
        api.GroupMembersApi.as_view(),
        name="api-structure-group-members",
    ),
    path("structure/assignments/", api.AssignmentListApi.as_view(), name="api-structure-assignments"),
    path(
        "structure/assignments/<int:assignment_id>/",
        api.AssignmentDetailApi.as_view(),
        name="api-structure-assignment",
    ),
    path("structure/rollover/", api.RolloverApi.as_view(), name="api-structure-rollover"),
    path(
        "structure/years/<int:year_id>/enrolments/",
        api.EnrolmentListApi.as_view(),
        name="api-structure-enrolments",
    ),
]
