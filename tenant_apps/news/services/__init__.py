"""Writes of news and notices (every business rule and state change, with its audit entry)."""

from tenant_apps.news.services.news import (
    may_publish,
    news_delete,
    news_editor_set,
    news_image_set,
    news_publish,
    news_save,
    news_tick,
    news_withdraw,
)
from tenant_apps.news.services.notices import (
    may_follow,
    notice_acknowledge,
    notice_delete,
    notice_remind,
    notice_send,
    students_for,
)

__all__ = [
    "may_follow",
    "may_publish",
    "news_delete",
    "news_editor_set",
    "news_image_set",
    "news_publish",
    "news_save",
    "news_tick",
    "news_withdraw",
    "notice_acknowledge",
    "notice_delete",
    "notice_remind",
    "notice_send",
    "students_for",
]
