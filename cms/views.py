"""Site-wide views that belong to no app: the health check, uploads in development."""

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import Http404, JsonResponse
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .files import is_private


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _broker_ok() -> bool:
    from cms.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


def _cache_ok() -> bool:
    # Only the Redis cache can be down; local memory (no REDIS_URL) always answers.
    reachable = getattr(cache, "reachable", None)
    return reachable() if reachable else True


@never_cache
@require_GET
@transaction.non_atomic_requests  # the check opens the connection itself, to answer even without a database
def healthz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker_ok()
    failed = [name for name, ok in checks.items() if not ok]
    # Without the database nothing works (503: take this server out of rotation). Without Redis or the broker
    # pages still work, degraded (200, so a Redis blip never takes every web server out of rotation at once).
    status = "unavailable" if not checks["database"] else "degraded" if failed else "ok"
    return JsonResponse({"status": status, **checks, "failed": failed}, status=503 if status == "unavailable" else 200)


def csrf_failure(request, reason=""):
    """A plain-language page for an expired or missing CSRF token (403, nothing saved)."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)


def media(request, path: str):
    """Development only: an uploaded file, decided on its real path, never on how the URL spells it.

    Whatever the spelling (percent-encoded dots, double slashes, dot segments, symlinks), the file must
    resolve inside MEDIA_ROOT and outside PRIVATE_MEDIA_ROOT.
    """
    root = Path(settings.MEDIA_ROOT).resolve()
    if "\\" in path or "\0" in path:
        raise Http404
    target = (root / path.lstrip("/")).resolve()
    if not target.is_relative_to(root) or is_private(target) or not target.is_file():
        raise Http404
    return static.serve(request, target.relative_to(root).as_posix(), document_root=root)
