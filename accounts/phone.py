"""Vietnamese mobile numbers: every way people write one becomes the same E.164 string."""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from places.text import clean_text

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
# What people write a number with. phonenumbers would read letters as a keypad's ("0912 ABC 678" as
# 0912 222 678), so anything else is refused before it is parsed.
PHONE_CHARACTERS = re.compile(r"\+?[0-9 .()-]+")


def normalize_phone(raw: str) -> str:
    """Return the number as +84XXXXXXXXX, or raise ValidationError with a plain message.

    "0912 345 678", "0912.345.678", "+84 912 345 678" and "84912345678" are one number.
    """
    text = clean_text(raw)
    if not text:
        raise ValidationError(_("Please enter your mobile phone number."), code="required")
    if not PHONE_CHARACTERS.fullmatch(text):
        raise ValidationError(
            _("“%(value)s” is not a phone number: use only digits, spaces, dots, dashes and brackets. "
              "Example: 0912 345 678."),
            code="invalid", params={"value": text},
        )
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number. Example: 0912 345 678."),
            code="invalid", params={"value": text},
        ) from None
    if number.country_code != 84:
        raise ValidationError(
            _("Please use a Vietnamese mobile number (starting with 0 or +84)."), code="foreign"
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid Vietnamese phone number. Check the digits."),
            code="invalid", params={"value": text},
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("This looks like a landline. Please use a mobile number that can receive SMS."),
            code="landline",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """How the number is shown to people: 0912 345 678."""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class PhoneField(forms.CharField):
    """A form field that accepts any common spelling of a Vietnamese mobile number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone number"))
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {"type": "tel", "inputmode": "tel", "autocomplete": "tel", "placeholder": "0912 345 678"}
        )
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value


class PhoneNumberField(models.CharField):
    """The model field of a number kept in E.164: every form made from the model (the Django admin's too) reads
    it with PhoneField, so no spelling of a number, letters included, is stored as typed."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneField, "max_length": 32, **kwargs})
