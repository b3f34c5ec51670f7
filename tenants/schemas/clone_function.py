"""django-tenants' ``clone_schema`` SQL function, installed without what serialises clones.

It is the fallback of ``schema_clone`` for a template holding what the planned clone
(``clone_plan``) does not copy.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django_tenants.clone import CLONE_SCHEMA_FUNCTION
from psycopg import sql

# django-tenants' function drops and re-creates two enum types in ``public`` (``objj_type``,
# ``permm_type``) at the start of every clone and drops them again at the end. Creating a type
# inserts a row into ``pg_type``'s unique index on (name, namespace), so a second clone's CREATE
# TYPE waits on the first clone's transaction id until that transaction commits: concurrent
# onboardings ran one after the other. The function installed here is django-tenants' with those
# statements taken out; ``permm_type`` (the only one it uses, to copy privileges) is created once,
# when the function is installed, and stays.
_CLONE_TYPES_CREATE = re.compile(
    r"\n[ \t]*-- DROP TYPE IF EXISTS public\.objj_type;\n.*?"
    r"CREATE TYPE public\.permm_type AS ENUM \([^)]*\);\n",
    re.S,
)
_CLONE_TYPES_DROP = re.compile(
    r"\n[ \t]*DROP TYPE IF EXISTS public\.objj_type;\n[ \t]*DROP TYPE IF EXISTS public\.permm_type;\n"
)
_PERMM_TYPE_CREATE = """
DO $$
BEGIN
  CREATE TYPE public.permm_type AS ENUM ('SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES',
    'TRIGGER','USAGE','CREATE','EXECUTE','CONNECT','TEMPORARY');
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
"""


def _clone_function_source() -> str:
    """django-tenants' clone function without its per-call DDL on shared types (see above)."""
    source, created = _CLONE_TYPES_CREATE.subn("\n", CLONE_SCHEMA_FUNCTION)
    source, dropped = _CLONE_TYPES_DROP.subn("\n", source)
    if (created, dropped) != (1, 1) or "objj_type" in source:
        raise RuntimeError(
            "django-tenants' clone_schema function changed: review tenants/schemas.py's patch of it"
        )
    return _PERMM_TYPE_CREATE + source


CLONE_FUNCTION_SOURCE = _clone_function_source()
CLONE_FUNCTION_VERSION = hashlib.sha256(CLONE_FUNCTION_SOURCE.encode()).hexdigest()[:16]
CLONE_FUNCTION_SIGNATURE = "public.clone_schema(text, text, public.cloneparms[])"
CLONE_FUNCTION_LOCK = (0x4D4243, 0)  # "MBC": the advisory lock held while the function is installed


def _clone_function_installed(cursor: CursorWrapper) -> bool:
    cursor.execute(
        """
        SELECT obj_description(p.oid, 'pg_proc')
          FROM pg_proc p
         WHERE p.proname = 'clone_schema' AND p.pronamespace = 'public'::regnamespace
           AND to_regtype('public.permm_type') IS NOT NULL
        """
    )
    return CLONE_FUNCTION_VERSION in {row[0] for row in cursor.fetchall()}


def clone_function_ensure() -> None:
    """Install the ``clone_schema`` SQL function once per database (not per clone: it is 4,500
    lines long), recording its version in a comment on the function. Only an installation takes
    a lock; checking that the function is there takes none."""
    with connection.cursor() as cursor:
        if _clone_function_installed(cursor):
            return
        with transaction.atomic():
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(CLONE_FUNCTION_LOCK))
            if _clone_function_installed(cursor):
                return
            db_user = settings.DATABASES["default"].get("USER") or "postgres"
            cursor.execute(CLONE_FUNCTION_SOURCE.format(db_user=db_user))
            cursor.execute(
                sql.SQL("COMMENT ON FUNCTION {} IS {}").format(
                    sql.SQL(CLONE_FUNCTION_SIGNATURE), sql.Literal(CLONE_FUNCTION_VERSION)
                )
            )
