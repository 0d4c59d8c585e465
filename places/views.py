"""Small JSON endpoints behind the commune picker's search (the picker works without them)."""

from django.http import JsonResponse


def province_communes(request, province_code):
    return JsonResponse({"communes": []})


def commune_search(request):
    return JsonResponse({"results": []})
