"""Forms people fill in about themselves: sign-up details, password reset by SMS, account deletion."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Commune, Province
from places.text import clean_text

from .models import Consent, User
from .phone import PhoneField
from .validators import validate_person_name


class CleanCharField(forms.CharField):
    """A text field that stores NFC-normalised, trimmed, whitespace-collapsed text."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


class CommuneChoiceMixin:
    """Province → commune selects that work without JavaScript.

    The commune select lists only the chosen province's communes, but any real commune is
    accepted, so that a mismatch gets a clear message instead of "invalid choice".
    """

    def setup_commune_fields(self):
        province_code = self.data.get(self.add_prefix("province")) or self.initial.get("province")
        commune_field = self.fields["commune"]
        choices = [("", _("— Choose your commune or ward —"))]
        if province_code:
            choices += list(
                Commune.objects.filter(province_id=province_code)
                .order_by("name")
                .values_list("code", "name")
            )
        commune_field.widget.choices = choices

    def clean(self):
        cleaned = super().clean()
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.province_id != province.code:
            self.add_error(
                "commune",
                _("%(commune)s is not in %(province)s. Choose the province again, then the commune.")
                % {"commune": commune.name, "province": province.name},
            )
        return cleaned


def current_year() -> int:
    return timezone.localdate().year


def check_year_of_birth(year: int) -> int:
    """A year of birth someone alive can have: from 1900 to this year (the one rule of every form)."""
    this_year = current_year()
    if year < 1900 or year > this_year:
        raise forms.ValidationError(_("Enter a year between 1900 and %(year)s.") % {"year": this_year})
    return year


class SignupForm(CommuneChoiceMixin, forms.Form):
    """Extra sign-up fields; allauth adds the phone number and the two passwords."""

    full_name = CleanCharField(
        label=_("Full name"), max_length=150, min_length=2, validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words"}),
        error_messages={"required": _("Please enter your full name.")},
    )
    year_of_birth = forms.IntegerField(
        label=_("Year of birth"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "1965"}),
        error_messages={
            "required": _("Please enter your year of birth."),
            "invalid": _("Enter the year as four digits, for example 1965."),
        },
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), required=False,
        choices=[("", _("Prefer not to say")), *User.Gender.choices],
    )
    province = forms.ModelChoiceField(
        label=_("Province or city"), queryset=Province.objects.all(),
        empty_label=_("— Choose your province —"),
        error_messages={"required": _("Please choose your province or city."),
                        "invalid_choice": _("Choose a province from the list.")},
    )
    commune = forms.ModelChoiceField(
        label=_("Commune, ward or special zone"), queryset=Commune.objects.all(),
        error_messages={"required": _("Please choose your commune or ward."),
                        "invalid_choice": _("Choose a commune from the list.")},
    )
    consent_learning = forms.BooleanField(
        label=Consent.Purpose.LEARNING.label,
        error_messages={"required": _("We can only keep your learning with your consent.")},
    )
    consent_certification = forms.BooleanField(
        label=Consent.Purpose.CERTIFICATION.label, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_commune_fields()

    def clean_year_of_birth(self):
        year = check_year_of_birth(self.cleaned_data["year_of_birth"])
        this_year = current_year()
        if this_year - year < settings.MINIMUM_SELF_SIGNUP_AGE:
            raise forms.ValidationError(
                _(
                    "People under %(age)s cannot sign up by themselves. Please ask a trainer of "
                    "your commune to register you together with a parent or guardian."
                )
                % {"age": settings.MINIMUM_SELF_SIGNUP_AGE},
                code="too_young",
            )
        return year

    def consented_purposes(self) -> list[str]:
        purposes = [Consent.Purpose.LEARNING]
        if self.cleaned_data.get("consent_certification"):
            purposes.append(Consent.Purpose.CERTIFICATION)
        return purposes

    def signup(self, request, user):
        """Called by allauth after the user is saved; our adapter already stored everything."""


class PasswordResetRequestForm(forms.Form):
    phone = PhoneField()


class PasswordResetCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password1 = forms.CharField(
        label=_("New password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password (again)"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password

