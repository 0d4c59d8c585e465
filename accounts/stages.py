"""allauth's login stages, adapted (named in AccountAdapter.get_login_stages)."""

from allauth.account.internal import flows  # noqa: F401  (loads allauth.account.stages without an import circle)
from allauth.account.stages import PhoneVerificationStage as AllauthPhoneVerificationStage
from allauth.core.exceptions import RateLimited
from django.utils.translation import gettext as _

from cms.ratelimits import TooManyRequests, wait_seconds


class PhoneVerificationStage(AllauthPhoneVerificationStage):
    """allauth's stage, but "a code went to this number seconds ago" is a 429 that says so, not a 500."""

    def handle(self):
        try:
            return super().handle()
        except RateLimited:
            phone = self.state.get("phone") or ""
            retry_after = wait_seconds(self.request, action="verify_phone", key=phone)
            raise TooManyRequests(
                _("A code was sent to this number a moment ago. Check your SMS messages."), retry_after=retry_after
            ) from None
