"""The audit log's "by person" search (backoffice.audit) reads one actor's newest
entries: an index on (actor, time) serves it without sorting every entry of theirs.
django-auditlog's own table, so the index is written here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0015_alter_logentry_changes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS portal_logentry_actor_time_idx "
            "ON auditlog_logentry (actor_id, timestamp DESC, id DESC)",
            "DROP INDEX IF EXISTS portal_logentry_actor_time_idx",
        )
    ]
