"""Where certificate PDFs are kept: a private storage that no URL serves; downloads go through a view."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject

from cms.files import LEGACY_PRIVATE_FOLDER as LEGACY_FOLDER
from cms.files import private_overlaps_public


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL at all: asking for one is a bug (the download view streams them)."""

    def url(self, name):
        raise ValueError("Certificate PDFs are private: serve them through the download view.")


def local_location() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "certificates"


class _CertificateStorage(LazyObject):
    def _setup(self):
        # Production may configure STORAGES["certificates"] (e.g. a private S3 bucket); otherwise a
        # folder under PRIVATE_MEDIA_ROOT, outside every folder a route serves files from.
        if "certificates" in settings.STORAGES:
            self._wrapped = storages["certificates"]
            return
        if exposed := private_overlaps_public():
            raise ImproperlyConfigured(f"PRIVATE_MEDIA_ROOT overlaps the public folder {exposed[0]}.")
        self._wrapped = PrivateFileSystemStorage(location=local_location(), base_url=None, allow_overwrite=True)


_storage = _CertificateStorage()


def certificate_storage():
    """A callable, so migrations do not freeze a path or a backend into the schema."""
    return _storage


def move_legacy_pdfs() -> int:
    """Move PDFs left under MEDIA_ROOT/private-certificates into the private root (names unchanged); once.

    A PDF already at its new place wins (it was rendered later). Returns how many files were moved.
    """
    legacy = Path(settings.MEDIA_ROOT) / LEGACY_FOLDER
    if not legacy.is_dir():
        return 0
    moved = 0
    for source in sorted(path for path in legacy.rglob("*") if path.is_file() and not path.is_symlink()):
        target = local_location() / source.relative_to(legacy)
        if target.exists():
            source.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
        moved += 1
    shutil.rmtree(legacy)  # nothing private is left under the public root, not even a symlink
    return moved
