"""The request edge: input no view may see (control characters, broken encodings, unreadable bodies) is a 400."""

import json
import logging
import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# C0 controls but tab, line feed and carriage return: PostgreSQL refuses NUL in text, and none of the others
# belongs in anything a person types.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A "%" not followed by two hex digits: Django would pass it on as a literal, guessing what was meant.
BROKEN_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def _has_control(values) -> bool:
    return any(CONTROL.search(value) for value in values if isinstance(value, str))


def _strings_in(data):
    """Every key and string value of a decoded JSON document (without recursion: nesting may be deep)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _wsgi_bytes(value: str) -> bytes | None:
    """The bytes a WSGI server received (it hands them over as ISO-8859-1 text); None if not such a string."""
    try:
        return value.encode("iso-8859-1")
    except UnicodeEncodeError:
        return None


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _valid_urlencoded(raw: bytes | None) -> bool:
    """A query string or form body: well-formed escapes that decode to UTF-8."""
    if raw is None:
        return True
    return not BROKEN_ESCAPE.search(raw) and _valid_utf8(unquote_to_bytes(raw.replace(b"+", b" ")))


def _path_problem(request) -> bool:
    # Invalid UTF-8 in a path needs no check: Django has already re-escaped it as plain ASCII ("%E9").
    return bool(CONTROL.search(request.path_info))


def _cookie_problem(request) -> bool:
    # The session cookie's value is looked up in the database as it comes.
    return _has_control([item for key, value in request.COOKIES.items() for item in (key, value)])


def _not_an_address(value: str) -> bool:
    # Django's redirect() takes a string with neither "/" nor "." for a URL name and fails when it is none
    # (Wagtail's login page does that with ?next=); an address always has one of the two.
    return bool(value) and "/" not in value and "." not in value


def _query_problem(request) -> bool:
    if not _valid_urlencoded(_wsgi_bytes(request.META.get("QUERY_STRING", ""))):
        return True
    if any(_not_an_address(value) for value in request.GET.getlist("next")):
        return True
    return any(_has_control([key, *request.GET.getlist(key)]) for key in request.GET)


def _body_problem(request) -> bool:
    """Form fields (names and values), uploaded files' names (not their bytes), and the strings of a JSON body."""
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if content_type == "application/x-www-form-urlencoded" and not _valid_urlencoded(request.body):
            return True
        fields = [item for key in request.POST for item in (key, *request.POST.getlist(key))]
        files = [item for key in request.FILES for item in (key, *(f.name for f in request.FILES.getlist(key)))]
        return _has_control(fields + files)
    # Any other body is checked if it is JSON, whatever type it declares: the API's parser (django-ninja) reads
    # every body as JSON.
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False  # the view answers an unreadable length
        if not 0 < length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return False  # too large to read here: the view's own limit answers
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            return False  # not JSON, not UTF-8 or nested too deep: the API answers that with its own error
        return _has_control(_strings_in(document))
    return False


def _bad_input_for_the_orm(exception: Exception) -> bool:
    """A value the ORM could not turn into its column's type (Django and Wagtail views pass query values on as
    they come): a ValidationError or DataError, or a ValueError/TypeError/OverflowError raised inside django.db."""
    if isinstance(exception, ValidationError | DataError):
        return True
    if not isinstance(exception, ValueError | TypeError | OverflowError):
        return False
    traceback = exception.__traceback__
    while traceback and traceback.tb_next:
        traceback = traceback.tb_next
    return bool(traceback) and traceback.tb_frame.f_globals.get("__name__", "").startswith("django.db.")


def bad_request(request, *, code: str, message: str):
    """The one 400: the API's error shape under /api/, the site's page elsewhere, in the visitor's language."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message, "details": None}}, status=400)
    return render(request, "400.html", status=400)


class RequestEdgeMiddleware:
    """Refuse, before any view or the database sees them, requests with control characters (path, cookies, query,
    form fields, JSON) or broken encodings.

    Also the one place where bad input that still reached the ORM ("notauuid" for a UUID column, "x" for an id
    in a Wagtail chooser, a number out of range) becomes a 400 instead of a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_request(request, check_path=True)
        with translation.override(language):
            try:
                refused = (_path_problem(request) or _cookie_problem(request) or _query_problem(request)
                           or _body_problem(request))
            except MultiPartParserError:
                return bad_request(request, code="malformed_body", message=_("The data sent could not be read."))
            if refused:
                return bad_request(request, code="invalid_characters",
                                   message=_("The request contains characters that are not allowed."))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _bad_input_for_the_orm(exception):
            return None
        logger.warning("Bad input reached the database layer: %s %s", request.method, request.path, exc_info=True)
        return bad_request(request, code="invalid_input", message=_("Some of the data sent is not valid."))
