"""Bring a site up to date in one process: migrate, places, demo accounts (DEBUG only), static files."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from courses.services import ensure_catalogue


class Command(BaseCommand):
    help = "Migrate, load administrative units, create demo accounts when DEBUG is on, collect static files."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_places")
        ensure_catalogue()
        if settings.DEBUG:
            call_command("seed_demo")
        call_command("collectstatic", interactive=False, verbosity=0)
