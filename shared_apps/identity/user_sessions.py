"""A person's signed-in sessions: registered at sign-in, listed, revoked.

A ``UserSession`` row is found from a request by a keyed hash of its Django session key. Every
signed-in request checks it (``user_session_touch``): a revoked or ended row signs the request out
at once, which also deletes its Django session. The check is answered from the process's memory
(keyed by the person's generation, ``mbn_platform.kernel.generations``), else from the
region-wide ("platform") cache for up to ``CHECK_CACHE_SECONDS``; ending a session deletes its
cache entry and bumps the person's generation, so with the shared cache of production (Redis) a
revocation takes effect on the very next request of every process.
``last_seen_at`` is refreshed at most every ``TOUCH_INTERVAL``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.generations import LocalEntries, generations_read, user_scope, users_changed
from mbn_platform.kernel.lookups import get_or_404
from shared_apps.identity.auth_models import UserSession
from shared_apps.identity.lockout import client_ip
from shared_apps.identity.locks import identity_write_check
from shared_apps.identity.models import User
from tenants.requests import current_establishment

TOUCH_INTERVAL = timedelta(minutes=5)
CHECK_CACHE_SECONDS = 60


class EndReason:
    SIGNED_OUT = "signed_out"
    REVOKED = "revoked"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a reason, not a password)
    SECOND_FACTOR_RESET = "second_factor_reset"


def session_key_hash(session_key: str) -> str:
    return salted_hmac("mbn.user_session", session_key, algorithm="sha256").hexdigest()


def current_session_hash(request: HttpRequest) -> str | None:
    key = request.session.session_key
    return session_key_hash(key) if key else None


def user_session_register(*, request: HttpRequest, user: User) -> UserSession:
    """The row of the request's (signed-in) session, created if it has none yet."""
    if request.session.session_key is None:
        request.session.save()
    key_hash = session_key_hash(str(request.session.session_key))
    now = timezone.now()
    row, _created = UserSession.objects.get_or_create(
        session_key_hash=key_hash,
        defaults={
            "user": user,
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "ip_address": client_ip(request),
            "last_seen_at": now,
        },
    )
    return row


def _cache() -> BaseCache:
    return caches["platform"]


def _cache_key(key_hash: str) -> str:
    return f"usersession:{key_hash}"


_checked: LocalEntries[tuple[int, float]] = LocalEntries(size=4096)


def _forget(key_hashes: list[str], user_ids: list[int]) -> None:
    if key_hashes:
        _cache().delete_many([_cache_key(h) for h in key_hashes])
        users_changed(user_ids)  # this process's and the others' checked sessions are forgotten


def user_session_touch(*, request: HttpRequest, user: User) -> bool:
    """Called on each signed-in request: False when the session was revoked or ended."""
    key_hash = current_session_hash(request)
    if key_hash is None:
        return True
    now = timezone.now()
    (generation,) = generations_read(user_scope(user.pk))
    local = _checked.get((key_hash, generation))
    if local is not None and local[0] == user.pk and now.timestamp() - local[1] < TOUCH_INTERVAL.seconds:
        return True
    cached = _cache().get(_cache_key(key_hash))
    if (
        isinstance(cached, tuple)
        and cached[0] == user.pk
        and now.timestamp() - cached[1] < TOUCH_INTERVAL.seconds
    ):
        _checked.put((key_hash, generation), cached)
        return True
    row = (
        UserSession.objects.filter(session_key_hash=key_hash)
        .values_list("pk", "user_id", "ended_at", "last_seen_at")
        .first()
    )
    if row is None:
        # A session opened without our sign-in (force_login in tests, a session from before
        # this table existed): it is registered now, so that it can be listed and revoked.
        user_session_register(request=request, user=user)
        last_seen = now
    else:
        pk, user_id, ended_at, last_seen = row
        if user_id != user.pk or ended_at is not None:
            return False
        if now - last_seen > TOUCH_INTERVAL:
            UserSession.objects.filter(pk=pk).update(last_seen_at=now, ip_address=client_ip(request))
            last_seen = now
    _cache().set(_cache_key(key_hash), (user.pk, last_seen.timestamp()), CHECK_CACHE_SECONDS)
    _checked.put((key_hash, generation), (user.pk, last_seen.timestamp()))
    return True


def user_session_rekey(*, request: HttpRequest, old_hash: str | None) -> None:
    """After the session key was cycled (password change), keep the same row for the session."""
    new_hash = current_session_hash(request)
    if old_hash and new_hash and old_hash != new_hash:
        UserSession.objects.filter(session_key_hash=old_hash).update(session_key_hash=new_hash)


def user_sessions_of(*, user: Actor) -> QuerySet[UserSession]:
    """The person's open sessions, most recently used first (one query)."""
    alive_since = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return UserSession.objects.filter(
        user_id=user.pk, ended_at__isnull=True, last_seen_at__gte=alive_since
    ).order_by("-last_seen_at", "-pk")


def user_session_end_current(*, request: HttpRequest, reason: str) -> None:
    key_hash = current_session_hash(request)
    if key_hash:
        UserSession.objects.filter(session_key_hash=key_hash, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )
        user_id = getattr(request.user, "pk", None)
        _forget([key_hash], [user_id] if isinstance(user_id, int) else [])


def _end(rows: QuerySet[UserSession], reason: str) -> int:
    """End these sessions; each is signed out on its next request."""
    ended = list(rows.values_list("pk", "session_key_hash", "user_id"))
    if ended:
        UserSession.objects.filter(pk__in=[pk for pk, _h, _u in ended]).update(
            ended_at=timezone.now(), end_reason=reason
        )
        hashes = [h for _pk, h, _u in ended]
        user_ids = sorted({u for _pk, _h, u in ended})
        _forget(hashes, user_ids)
        # Again after commit: a request of that session may have re-cached it in between.
        transaction.on_commit(lambda: _forget(hashes, user_ids))
    return len(ended)


@transaction.atomic
def user_session_revoke(*, request: HttpRequest, actor: Actor, session_id: int) -> bool:
    """Sign out one of the actor's sessions; 404 for a session that is not theirs or not open.

    Returns True when it was the request's own session (the caller signs it out now).
    """
    identity_write_check()
    row = get_or_404(user_sessions_of(user=actor).select_for_update(), pk=session_id)
    _end(UserSession.objects.filter(pk=row.pk), EndReason.REVOKED)
    audit_record(
        actor=actor,
        action="auth.session_revoked",
        establishment=current_establishment(request),
        target=row,
        details={"scope": "one"},
        request=request,
    )
    return row.session_key_hash == current_session_hash(request)


@transaction.atomic
def user_sessions_revoke_others(*, request: HttpRequest, actor: Actor) -> int:
    """Sign out every other session of the actor; the number signed out."""
    identity_write_check()
    others = user_sessions_of(user=actor).exclude(session_key_hash=current_session_hash(request) or "")
    count = _end(others, EndReason.REVOKED)
    if count:
        audit_record(
            actor=actor,
            action="auth.session_revoked",
            establishment=current_establishment(request),
            target=request.user if isinstance(request.user, User) else None,
            details={"scope": "others", "count": count},
            request=request,
        )
    return count


def user_sessions_end_all(*, user: User, reason: str, keep_hash: str | None = None) -> int:
    """End every open session of the person but ``keep_hash`` (after a password change or reset)."""
    rows = UserSession.objects.filter(user=user, ended_at__isnull=True).exclude(
        session_key_hash=keep_hash or ""
    )
    return _end(rows, reason)
