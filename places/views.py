"""Small JSON endpoints behind the commune picker's search (the picker works without them)."""

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from . import selectors

MAX_QUERY_LENGTH = 100
CACHE_SECONDS = 60 * 60 * 24  # the official list changes a few times a year at most


def _json(data: dict, status: int = 200) -> JsonResponse:
    # Raw UTF-8 instead of \uXXXX escapes: smaller payloads for Vietnamese names.
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _cached(response: JsonResponse) -> JsonResponse:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _error(message: str, status: int) -> JsonResponse:
    response = _json({"error": message}, status=status)
    patch_cache_control(response, no_cache=True)
    return response


def _province_code(value: str) -> str:
    value = value.strip()
    return value.zfill(2) if value.isdigit() else value


@require_GET
def province_communes(request, province_code):
    code = _province_code(province_code)
    communes = selectors.province_communes(code)
    if not communes and not selectors.province_exists(code):
        return _error(gettext("This province does not exist."), 404)
    return _cached(_json({"communes": communes}))


@require_GET
def commune_search(request):
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        return _error(
            gettext("The search text is too long (at most %(max)d characters).")
            % {"max": MAX_QUERY_LENGTH},
            400,
        )
    province_code = _province_code(request.GET.get("province", ""))
    results = [
        {
            "code": commune.code,
            "name": commune.name,
            "province_code": commune.province_id,
            "province_name": commune.province.name,
        }
        for commune in selectors.search_communes(query, province_code)
    ]
    return _cached(_json({"results": results}))
