"""A schema's constraints, indexes and sequences, read from the catalog, and aligning a clone's
constraint and index names with its source's.

Every query here reads only the rows of the schema it is about, through the catalog indexes, so
its cost is that of one schema whatever the number of schemas in the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from psycopg import sql


@dataclass(frozen=True)
class CatalogEntry:
    kind: str  # "constraint", "index" or "sequence"
    table: str
    name: str
    definition: str


# The relations of one schema, found through pg_depend's index on the referenced object (each
# table and sequence depends on its namespace): pg_class has no index on relnamespace alone, so a
# filter on it, or a join through pg_namespace, reads the whole catalog, which grows with every
# establishment. From these relations, pg_constraint and pg_index are read through their indexes on
# conrelid and indrelid, so the cost stays that of one schema whatever the number of schemas.
SCHEMA_RELATIONS = """
    SELECT d.objid AS oid
      FROM pg_depend d
     WHERE d.refclassid = 'pg_namespace'::regclass
       AND d.refobjid = (SELECT oid FROM pg_namespace WHERE nspname = %(schema)s)
       AND d.refobjsubid = 0
       AND d.classid = 'pg_class'::regclass
       AND d.deptype = 'n'
"""
# The names of a schema's tables (parameter: ``schema``).
SCHEMA_TABLES = f"""
    WITH rels AS ({SCHEMA_RELATIONS})
    SELECT c.relname FROM rels JOIN pg_class c ON c.oid = rels.oid
     WHERE c.relkind IN ('r', 'p') ORDER BY c.relname
"""  # noqa: S608 - constant text
_CATALOG_QUERIES = {
    "constraint": """
        SELECT 'constraint', rel.relname, con.conname, pg_get_constraintdef(con.oid, true)
          FROM rels
          JOIN pg_class rel ON rel.oid = rels.oid AND rel.relkind IN ('r', 'p')
          JOIN pg_constraint con ON con.conrelid = rel.oid
    """,
    "index": """
        SELECT 'index', tbl.relname, idx.relname, pg_get_indexdef(idx.oid)
          FROM rels
          JOIN pg_class tbl ON tbl.oid = rels.oid AND tbl.relkind IN ('r', 'p', 'm')
          JOIN pg_index i ON i.indrelid = tbl.oid
          JOIN pg_class idx ON idx.oid = i.indexrelid
    """,
    "sequence": """
        SELECT 'sequence', coalesce(owner.relname, ''), seq.relname,
               format('%%s start %%s incr %%s', s.seqtypid::regtype, s.seqstart, s.seqincrement)
          FROM rels
          JOIN pg_class seq ON seq.oid = rels.oid AND seq.relkind = 'S'
          JOIN pg_sequence s ON s.seqrelid = seq.oid
          LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = seq.oid
               AND d.objsubid = 0 AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
          LEFT JOIN pg_class owner ON owner.oid = d.refobjid
    """,
}
CATALOG_KINDS = tuple(_CATALOG_QUERIES)


def schema_catalog(schema_name: str, *, kinds: tuple[str, ...] = CATALOG_KINDS) -> set[CatalogEntry]:
    """Constraints, indexes and sequences of a schema, with definitions made schema-independent.

    Reads only that schema's own catalog rows, through the catalog indexes (see above)."""
    query = f"WITH rels AS ({SCHEMA_RELATIONS})\n" + "UNION ALL".join(
        _CATALOG_QUERIES[kind] for kind in kinds
    )
    entries: set[CatalogEntry] = set()
    with connection.cursor() as cursor:
        cursor.execute(query, {"schema": schema_name})
        for kind, table, name, definition in cursor.fetchall():
            if kind == "index":
                definition = re.sub(r"INDEX \S+ ON", "INDEX ON", definition, count=1)
            neutral = definition.replace(f"{schema_name}.", "<schema>.").replace(
                f'"{schema_name}".', "<schema>."
            )
            entries.add(CatalogEntry(kind=kind, table=table, name=name, definition=neutral))
    return entries


def clone_names_align(*, source: str, target: str) -> list[tuple[str, str]]:
    """Rename the target's constraints and indexes to the source's names; return the renames.

    Entries are matched on (kind, table, definition); a constraint's backing index follows its
    constraint's rename, so indexes are aligned after constraints. The source's catalog is read
    once, the target's once per kind, and each kind's renames go to the server in one round trip.
    """
    wanted = {
        (e.kind, e.table, e.definition): e.name for e in schema_catalog(source, kinds=("constraint", "index"))
    }
    renames: list[tuple[str, str]] = []
    for kind in ("constraint", "index"):
        statements: list[sql.Composable] = []
        for entry in sorted(schema_catalog(target, kinds=(kind,)), key=lambda e: e.name):
            expected = wanted.get((kind, entry.table, entry.definition))
            if expected is None or expected == entry.name:
                continue
            if kind == "constraint":
                statements.append(
                    sql.SQL("ALTER TABLE {}.{} RENAME CONSTRAINT {} TO {}").format(
                        sql.Identifier(target),
                        sql.Identifier(entry.table),
                        sql.Identifier(entry.name),
                        sql.Identifier(expected),
                    )
                )
            else:
                statements.append(
                    sql.SQL("ALTER INDEX {}.{} RENAME TO {}").format(
                        sql.Identifier(target), sql.Identifier(entry.name), sql.Identifier(expected)
                    )
                )
            renames.append((entry.name, expected))
        if statements:
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL(";\n").join(statements).as_string(cursor.connection))
    return renames
