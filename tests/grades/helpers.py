from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django_tenants.utils import schema_context

from tenant_apps.grades import services
from tenant_apps.grades.models import Assessment
from tests.timetable.helpers import School


def assessment(school: School, **fields: Any) -> Assessment:
    with schema_context(school.establishment.schema_name):
        values: dict[str, Any] = {
            "actor": school.teacher,
            "title": "Contrôle",
            "date": datetime.date(2026, 10, 5),
            "subject": school.math,
            "period": school.extra["t1"],
            "school_class": school.school_class,
        }
        values.update(fields)
        if "scale" in values:
            values["scale"] = Decimal(values["scale"])
        if "coefficient" in values:
            values["coefficient"] = Decimal(values["coefficient"])
        return services.assessment_create(**values)


def enter(school: School, found: Assessment, cells: dict[int, str], actor: Any = None) -> int:
    with schema_context(school.establishment.schema_name):
        return services.grades_enter(actor=actor or school.teacher, assessment=found, cells=cells)
