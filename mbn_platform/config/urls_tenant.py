"""An establishment's site, on its subdomain (its own schema)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from mbn_platform.config.urls_common import (
    api_docs_urlpatterns,
    handler400,
    handler403,
    handler404,
    handler500,
)
from mbn_platform.config.urls_common import urlpatterns as common_urlpatterns
from shared_apps.audit import urls as audit_urls
from shared_apps.connectors import urls as connectors_urls
from shared_apps.directory import urls as directory_urls
from shared_apps.identity import auth_urls
from shared_apps.notifications import urls as notifications_urls
from shared_apps.support import urls as support_urls
from tenant_apps.appointments import urls as appointments_urls
from tenant_apps.attendance import urls as attendance_urls
from tenant_apps.discipline import urls as discipline_urls
from tenant_apps.documents import urls as documents_urls
from tenant_apps.forms import urls as forms_urls
from tenant_apps.grades import urls as grades_urls
from tenant_apps.homework import urls as homework_urls
from tenant_apps.messaging import urls as messaging_urls
from tenant_apps.news import urls as news_urls
from tenant_apps.notifications import urls as centre_urls
from tenant_apps.reportcards import urls as reportcards_urls
from tenant_apps.school import api as school_api
from tenant_apps.school import views as school_views
from tenant_apps.school.members import urls as memberships_urls
from tenant_apps.spaces import urls as spaces_urls
from tenant_apps.structure import urls as structure_urls
from tenant_apps.timetable import urls as timetable_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

api_v1: list[URLPattern | URLResolver] = [
    path("establishment/", school_api.EstablishmentApi.as_view(), name="api-establishment"),
    path("classes/", school_api.ClassListApi.as_view(), name="api-class-list"),
    path("classes/<int:class_id>/", school_api.ClassDetailApi.as_view(), name="api-class-detail"),
    path("account/", include(auth_urls.api_urlpatterns)),
    *memberships_urls.api_urlpatterns,
    path("", include(directory_urls.api_urlpatterns)),
    path("", include(directory_urls.activation_api_urlpatterns)),
    *support_urls.api_urlpatterns,
    *connectors_urls.api_urlpatterns,
    *audit_urls.tenant_api_urlpatterns,
    *structure_urls.api_urlpatterns,
    *timetable_urls.api_urlpatterns,
    *attendance_urls.api_urlpatterns,
    *discipline_urls.api_urlpatterns,
    *appointments_urls.api_urlpatterns,
    *forms_urls.api_urlpatterns,
    *grades_urls.api_urlpatterns,
    *reportcards_urls.api_urlpatterns,
    *homework_urls.api_urlpatterns,
    *messaging_urls.api_urlpatterns,
    *news_urls.api_urlpatterns,
    *documents_urls.api_urlpatterns,
    *spaces_urls.api_urlpatterns,
    *notifications_urls.api_urlpatterns,
    *centre_urls.tenant_api_urlpatterns,
    *centre_urls.api_urlpatterns,
]

urlpatterns = [
    *common_urlpatterns,
    *auth_urls.urlpatterns,
    *api_docs_urlpatterns("mbn_platform.config.urls_tenant"),
    path("", school_views.SchoolHomeView.as_view(), name="home"),
    path("classes/<int:class_id>/", school_views.ClassDetailView.as_view(), name="class-detail"),
    path("children/<int:user_id>/", school_views.ChildDetailView.as_view(), name="child-detail"),
    path("", include(directory_urls.page_urlpatterns)),
    *memberships_urls.page_urlpatterns,
    path("", include(directory_urls.activation_page_urlpatterns)),
    *support_urls.page_urlpatterns,
    *connectors_urls.page_urlpatterns,
    *support_urls.tenant_page_urlpatterns,
    *audit_urls.tenant_page_urlpatterns,
    *timetable_urls.page_urlpatterns,
    *structure_urls.page_urlpatterns,
    *attendance_urls.page_urlpatterns,
    *discipline_urls.page_urlpatterns,
    *appointments_urls.page_urlpatterns,
    *forms_urls.page_urlpatterns,
    *grades_urls.page_urlpatterns,
    *reportcards_urls.page_urlpatterns,
    *homework_urls.page_urlpatterns,
    *messaging_urls.page_urlpatterns,
    *news_urls.page_urlpatterns,
    path("", include((documents_urls.page_urlpatterns, documents_urls.app_name))),
    *spaces_urls.page_urlpatterns,
    *notifications_urls.page_urlpatterns,
    *centre_urls.page_urlpatterns,
    path("api/v1/", include(api_v1)),
]
