"""A task enqueued inside an establishment runs in that establishment's schema (real worker,
``celery_queue`` in tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from mbn_platform.config.tasks import whereami
from tests.conftest import SESSION_SCHOOLS

pytestmark = pytest.mark.worker


@pytest.mark.django_db(transaction=False)
def test_a_task_runs_in_the_schema_of_the_establishment_that_enqueued_it(celery_queue):
    from tenants.models import Establishment

    results = {}
    for key in SESSION_SCHOOLS:
        school = Establishment.objects.get(uai=SESSION_SCHOOLS[key][0])
        with schema_context(school.schema_name):
            results[school.schema_name] = whereami.apply_async(queue=celery_queue)
    connection.set_schema_to_public()
    public = whereami.apply_async(queue=celery_queue)

    for schema, result in results.items():
        assert result.get(timeout=60)["schema"] == schema
    assert public.get(timeout=60)["schema"] == "public"
