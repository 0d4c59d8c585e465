"""allauth adapter: phone numbers live on the user; codes go out by SMS."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import RateLimited
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.ratelimits import TooManyRequests, wait_seconds
from places.text import clean_text

from . import services
from .models import User
from .phone import PhoneField, normalize_phone
from .tasks import send_sms


def login_attempts_key(**credentials) -> str:
    """The one key failed logins are counted under: the normalised number, the lower-cased email, or the text typed.

    "0912 000 101", "0912.000.101" and "+84912000101" are one person; every other number is someone else.
    """
    if credentials.get("phone"):
        try:
            return "phone:" + normalize_phone(credentials["phone"])
        except ValidationError:
            pass
    for method in ("email", "phone", "username"):
        if credentials.get(method):
            return f"{method}:{clean_text(credentials[method]).lower()}"
    return "empty:"


class AccountAdapter(DefaultAccountAdapter):
    # Failed logins (allauth's "login_failed" limit)
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys by email or username only: every phone login would share one key and one lock.
        return login_attempts_key(**credentials)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            key = self._get_login_attempts_cache_key(request, **credentials)
            retry_after = wait_seconds(request, action="login_failed", key=key)
            message = _("Too many wrong passwords were typed. If you have forgotten yours, reset it by SMS.")
            raise TooManyRequests(message, retry_after=retry_after) from None

    def get_login_stages(self) -> list[str]:
        ours = {"allauth.account.stages.PhoneVerificationStage": "accounts.stages.PhoneVerificationStage"}
        return [ours.get(stage, stage) for stage in super().get_login_stages()]

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        # Where allauth catches its own limit and only adds "too many requests" (e.g. "send a new code"),
        # answer with the same 429 as every other limit.
        if message is not None and str(message) == str(self.error_messages["rate_limited"]):
            raise RateLimited
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def phone_form_field(self, **kwargs):
        kwargs.pop("label", None)
        return PhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalize_phone(phone)

    def populate_username(self, request, user) -> None:
        # The username is an internal handle only: people log in by phone or email.
        if not user.username:
            user.username = "u" + secrets.token_hex(6)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name = data["full_name"]
        user.year_of_birth = data["year_of_birth"]
        user.gender = data.get("gender") or ""
        user.commune = data["commune"]
        user.created_via = User.CreatedVia.SELF
        if commit:
            user.save()
            services.record_consents(
                user=user, purposes=form.consented_purposes(), method="online", recorded_by=user
            )
        return user

    # Phone storage
    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:  # during sign-up the user is saved afterwards, in one go
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if user.phone:
            return (user.phone, user.phone_verified)
        if user.email:
            # Staff and editors may log in by email alone: there is no phone to verify.
            return ("", True)
        return None

    def set_phone_verified(self, user, phone: str) -> None:
        if user.phone == phone:
            user.phone_verified = True
            user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone: str):
        # The login form passes the number as typed ("0912 345 678"); compare normalised forms.
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).order_by("pk").first()

    # SMS
    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        message = _("Your Binh dan hoc vu so code is %(code)s. Do not share it with anyone.") % {
            "code": code
        }
        send_sms.delay(phone, message)
        if settings.DEBUG and self.request is not None:
            # Demo only: there is no SMS gateway on a developer's machine.
            messages.info(self.request, _("Demo mode: the SMS code is %(code)s") % {"code": code})
