"""The database itself refuses to change or remove a row of the audit trail (WEB.md "Audit
and history"): triggers on SQLite and on PostgreSQL, whichever this database is.

A TRUNCATE on PostgreSQL is not refused: it is a table owner's statement that neither
the application nor Django's ORM ever issues (Django's test runner empties tables with it
between transactional tests). Against a table owner, only database privileges protect.
"""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MESSAGE = "the audit trail cannot be changed or deleted: rows are only added"

SQLITE = [
    f"""CREATE TRIGGER audit_event_no_{statement.lower()}
    BEFORE {statement} ON audit_event
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for statement in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"]

# SQLSTATE 23000 (integrity constraint violation) is what SQLite's RAISE(ABORT) gives too,
# so Django raises IntegrityError on both databases.
POSTGRESQL = [
    f"""CREATE FUNCTION audit_event_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER audit_event_append_only ON audit_event",
    "DROP FUNCTION audit_event_refuse()",
]


def _run(
    statements: dict[str, list[str]],
) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"no audit trail triggers for {vendor} databases")
        for statement in statements[vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
