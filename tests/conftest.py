"""Shared test infrastructure.

Establishments are created once per session, by cloning the template schema, and committed;
every test then runs in a transaction that is rolled back (pytest-django's ``db``), so tests stay
fast as the suite grows. ``client_for`` makes a request "as user X in establishment Y".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from mbn_platform.kernel.generations import generations_forget_held
from shared_apps.identity.models import User
from tenants.middleware import domain_cache
from tenants.models import Establishment, EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.schemas import template_schema_migrate

#: The demo's schools live under this base domain in the test session (as in `make demo`), beside
#: the session's schools on "localhost": a browser keeps one session cookie for all of them.
DEMO_BASE_DOMAIN = "mbn.localhost"
_demo_seconds: list[float] = []

SESSION_SCHOOLS = {
    "school_a": ("0671234C", "Collège Alpha", EstablishmentKind.COLLEGE, "alpha"),
    "school_b": ("0671250V", "Lycée Bêta", EstablishmentKind.LYCEE, "beta"),
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        # pytest-django creates the test database only when a collected test asks for `db`;
        # browser tests (tests/e2e) commit their data and do not, so make sure it exists.
        own_setup = None
        if not str(connection.settings_dict["NAME"]).startswith("test_"):
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        template_schema_migrate()
        for uai, name, kind, subdomain in SESSION_SCHOOLS.values():
            establishment_create(
                actor=None,
                uai=uai,
                name=name,
                kind=kind,
                academie="Strasbourg",
                departement="67",
                subdomain=subdomain,
            )
    yield
    if own_setup is not None:
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            teardown_databases(own_setup, verbosity=0)


@pytest.fixture(scope="session")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Any:
    """The demo (``mbn_platform.demo``), seeded once per session and committed, on its own UAIs and
    subdomains under ``DEMO_BASE_DOMAIN``. Tests read it; a test that writes does so in its own
    rolled-back transaction (``db``), never in a committed one."""
    from django.test import override_settings

    from mbn_platform.demo import demo_seed

    with django_db_blocker.unblock(), override_settings(MBN_BASE_DOMAIN=DEMO_BASE_DOMAIN):  # type: ignore[attr-defined]
        # Not the region-wide parts: the region's official calendar (every school reads it: it would
        # change the A/B weeks of the session's own schools; tests/schoolcalendar seeds it itself)
        # and the académie's AAF feed (one a académie: tests/directory configure their own).
        run = demo_seed(region_wide=False)
        connection.set_schema_to_public()
    _demo_seconds.append(run.seconds)
    return run


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for seconds in _demo_seconds:
        terminalreporter.write_line(f"demo seed (mbn_platform/demo): {seconds:.1f} s")


@pytest.fixture
def committed_db(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Database access without the rolled-back transaction, for what other processes must see
    (a Celery worker, pg_dump, forked migration workers). Create uniquely named data and remove it;
    never use ``transactional_db``: its flush would empty the session's establishments."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield


@pytest.fixture(autouse=True)
def _tests_speak_english(settings: Any) -> Iterator[None]:
    """Tests read messages in English, whatever the catalog holds: the platform's default
    language (French) is checked explicitly by the tests that are about it, which use
    ``french_by_default``; browsers in tests/e2e ask for French themselves."""
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def french_by_default(settings: Any) -> str:
    """The platform's real default language (mbn_platform/config/settings.py), restored for a test."""
    from mbn_platform.config import settings as platform_settings

    settings.LANGUAGE_CODE = platform_settings.LANGUAGE_CODE
    translation.activate(platform_settings.LANGUAGE_CODE)
    return str(platform_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_request_state() -> Iterator[None]:
    """Each test starts in the public schema with empty caches (they outlive rollbacks)."""
    connection.set_schema_to_public()
    domain_cache.clear()
    for alias in settings.CACHES:
        caches[alias].clear()
    generations_forget_held()
    yield
    connection.set_schema_to_public()
    domain_cache.clear()


@pytest.fixture(autouse=True)
def _notifications_delivered_at_once(request: pytest.FixtureRequest, monkeypatch: Any, settings: Any) -> None:
    """Notifications are delivered when their transaction commits, in the test's process (the
    e-mails land in ``mail.outbox``), whatever the hour: no quiet hours by default in tests.
    Tests about delivery itself mark themselves ``real_delivery`` (a worker, the clock)."""
    settings.NOTIFICATIONS_QUIET_HOURS = ("00:00", "00:00")
    if "real_delivery" in request.keywords:
        return
    from django_tenants.utils import schema_context

    from tenant_apps.notifications import store
    from tenant_apps.notifications.tasks import notification_deliver_task

    def deliver_now(*, notification_id: int, schema: str) -> None:
        with schema_context(schema):
            notification_deliver_task.run(notification_id)

    monkeypatch.setattr(store, "delivery_enqueue", deliver_now)


@pytest.fixture
def school_a(db: None) -> Establishment:
    return Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])


@pytest.fixture
def school_b(db: None) -> Establishment:
    return Establishment.objects.get(uai=SESSION_SCHOOLS["school_b"][0])


def host_of(establishment: Establishment | None) -> str:
    if establishment is None:
        return str(settings.MBN_BASE_DOMAIN)
    return str(establishment.domains.get(is_primary=True).domain)


def client_for(
    user: User | None = None,
    establishment: Establishment | None = None,
    *,
    api: bool = False,
    second_factor: bool = True,
) -> Client:
    """A test client on the establishment's host (the portal when None), signed in as ``user``.

    The session counts as verified with a second factor (as after a real sign-in with a code),
    unless ``second_factor=False``: staff and region roles then meet the second-factor check.
    """
    client: Client = (
        APIClient(HTTP_HOST=host_of(establishment)) if api else Client(HTTP_HOST=host_of(establishment))
    )
    if user is not None:
        client.force_login(user)
        if second_factor:
            mark_second_factor(client, user)
    return client


def mark_second_factor(client: Client, user: User) -> None:
    """Mark the client's session as verified with a second factor, as the sign-in does."""
    from shared_apps.identity.second_factor import session_second_factor_mark

    session = client.session
    session_second_factor_mark(session=session, user=user)
    session.save()


@pytest.fixture(scope="session")
def celery_queue(django_db_setup: None) -> Iterator[str]:
    """A real Celery worker on a queue of its own, against the test database."""
    from tests.reliability.workers import Worker

    queue = f"mbn-test-{uuid.uuid4().hex[:8]}"
    worker = Worker(queue).start()
    try:
        yield queue
    finally:
        worker.stop()


S3_DOCUMENTS_BUCKET = "mbn-test-documents"


def s3_client(endpoint: str) -> Any:
    """A boto3 S3 client for the test S3 server."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-3",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server (moto) for the session, with the bucket ``S3_DOCUMENTS_BUCKET``."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3_client(endpoint).create_bucket(
        Bucket=S3_DOCUMENTS_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_default_storage(settings, s3_endpoint):
    """The default storage on the test S3 server, under each establishment's prefix."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mbn_platform.kernel.storage.EstablishmentS3Storage",
            "OPTIONS": {
                "bucket_name": S3_DOCUMENTS_BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-west-3",
                "access_key": "test",
                "secret_key": "test",
                "file_overwrite": False,
            },
        },
    }
    return s3_endpoint
