from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the platform on a developer's machine; product apps hold none of it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo"
