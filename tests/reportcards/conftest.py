from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tenant_apps.reportcards.tasks import publication_run_task
from tests.grades.conftest import school  # noqa: F401  (the same small school)
from tests.timetable.helpers import School


@pytest.fixture
def run_publications(school: School, monkeypatch):  # noqa: F811
    """Publications run in this process, in the school's schema, when their transaction commits
    (the real worker runs them in tests/reportcards/test_worker.py)."""

    def run(args=None, kwargs=None, **options):
        with schema_context(school.establishment.schema_name):
            return publication_run_task.apply(args, kwargs)

    monkeypatch.setattr(publication_run_task, "apply_async", run)
    return publication_run_task
