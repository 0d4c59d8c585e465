"""The Wagtail project package: settings, URLs, Celery app and site chrome."""

from .celery import app as celery_app

__all__ = ("celery_app",)
