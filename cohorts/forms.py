"""Forms of the cohort pages: they normalise what people type (NFC, no invisible characters) and check it."""

import unicodedata
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import sms
from accounts.scoping import trained_communes
from places.text import clean_text

from . import selectors
from .models import Cohort, CohortMessage

MESSAGE_MAX_LENGTH = CohortMessage._meta.get_field("text").max_length
# Vietnamese is sent as UCS-2: 5 SMS carry 335 units (67 each), about 320 letters without emoji (an emoji takes 2).
MESSAGE_MAX_SEGMENTS = 5
ALLOWED_CONTROLS = {"\n", "\r", "\t"}


class CleanCharField(forms.CharField):
    """Text as every input boundary stores it (places.text.clean_text)."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


class ClassDateField(forms.DateField):
    """A date of the trainer's workspace (a cohort's start or end, a class session): typed as YYYY-MM-DD or
    DD/MM/YYYY and within this century's range, so a slip of the thumb (year 0001, 9999) is refused, not stored."""

    earliest, latest = date(2000, 1, 1), date(2099, 12, 31)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not self.earliest <= value <= self.latest:
            bounds = {"earliest": f"{self.earliest:%d/%m/%Y}", "latest": f"{self.latest:%d/%m/%Y}"}
            raise forms.ValidationError(_("Enter a date between %(earliest)s and %(latest)s.") % bounds,
                                        code="out_of_range")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class CohortForm(forms.Form):
    name = CleanCharField(label=_("Name of the cohort"), max_length=Cohort._meta.get_field("name").max_length,
                          help_text=_("For example: Tuesday morning class, residential group 3."))
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, empty_label=None)
    courses = forms.MultipleChoiceField(label=_("Courses the cohort follows"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    starts_on = ClassDateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = ClassDateField(label=_("Ends on"), required=False, widget=DateInput())
    place = CleanCharField(label=_("Meeting place"), required=False,
                           max_length=Cohort._meta.get_field("place").max_length,
                           help_text=_("For example: cultural house of residential group 3."))
    schedule = CleanCharField(label=_("Schedule"), required=False,
                              max_length=Cohort._meta.get_field("schedule").max_length,
                              help_text=Cohort._meta.get_field("schedule").help_text)
    co_trainers = forms.ModelMultipleChoiceField(label=_("Co-trainers"), queryset=None, required=False,
                                                 widget=forms.CheckboxSelectMultiple,
                                                 help_text=_("Other trainers of the same commune."))

    def __init__(self, *args, viewer, cohort: Cohort | None = None, **kwargs):
        if cohort is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": cohort.name, "commune": cohort.commune_id, "starts_on": cohort.starts_on,
                "ends_on": cohort.ends_on, "place": cohort.place, "schedule": cohort.schedule,
                "courses": [str(key) for key in cohort.courses.values_list("course_key", flat=True)],
                "co_trainers": [t.pk for t in cohort.trainers.all() if t.pk != viewer.pk],
            }
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        communes = trained_communes(viewer).order_by("name")
        self.fields["commune"].queryset = communes
        if cohort is None and "commune" not in self.initial:
            only = list(communes.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                self.initial["commune"] = only[0]
        self.fields["courses"].choices = selectors.course_choices()
        self.fields["co_trainers"].queryset = (
            selectors.co_trainer_choices(commune_ids=communes.values("pk")).exclude(pk=viewer.pk)
        )
        self.fields["co_trainers"].label_from_instance = lambda user: user.full_name or user.username
        if not self.fields["co_trainers"].queryset.exists():
            del self.fields["co_trainers"]  # no other trainer in these communes: nothing to choose

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        commune = data.get("commune")
        for trainer in data.get("co_trainers") or ():
            if commune is not None and not trainer.trainer_communes.filter(pk=commune.pk).exists():
                self.add_error("co_trainers", _("%(name)s is not a trainer of %(commune)s.")
                               % {"name": trainer.full_name, "commune": commune.name})
        return data

    def course_keys(self) -> list[str]:
        """The chosen courses in the catalogue's order."""
        chosen = set(self.cleaned_data.get("courses") or ())
        return [key for key, _title in self.fields["courses"].choices if key in chosen]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"commune": data["commune"], "name": data["name"], "course_keys": self.course_keys(),
                "starts_on": data.get("starts_on"), "ends_on": data.get("ends_on"), "place": data["place"],
                "schedule": data["schedule"], "co_trainers": list(data.get("co_trainers") or ())}


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 320 characters. For example: Class tomorrow at 8:00 at the cultural house of group 3."),
    )

    def clean_text(self):
        raw = self.cleaned_data["text"]
        if any(unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS for char in raw):
            raise forms.ValidationError(_("The message contains control characters; please type it again."),
                                        code="control")
        text = clean_text(raw)
        if not text:
            raise forms.ValidationError(_("Please write a message."), code="required")
        if sms.segments(text) > MESSAGE_MAX_SEGMENTS:
            raise forms.ValidationError(
                _("The message would be sent as %(count)d SMS to each member; shorten it to %(most)d SMS "
                  "(fewer emoji, or fewer words).") % {"count": sms.segments(text), "most": MESSAGE_MAX_SEGMENTS},
                code="segments")
        return text
