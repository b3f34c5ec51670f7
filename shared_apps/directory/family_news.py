"""The directory's item in the family view: a child who has not activated their account yet.

Imported accounts have no password until activated with the code from the school's letter or
e-mail (``activation_services``); a young student often needs a guardian's help with it.
No query: the children's accounts are already loaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from shared_apps.identity.family_news import FamilyChild, NewsItem, family_news_provider
from shared_apps.identity.models import User
from tenants.models import Establishment


@family_news_provider
def activation_pending(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> Mapping[int, Sequence[NewsItem]]:
    path = reverse("account-activate", urlconf="mbn_platform.config.urls_tenant")
    return {
        child.user_id: [
            NewsItem(
                text=_(
                    "%(name)s has not activated their account yet: the activation code is on the "
                    "letter or e-mail from the school."
                )
                % {"name": child.user.first_name or child.user.display_name},
                url=f"{path}?{urlencode({'login': child.user.login})}",
                kind="account",
            )
        ]
        for child in children
        if child.user.is_active and not child.user.has_usable_password()
    }
