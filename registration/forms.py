"""The trainer's forms: a resident registered on the spot, cards for a class, and the card sign-in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import CleanCharField, SignupForm, check_year_of_birth
from accounts.models import Consent
from accounts.phone import PhoneField
from accounts.scoping import trained_communes
from accounts.validators import validate_person_name

from . import selectors, services


class RegisterResidentForm(forms.Form):
    """One page, filled in with the person in front of the trainer: who they are, where, which class, and the
    consents they give aloud. The guardian's fields are always there (no JavaScript) and required for a minor."""

    full_name = CleanCharField(
        label=_("Full name"), max_length=150, min_length=2, validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
        error_messages={"required": _("Please enter the learner's full name.")},
    )
    phone = PhoneField(
        label=_("Mobile phone number (optional)"), required=False,
        help_text=_("Leave it empty if they have no phone of their own or share one: print them a login card."),
    )
    year_of_birth = forms.IntegerField(
        label=_("Year of birth"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "1965"}),
        error_messages={"required": _("Please enter the year of birth."),
                        "invalid": _("Enter the year as four digits, for example 1965.")},
    )
    gender = SignupForm.base_fields["gender"]
    commune = forms.ModelChoiceField(
        label=_("Commune, ward or special zone"), queryset=None, empty_label=None,
        error_messages={"required": _("Please choose the commune or ward."),
                        "invalid_choice": _("Choose one of your communes from the list.")},
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort to join (optional)"), queryset=None, required=False, empty_label=_("— No cohort —"),
        error_messages={"invalid_choice": _("Choose one of your cohorts from the list.")},
    )
    guardian_name = CleanCharField(label=_("Guardian's full name"), max_length=150, required=False,
                                   validators=[validate_person_name])
    guardian_relationship = CleanCharField(
        label=_("Relationship to the learner"), max_length=50, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Mother, father, grandparent …")}),
    )
    guardian_phone = PhoneField(label=_("Guardian's mobile phone number"), required=False)
    consent_learning = forms.BooleanField(
        label=Consent.Purpose.LEARNING.label,
        error_messages={"required": _("The account can only be kept with consent to learning.")},
    )
    consent_certification = forms.BooleanField(label=Consent.Purpose.CERTIFICATION.label, required=False)
    consent_contact = forms.BooleanField(label=Consent.Purpose.CONTACT.label, required=False)
    confirm_new = forms.BooleanField(label=_("This is someone else: register anyway"), required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        communes = trained_communes(viewer).order_by("name")
        self.fields["commune"].queryset = communes
        self.fields["cohort"].queryset = selectors.joinable_cohorts(viewer)
        if "commune" not in self.initial:
            self.initial["commune"] = communes.values_list("pk", flat=True).first()

    def clean_year_of_birth(self):
        return check_year_of_birth(self.cleaned_data["year_of_birth"])

    @property
    def minor(self) -> bool:
        return services.is_minor(self.cleaned_data.get("year_of_birth"))

    def clean(self):
        cleaned = super().clean()
        if self.minor:
            required = {
                "guardian_name": _("Under 16: enter the name of the parent or guardian who consents."),
                "guardian_relationship": _("Under 16: enter how the guardian is related to the learner."),
                "guardian_phone": _("Under 16: enter the guardian's phone number."),
            }
            for name, message in required.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def purposes(self) -> list[str]:
        wanted = {Consent.Purpose.LEARNING: True,
                  Consent.Purpose.CERTIFICATION: self.cleaned_data.get("consent_certification"),
                  Consent.Purpose.CONTACT: self.cleaned_data.get("consent_contact")}
        return [purpose for purpose, given in wanted.items() if given]

    def guardian(self) -> services.GuardianDetails | None:
        if not self.minor:
            return None  # an adult consents for themselves: guardian fields filled by mistake are not kept
        data = self.cleaned_data
        return services.GuardianDetails(full_name=data["guardian_name"], relationship=data["guardian_relationship"],
                                        phone=data["guardian_phone"])

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"full_name": data["full_name"], "phone": data["phone"] or None, "year_of_birth": data["year_of_birth"],
                "gender": data["gender"], "commune": data["commune"], "cohort": data["cohort"],
                "purposes": self.purposes(), "guardian": self.guardian()}


class CohortCardsForm(forms.Form):
    WHO = [
        ("missing", _("Only members without a card (new members): the cards already handed out keep working")),
        ("all", _("Every member: new cards for all; every card handed out before stops working")),
    ]
    who = forms.ChoiceField(label=_("Cards for"), choices=WHO, initial="missing", widget=forms.RadioSelect)


class CardLoginForm(forms.Form):
    code = forms.CharField(
        label=_("Card code"), max_length=40,
        help_text=_("The 12 letters and digits printed under the QR code, for example HL7K2M-48R9QT."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Please enter the code printed on the card.")},
    )

    def clean_code(self):
        return services.normalize_card_code(self.cleaned_data["code"])
