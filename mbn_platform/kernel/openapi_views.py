"""The OpenAPI document and its browsable page, on every host (apart from ``openapi.py``, which
DRF imports while its own views load)."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


class SchemaView(SpectacularAPIView):
    """The host's OpenAPI document: open to anyone (it describes, it holds no data)."""

    allow_anonymous = True


class DocsView(SpectacularSwaggerView):
    """The browsable documentation of the host's API: open to anyone."""

    allow_anonymous = True
