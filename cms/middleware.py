"""Request checks that must run before Django reads a body (the CSRF check reads form bodies)."""

from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _


class MalformedBodyMiddleware:
    """A form body that cannot be parsed (e.g. multipart without a boundary) is a 400, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parse now, where the error can be answered
            except MultiPartParserError:
                message = _("The data sent could not be read.")
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"error": {"code": "malformed_body", "message": message, "details": None}}, status=400
                    )
                return render(request, "400.html", status=400)
        return self.get_response(request)
