"""One way to fetch an object or answer 404 (the kernel's ``NotFound``, rendered as JSON by the
API and as the error page on the web), and one way to fetch what an input field names (a 400
naming the field when it names nothing)."""

from __future__ import annotations

from typing import Any, TypeVar, overload

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.errors import NotFound, ValidationFailed

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


@overload
def get_named(source: type[M] | QuerySet[M], pk: None, *, field: str) -> None: ...
@overload
def get_named(source: type[M] | QuerySet[M], pk: int | str, *, field: str) -> M: ...
@overload
def get_named(source: type[M] | QuerySet[M], pk: Any, *, field: str) -> M | None: ...
def get_named(source: type[M] | QuerySet[M], pk: Any, *, field: str) -> M | None:
    """The object an input field names by its id (None when the field is empty), or
    ``ValidationFailed`` on ``field``: an unknown id in a request body is bad input, not a
    missing page."""
    if pk is None:
        return None
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(fields={field: [str(_("Unknown."))]})
    return found


def named(source: type[M] | QuerySet[M]) -> Any:
    """``get_named`` as the fetch function of ``kernel.api.patch_values``' ``related``."""
    return lambda field, pk: get_named(source, pk, field=field)
