"""Indexes on the raw tables' timestamps that the rollup reads "since its last run".

They belong to the statistics (no page of those apps needs them), so they live here rather than in the models of
accounts, courses, certificates and quizzes: a run then costs what changed, not the size of the tables.
"""

from django.db import migrations

INDEXES = [
    ("reports_feed_user_joined", "accounts_user", "date_joined", ""),
    ("reports_feed_enrolled", "courses_enrollment", "enrolled_at", ""),
    ("reports_feed_completed", "courses_enrollment", "completed_at", "completed_at IS NOT NULL"),
    ("reports_feed_cert_issued", "certificates_certificate", "issued_at", ""),
    ("reports_feed_cert_revoked", "certificates_certificate", "revoked_at", "revoked_at IS NOT NULL"),
    ("reports_feed_quiz_submitted", "quizzes_quizattempt", "submitted_at", "submitted_at IS NOT NULL"),
]


def create_sql(name, table, column, where):
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})" + (f" WHERE {where}" if where else "")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("accounts", "0004_user_registered_by_alter_consent_purpose"),
        ("courses", "0003_framework_entry_names"),
        ("certificates", "0001_initial"),
        ("quizzes", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(create_sql(*index), f"DROP INDEX IF EXISTS {index[0]}") for index in INDEXES
    ]
