"""The API's URLs (mounted at /api/v1/), answering in the API's JSON error shape for 404 and 405 too."""

from functools import wraps

from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .api import api, error_response


def _json_not_allowed(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            refused = error_response(request, status=405, code="method_not_allowed",
                                     message=_("This action is not possible here."))
            refused["Allow"] = response.get("Allow", "")
            return refused
        return response

    return wrapped


@csrf_exempt  # answers only 404: nothing to protect
def unknown(request, *args, **kwargs):
    return error_response(request, status=404, code="not_found", message=_("Not found."))


# Not named app_name / namespace: include() would read them as this module's own namespace.
_patterns, _ninja_app, _ninja_namespace = api.urls
urlpatterns = [
    path("", ([
        URLPattern(item.pattern, _json_not_allowed(item.callback), item.default_args, item.name)
        if isinstance(item, URLPattern) else item
        for item in _patterns
    ], _ninja_app, _ninja_namespace)),
    re_path(r"", unknown),
]
