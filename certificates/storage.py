"""Where certificate PDFs are kept: a private storage that no URL serves; downloads go through a view."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL at all: asking for one is a bug (the download view streams them)."""

    def url(self, name):
        raise ValueError("Certificate PDFs are private: serve them through the download view.")


class _CertificateStorage(LazyObject):
    def _setup(self):
        # Production may configure STORAGES["certificates"] (e.g. a private S3 bucket); otherwise a
        # folder under MEDIA_ROOT that this storage never links to (no public URL is generated).
        if "certificates" in settings.STORAGES:
            self._wrapped = storages["certificates"]
        else:
            self._wrapped = PrivateFileSystemStorage(
                location=settings.MEDIA_ROOT / "private-certificates", base_url=None, allow_overwrite=True
            )


_storage = _CertificateStorage()


def certificate_storage():
    """A callable, so migrations do not freeze a path or a backend into the schema."""
    return _storage

