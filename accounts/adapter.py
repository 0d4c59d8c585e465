"""allauth adapter: phone numbers live on the user; codes go out by SMS."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import services
from .models import User
from .phone import PhoneField, normalize_phone
from .tasks import send_sms


class AccountAdapter(DefaultAccountAdapter):
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
