"""allauth's login and email-reset forms, adapted (kept apart: allauth's forms import accounts.forms)."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .phone import normalize_phone
from .tasks import send_password_reset_email


class LoginForm(AllauthLoginForm):
    """allauth's login form with plain labels; the SMS reset link sits under the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Phone number or email")
        self.fields["login"].widget.attrs.update({"placeholder": "0912 345 678", "autocomplete": "username"})
        self.fields["password"].help_text = ""

    def clean_login(self) -> str:
        login = super().clean_login()
        if "@" not in login:
            normalize_phone(login)  # a number with letters (or none at all) is refused with its reason
        return login


class EmailPasswordResetForm(ResetPasswordForm):
    """Staff reset by email: the same page, status and work for an address with or without an account.

    The request only queues the address; the worker looks it up and mails a link if there is an account,
    so neither the answer nor its timing tells whether the address is known.
    """

    def clean_email(self) -> str:
        return get_adapter().clean_email(self.cleaned_data["email"].lower())

    def save(self, request, **kwargs) -> str:
        email = self.cleaned_data["email"]
        base_url = request.build_absolute_uri("/")

        def queue_reset_email():
            send_password_reset_email.delay(email=email, base_url=base_url)

        # robust: an unreachable mail server (or broker) is logged, never a 500 on this page.
        transaction.on_commit(queue_reset_email, robust=True)
        return email
