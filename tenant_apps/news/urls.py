"""Routes of news and notices (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.news.api import news as news_api
from tenant_apps.news.api import notices as notices_api
from tenant_apps.news.views import news, notices

page_urlpatterns = [
    path("news/", news.NewsListView.as_view(), name="news-list"),
    path("news/manage/", news.NewsManageView.as_view(), name="news-manage"),
    path("news/new/", news.NewsEditView.as_view(), name="news-new"),
    path("news/<int:news_id>/", news.NewsDetailView.as_view(), name="news-detail"),
    path("news/<int:news_id>/edit/", news.NewsEditView.as_view(), name="news-edit"),
    path("news/<int:news_id>/image/", news.NewsImageView.as_view(), name="news-image"),
    path("notices/", notices.NoticesView.as_view(), name="notices"),
    path("notices/new/", notices.NoticeNewView.as_view(), name="notice-new"),
    path("notices/<int:notice_id>/", notices.NoticeDetailView.as_view(), name="notice-detail"),
]

api_urlpatterns = [
    path("news/", news_api.NewsListApi.as_view(), name="api-news-list"),
    path("news/editors/", news_api.NewsEditorsApi.as_view(), name="api-news-editors"),
    path("news/<int:news_id>/", news_api.NewsDetailApi.as_view(), name="api-news-detail"),
    path("news/<int:news_id>/publish/", news_api.NewsPublishApi.as_view(), name="api-news-publish"),
    path("news/<int:news_id>/withdraw/", news_api.NewsWithdrawApi.as_view(), name="api-news-withdraw"),
    path("news/<int:news_id>/image/", news_api.NewsImageApi.as_view(), name="api-news-image"),
    path("notices/", notices_api.NoticeListApi.as_view(), name="api-notices"),
    path("notices/received/", notices_api.NoticeReceivedApi.as_view(), name="api-notices-received"),
    path("notices/<int:notice_id>/", notices_api.NoticeDetailApi.as_view(), name="api-notice-detail"),
    path("notices/<int:notice_id>/tally/", notices_api.NoticeTallyApi.as_view(), name="api-notice-tally"),
    path("notices/<int:notice_id>/remind/", notices_api.NoticeRemindApi.as_view(), name="api-notice-remind"),
    path(
        "notices/<int:notice_id>/acknowledge/",
        notices_api.NoticeAcknowledgeApi.as_view(),
        name="api-notice-acknowledge",
    ),
]
