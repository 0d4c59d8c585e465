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
