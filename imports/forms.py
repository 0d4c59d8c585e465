"""The upload form: the file, the commune and cohort its people join, and the consents the trainer confirms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Consent
from accounts.scoping import managed, trained_communes
from cohorts.models import Cohort
from places.models import Commune


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("List of people (XLSX or CSV UTF-8)"),
        help_text=_("Up to 5 MB and 20,000 people, with the headers of the template."),
        error_messages={"empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.none(), label=_("Commune"), empty_label=None,
        help_text=_("For the rows that name no commune."))
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(), required=False, label=_("Add them to the cohort"),
        empty_label=_("No cohort"))
    consent_learning = forms.BooleanField(
        label=_("Everyone on the list agreed, in person, to me: to keep their learning progress and show it to "
                "their trainer."))
    consent_certification = forms.BooleanField(
        required=False, label=_("They also agreed to have their name printed on their certificates."))
    consent_contact = forms.BooleanField(
        required=False, label=_("Those marked “Có” in the SMS column agreed to receive SMS about their classes."))

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = trained_communes(viewer).order_by("name")
        self.fields["cohort"].queryset = managed(Cohort, viewer).filter(archived_at=None).order_by("name")

    def purposes(self) -> list[str]:
        purposes = [Consent.Purpose.LEARNING]
        if self.cleaned_data.get("consent_certification"):
            purposes.append(Consent.Purpose.CERTIFICATION)
        return purposes
