"""Forms that check the staff screens' parameters before anything is queried with them."""

from django import forms

from places.text import clean_text


class CertificateFilterForm(forms.Form):
    """The certificate list's filters (?q=, ?course=, ?status=): wrong types are refused, never queried."""

    q = forms.CharField(required=False, max_length=150)
    course = forms.UUIDField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", ""), ("valid", ""), ("revoked", ""), ("pending", "")])

    def clean_q(self):
        return clean_text(self.cleaned_data["q"])


class CourseChoiceForm(forms.Form):
    course = forms.UUIDField()
