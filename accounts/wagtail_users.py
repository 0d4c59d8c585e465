"""Wagtail's user admin, adapted to one full name (no first/last name) and a phone number."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as BaseUserViewSet

from .forms import CleanCharField
from .phone import PhoneField
from .validators import validate_person_name


class _PersonFields(forms.Form):
    first_name = None
    last_name = None
    full_name = CleanCharField(label=_("Full name"), max_length=150, validators=[validate_person_name])
    phone = PhoneField(required=False)
    email = forms.EmailField(required=False, label=_("Email"))

    def clean_phone(self):
        return self.cleaned_data.get("phone") or None


class AccountCreationForm(_PersonFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = (set(UserCreationForm.Meta.fields) - {"first_name", "last_name"}) | {
            "full_name", "phone"}


class AccountEditForm(_PersonFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = (set(UserEditForm.Meta.fields) - {"first_name", "last_name"}) | {
            "full_name", "phone"}


class UserViewSet(BaseUserViewSet):
    def get_form_class(self, for_update=False):
        return AccountEditForm if for_update else AccountCreationForm

