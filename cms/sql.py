"""Plain SQL kept beside the ORM on hot paths: table names filled in from the models, quoted for the database."""

from django.db import connection


def with_tables(template: str, **models) -> str:
    """`template` with each `{name}` replaced by the quoted table name of `models[name]`."""
    quote = connection.ops.quote_name
    return template.format(**{name: quote(model._meta.db_table) for name, model in models.items()})
