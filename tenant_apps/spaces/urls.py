"""Routes of the spaces (included by mbn_platform/config/urls_tenant.py). Every path of one space
starts with ``spaces/<id>/``: a guest of another establishment reaches only those (``guests.py``)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.spaces.api import forum, spaces
from tenant_apps.spaces.views import pages, space, topic

page_urlpatterns = [
    path("spaces/", pages.SpacesHomeView.as_view(), name="spaces-home"),
    path("spaces/new/", pages.ProjectCreateView.as_view(), name="spaces-new"),
    path("spaces/<int:space_id>/", space.SpaceView.as_view(tab="wall"), name="spaces-space"),
    path("spaces/<int:space_id>/forum/", space.SpaceView.as_view(tab="forum"), name="spaces-forum"),
    path("spaces/<int:space_id>/members/", space.SpaceView.as_view(tab="members"), name="spaces-members"),
    path("spaces/<int:space_id>/topics/<int:topic_id>/", topic.TopicView.as_view(), name="spaces-topic"),
]

api_urlpatterns = [
    path("spaces/", spaces.SpaceListApi.as_view(), name="api-spaces"),
    path("spaces/settings/", spaces.SpacesSettingsApi.as_view(), name="api-spaces-settings"),
    path("spaces/<int:space_id>/", spaces.SpaceDetailApi.as_view(), name="api-spaces-space"),
    path("spaces/<int:space_id>/members/", spaces.SpaceMembersApi.as_view(), name="api-spaces-members"),
    path(
        "spaces/<int:space_id>/members/<int:user_id>/",
        spaces.SpaceMemberApi.as_view(),
        name="api-spaces-member",
    ),
    path("spaces/<int:space_id>/guests/", spaces.SpaceGuestsApi.as_view(), name="api-spaces-guests"),
    path("spaces/<int:space_id>/follow/", spaces.SpaceFollowApi.as_view(), name="api-spaces-follow"),
    path("spaces/<int:space_id>/topics/", forum.TopicListApi.as_view(), name="api-spaces-topics"),
    path(
        "spaces/<int:space_id>/topics/<int:topic_id>/",
        forum.TopicDetailApi.as_view(),
        name="api-spaces-topic",
    ),
    path(
        "spaces/<int:space_id>/topics/<int:topic_id>/posts/",
        forum.PostListApi.as_view(),
        name="api-spaces-posts",
    ),
    path(
        "spaces/<int:space_id>/posts/<int:post_id>/",
        forum.PostModerationApi.as_view(),
        name="api-spaces-post",
    ),
    path("spaces/<int:space_id>/wall/", forum.WallApi.as_view(), name="api-spaces-wall"),
    path(
        "spaces/<int:space_id>/wall/<int:post_id>/", forum.WallPostApi.as_view(), name="api-spaces-wall-post"
    ),
    path(
        "spaces/<int:space_id>/wall/<int:post_id>/comments/",
        forum.WallCommentApi.as_view(),
        name="api-spaces-wall-comments",
    ),
]
