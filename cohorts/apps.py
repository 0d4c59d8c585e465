from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def add_search_key_function(sender, connection, **kwargs):
    """SQLite: search_key() in SQL is places.text.search_key, so cohorts.selectors.Folded folds names in the
    database there too (PostgreSQL folds with translate())."""
    if connection.vendor == "sqlite":
        from places.text import search_key

        connection.connection.create_function("search_key", 1, search_key, deterministic=True)


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self):
        connection_created.connect(add_search_key_function, dispatch_uid="cohorts_search_key")
