"""Security headers: a strict Content-Security-Policy for the public site, a looser one for the admin screens."""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; under ADMIN_URL_PREFIXES the policy is ADMIN_CONTENT_SECURITY_POLICY.

    The Wagtail admin is not yet compatible with a strict policy (wagtail#1288); README says what it allows.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(settings.ADMIN_URL_PREFIXES):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


# Pages and files about people (the trainer's workspace with its reports, exports and login-card PDFs, staff's
# learner pages, one's own data): never kept by the browser or a proxy. Phones are shared and borrowed (that is
# what login cards are for): after signing out, Back or the download list must not show a class's names.
PRIVATE_PATH_PREFIXES = ("/trainer/", "/accounts/learners/", "/accounts/me/", "/classes/", "/checkin/")


class PrivateNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(PRIVATE_PATH_PREFIXES) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response
