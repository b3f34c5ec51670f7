"""Usage records and issued invoices are immutable in the database itself, not only through the
ORM: a trigger refuses every UPDATE and DELETE of them, whatever the client. TRUNCATE (the test
suite's flush) is a table operation and not affected."""

from django.db import migrations

TABLES = ("billing_usageday", "billing_invoice", "billing_invoiceline")

FORWARD = """
CREATE OR REPLACE FUNCTION billing_record_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_immutable
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION billing_record_immutable();
"""
    for table in TABLES
)

BACKWARD = "".join(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS billing_record_immutable();\n"
)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
