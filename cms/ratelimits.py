"""One answer for every rate limit, allauth's or ours: a Vietnamese 429 page, or the API's JSON error."""

import math
import time

from allauth.core.exceptions import RateLimited
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_RETRY_AFTER = 60


class TooManyRequests(RateLimited):
    """allauth's RateLimited with what to tell the person: raised anywhere, answered as a 429."""

    def __init__(self, message: str | None = None, *, retry_after: int = DEFAULT_RETRY_AFTER):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))


def wait_seconds(request: HttpRequest, *, action: str, key: str | None = None) -> int:
    """Seconds until allauth's limits for `action` (ACCOUNT_RATE_LIMITS) let one more request through."""
    now = time.time()
    wait = 0.0
    for rate in allauth_ratelimit.get_rates(app="allauth.account", action=action):
        if (rate.per == "key" and key is None) or rate.per == "user":
            continue  # per-user limits (password change) answer through handler429 with the default wait
        cache_key = allauth_ratelimit.get_cache_key(request, app="allauth.account", action=action, rate=rate, key=key)
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]  # newest first
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(wait)) if wait else DEFAULT_RETRY_AFTER


def consume(request: HttpRequest, *, action: str, key: str | None = None, message: str | None = None) -> None:
    """Count one request against the project's own limit `action` (settings.RATE_LIMITS, allauth's notation:
    "30/m/ip,5/5m/key"), GETs included; raise TooManyRequests with the real wait when it is used up.

    Sliding windows (allauth's timestamps), not fixed minutes: a guesser cannot double the limit by straddling
    the turn of a minute.
    """
    config = settings.RATE_LIMITS
    usage = allauth_ratelimit.consume(request, app="project", action=action, config=config, key=key,
                                      limit_get=True)
    if usage:
        return
    now = time.time()
    wait = 0.0
    for rate in allauth_ratelimit.get_rates(app="project", action=action, config=config):
        if rate.per == "key" and key is None:
            continue
        cache_key = allauth_ratelimit.get_cache_key(request, app="project", action=action, rate=rate, key=key)
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    raise TooManyRequests(message, retry_after=math.ceil(wait) if wait else DEFAULT_RETRY_AFTER)


def wait_text(seconds: int) -> str:
    if seconds < 90:
        return ngettext("Please wait %(count)d second and try again.",
                        "Please wait %(count)d seconds and try again.", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("Please wait %(count)d minute and try again.",
                    "Please wait %(count)d minutes and try again.", minutes) % {"count": minutes}


def too_many_requests(
    request: HttpRequest, *, message: str | None = None, retry_after: int = DEFAULT_RETRY_AFTER
) -> HttpResponse:
    """The 429 answer: the API's error shape under /api/, a page everywhere else; always with Retry-After."""
    message = str(message or _("Too many requests were sent from here in a short time."))
    wait = wait_text(retry_after)
    if request.path.startswith("/api/"):
        body = {"error": {"code": "rate_limited", "message": f"{message} {wait}",
                          "details": {"retry_after": retry_after}}}
        response = JsonResponse(body, status=429)
    else:
        response = render(request, "429.html", {"message": message, "wait": wait}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def handler429(request: HttpRequest, exception=None) -> HttpResponse:
    """allauth's respond_429() looks for `handler429` in the root URL conf and answers with it."""
    return too_many_requests(request)


class RateLimitMiddleware:
    """A RateLimited that escapes a view (e.g. allauth's SMS limit inside a login) is a 429, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TooManyRequests):
            return too_many_requests(request, message=exception.message, retry_after=exception.retry_after)
        if isinstance(exception, RateLimited):
            return too_many_requests(request)
        return None


def forgive(request: HttpRequest, *, action: str, key: str) -> None:
    """Forget the per-key count of `action` for `key` after it succeeded (like allauth after a right password),
    so that earlier typos do not lock the owner out; the per-connection count stays."""
    for rate in allauth_ratelimit.get_rates(app="project", action=action, config=settings.RATE_LIMITS):
        if rate.per == "key":
            cache.delete(allauth_ratelimit.get_cache_key(request, app="project", action=action, rate=rate, key=key))
