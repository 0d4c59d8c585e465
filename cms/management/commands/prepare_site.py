"""Bring a site up to date in one process: migrate, private files, places, demo accounts (DEBUG only), static."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

from certificates.storage import move_legacy_pdfs
from courses.services import ensure_catalogue


def static_sources_fingerprint() -> str:
    """Names, sizes and times of every static source file: unchanged means collectstatic has nothing to do."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Migrate, load administrative units, create demo accounts when DEBUG is on, collect static files."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if moved := move_legacy_pdfs():
            self.stdout.write(f"Moved {moved} certificate PDFs out of MEDIA_ROOT into PRIVATE_MEDIA_ROOT.")
        call_command("load_places")
        ensure_catalogue()
        if settings.DEBUG:
            call_command("seed_demo")
        self.collect_static()

    def collect_static(self):
        # Hashing and compressing every file takes seconds; skip it when no source changed.
        marker = Path(settings.STATIC_ROOT) / ".sources-fingerprint"
        fingerprint = static_sources_fingerprint()
        if marker.exists() and marker.read_text() == fingerprint:
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        marker.write_text(fingerprint)
