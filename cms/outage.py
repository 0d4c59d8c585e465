"""Error pages for an outage: a lost database answers 503 with Retry-After, rendered without touching it."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether the error means the database cannot be used now (refused, lost or closed connection, timeout)."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response(request) -> HttpResponse:
    """503 in the shape the client reads: JSON for the API and /healthz, a Vietnamese page for people."""
    if request.path.startswith("/api/"):
        message = _("The service is briefly unavailable. Please try again in a few minutes.")
        response = JsonResponse({"error": {"code": "unavailable", "message": message, "details": None}}, status=503)
    elif request.path == "/healthz":
        response = JsonResponse({"status": "unavailable", "database": False, "failed": ["database"]}, status=503)
    else:
        # No request context: context processors and request.user would query the database again.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: Django calls it for any uncaught error, raised in a middleware, a view or a template."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request, template_name)
