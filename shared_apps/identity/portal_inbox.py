"""One inbox on the portal: a person's threads of every establishment they belong to, each
labelled with its school (gathered per establishment, as the family view does).

Messages stay in each establishment's schema; the messaging app registers a provider at start-up
(``portal_inbox_provider``), called once per establishment inside its schema (``schema_context``:
never SQL across several schemas) with a fixed number of queries. Identity imports no tenant app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.http import HttpRequest
from django_tenants.utils import schema_context

from mbn_platform.kernel.tenancy import url_on_host
from shared_apps.identity.models import User
from shared_apps.identity.selectors import memberships_of
from tenants.selectors import establishment_primary_host

PER_SCHOOL = 50


@dataclass(frozen=True)
class InboxRow:
    subject: str
    started_by: str
    last_message_at: datetime.datetime
    unread: bool
    path: str  # on the school's host
    school: str = ""
    url: str = ""  # absolute, filled by ``portal_inbox``


InboxProvider = Callable[[int, int], Sequence[InboxRow]]  # (user id, at most) -> rows, newest first
_providers: list[InboxProvider] = []


def portal_inbox_provider(provider: InboxProvider) -> InboxProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def portal_inbox(*, request: HttpRequest, user: User, limit: int = PER_SCHOOL) -> list[InboxRow]:
    """The person's threads of every school they belong to, newest first."""
    rows: list[InboxRow] = []
    seen: set[int] = set()
    for membership in memberships_of(user=user):
        establishment = membership.establishment
        if establishment.pk in seen:
            continue
        seen.add(establishment.pk)
        host = establishment_primary_host(establishment)
        if host is None:
            continue
        with schema_context(establishment.schema_name):
            found = [row for provider in _providers for row in provider(int(user.pk), limit)]
        rows.extend(
            replace(row, school=establishment.name, url=url_on_host(request, host, row.path)) for row in found
        )
    return sorted(rows, key=lambda row: row.last_message_at, reverse=True)
