"""Routes of discipline (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.discipline.api import desk as desk_api
from tenant_apps.discipline.api import records as api
from tenant_apps.discipline.views import desk, records

page_urlpatterns = [
    path("discipline/", desk.DisciplineHomeView.as_view(), name="discipline-home"),
    path("discipline/detentions/", desk.DetentionRosterView.as_view(), name="discipline-detentions"),
    path("discipline/statistics/", desk.StatisticsView.as_view(), name="discipline-statistics"),
    path("discipline/incidents/new/", records.IncidentNewView.as_view(), name="discipline-incident-new"),
    path(
        "discipline/incidents/<int:incident_id>/",
        records.IncidentDetailView.as_view(),
        name="discipline-incident",
    ),
    path(
        "discipline/punishments/new/", records.PunishmentNewView.as_view(), name="discipline-punishment-new"
    ),
    path(
        "discipline/punishments/<int:punishment_id>/",
        records.PunishmentDetailView.as_view(),
        name="discipline-punishment",
    ),
    path("discipline/sanctions/new/", records.SanctionNewView.as_view(), name="discipline-sanction-new"),
    path(
        "discipline/sanctions/<int:sanction_id>/",
        records.SanctionDetailView.as_view(),
        name="discipline-sanction",
    ),
]

api_urlpatterns = [
    path("discipline/incidents/", api.IncidentListApi.as_view(), name="api-discipline-incidents"),
    path(
        "discipline/incidents/<int:incident_id>/",
        api.IncidentDetailApi.as_view(),
        name="api-discipline-incident",
    ),
    path("discipline/punishments/", api.PunishmentListApi.as_view(), name="api-discipline-punishments"),
    path(
        "discipline/punishments/<int:punishment_id>/",
        api.PunishmentDetailApi.as_view(),
        name="api-discipline-punishment",
    ),
    path(
        "discipline/punishments/<int:punishment_id>/status/",
        api.PunishmentStatusApi.as_view(),
        name="api-discipline-punishment-status",
    ),
    path("discipline/sanctions/", api.SanctionListApi.as_view(), name="api-discipline-sanctions"),
    path(
        "discipline/sanctions/<int:sanction_id>/",
        api.SanctionDetailApi.as_view(),
        name="api-discipline-sanction",
    ),
    path(
        "discipline/sanctions/<int:sanction_id>/decision/",
        api.SanctionDecisionApi.as_view(),
        name="api-discipline-sanction-decision",
    ),
    path("discipline/detentions/", desk_api.DetentionListApi.as_view(), name="api-discipline-detentions"),
    path("discipline/statistics/", desk_api.StatisticsApi.as_view(), name="api-discipline-statistics"),
]
