"""One way to fetch an object or answer 404 (the kernel's ``NotFound``, rendered as JSON by the
API and as the error page on the web)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from mbn_platform.kernel.errors import NotFound

M = TypeVar("M", bound=Model)


def get_or_404(source: type[M] | QuerySet[M], **lookup: Any) -> M:
    """The one object matching ``lookup`` in ``source`` (a model or an already scoped queryset),
    or ``NotFound``. Scope the queryset to what the person may see first: objects of another
    establishment, or that their role may not see, are 404 too (no existence leak)."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound()
    return found
