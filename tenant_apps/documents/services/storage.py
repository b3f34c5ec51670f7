"""The stored files of deleted documents go once the deletion is committed (a rolled-back
deletion keeps them)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db import transaction

logger = logging.getLogger(__name__)


def stored_files_delete(names: Iterable[str]) -> None:
    pending = [name for name in names if name]

    def delete() -> None:
        for name in pending:
            try:
                default_storage.delete(name)
            except Exception:  # a file already gone, a storage hiccup: the row is gone anyway
                logger.warning("documents: could not delete a stored file", exc_info=True)

    if pending:
        transaction.on_commit(delete)
