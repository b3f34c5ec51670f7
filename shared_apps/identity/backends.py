"""Sign in with the login id or the e-mail address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models.functions import Lower
from django.http import HttpRequest

from shared_apps.identity.caching import user_cached
from shared_apps.identity.models import User


class EmailOrLoginBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        identifier = username.strip().lower()
        field = "email_lower" if "@" in identifier else "login"
        user = User.objects.annotate(email_lower=Lower("email")).filter(**{field: identifier}).first()
        if user is None:
            User().set_password(password)  # same cost whether or not the account exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in account of a request, from the cache of its generation (every request
        reads it; any save of the account bumps the generation)."""
        try:
            user = user_cached(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
