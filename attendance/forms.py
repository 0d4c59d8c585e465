"""Forms of the attendance pages: a new class session, and the attendance sheet (one choice per member)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.forms import ClassDateField
from places.text import clean_text

from .models import Attendance


class SessionForm(forms.Form):
    date = ClassDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts_at = forms.TimeField(label=_("Time"), required=False, input_formats=["%H:%M", "%H:%M:%S"],
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    lesson = forms.ChoiceField(label=_("or a lesson of the class's courses"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, lessons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].choices = [("", _("(no lesson)")), *lessons]

    def clean_topic(self) -> str:
        return clean_text(self.cleaned_data["topic"])

    def clean_place(self) -> str:
        return clean_text(self.cleaned_data["place"])

    def clean_lesson(self) -> uuid.UUID | None:
        value = self.cleaned_data["lesson"]
        return uuid.UUID(value) if value else None

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("topic") and not data.get("lesson"):
            raise forms.ValidationError(_("Write a topic or choose a lesson."))
        return data


def field_name(learner) -> str:
    return f"m{learner.pk}"


class SheetForm(forms.Form):
    """One choice per member, named m<learner id>; a member missing from what was sent is left as it was."""

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for learner in self.members:
            self.fields[field_name(learner)] = forms.ChoiceField(
                label=learner.full_name, choices=Attendance.Status.choices, required=False,
                error_messages={"invalid_choice": _("Choose present, late, excused or absent.")})

    def statuses(self) -> dict[int, str]:
        return {learner.pk: value for learner in self.members if (value := self.cleaned_data.get(field_name(learner)))}
