from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.messaging.audiences import Audience
from tenant_apps.news import services
from tenant_apps.news.models import NewsItem
from tests.messaging.conftest import People, people  # noqa: F401  (the fixture)

PARIS = datetime.timezone(datetime.timedelta(hours=2))
NOON = datetime.datetime(2026, 9, 14, 12, 0, tzinfo=PARIS)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name: str = "affiche.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def write(given: People, *, publish: bool = True, **options: Any) -> NewsItem:
    """A news item written (and published) by the head."""
    head = given.by_role[Role.HEAD]
    values: dict[str, Any] = {
        "title": "Portes ouvertes",
        "body": "<p>Le collège ouvre ses portes samedi.</p>",
        "visibility": "members",
    }
    values.update(options)
    with schema_context(given.school.establishment.schema_name):
        item = services.news_save(actor=head, **values)
        if publish:
            item = services.news_publish(actor=head, item=item)
    return item


def to_class(given: People, kind: str) -> list[Audience]:
    return [Audience(kind, given.school.school_class)]
