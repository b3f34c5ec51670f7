"""Who may open the documents' pages and API: any member of the establishment (everyone has
personal documents); what each one may do in a library is ``rights.library_rights``."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER

DOCUMENT_USERS = ANY_MEMBER
