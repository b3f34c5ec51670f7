"""The OpenAPI document and its browsable page, on every host (apart from ``openapi.py``, which
DRF imports while its own views load)."""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """The host's OpenAPI document: open to anyone (it describes, it holds no data)."""

    allow_anonymous = True


# Swagger UI styles itself inline (its page and its components): on this page only.
@method_decorator(csp_update({"style-src": [UNSAFE_INLINE]}), name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    """The browsable documentation of the host's API: open to anyone. Swagger UI's files come
    from the project (no CDN); its start-up script is a file too (no inline script for the
    Content-Security-Policy to allow)."""

    allow_anonymous = True
