"""Settings for the test suite; the database comes from DATABASE_URL like everywhere else."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.LocmemBackend")  # noqa: F405
# Ordinary tests run tasks in-process; tests marked integration switch to the real worker.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_EAGER", "1") != "0"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # tests serve static files from the apps, not collectstatic
# The integration worker writes its mail here (EMAIL_BACKEND=...filebased.EmailBackend); pytest itself uses locmem.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "test-mail"))  # noqa: F405
