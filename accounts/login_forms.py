"""allauth's login form with plain labels (kept apart: allauth's forms import accounts.forms)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _

from .phone import normalize_phone


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
