"""Static files storage: whitenoise's compressed, hashed files, linked by hashed name in every configuration."""

import os

from django.conf import settings
from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed, hashed files, linked by their hashed names with DEBUG on too.

    Django links plain names when DEBUG is on, so `make run` would send CSS cached for an hour
    instead of forever (whitenoise marks a file immutable only when this method links it by
    the hashed name asked for). prepare_site collects static files before runserver starts; a
    file edited or added since then is linked by its plain name, served from its app, until
    the next collectstatic: never a stale copy.
    """

    def url(self, name, force=False):
        if not settings.DEBUG or force:
            return super().url(name, force)
        try:
            manifest_time = os.stat(self.manifest_storage.path(self.manifest_name)).st_mtime
            source = finders.find(name)
            if not source or os.stat(source).st_mtime <= manifest_time:
                return super().url(name, force=True)
        except (OSError, ValueError):  # not collected yet
            pass
        return super().url(name)
