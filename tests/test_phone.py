"""Phone numbers: every common spelling of a Vietnamese mobile is one number; others are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.phone import format_phone, normalize_phone


@pytest.mark.parametrize(
    "raw", ["0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", " 0912-345-678 "]
)
def test_spellings_of_one_mobile_number_are_the_same(raw):
    assert normalize_phone(raw) == "+84912345678"


def test_display_form_is_national():
    assert format_phone("+84912345678") == "0912 345 678"


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("024 3123 4567", "landline", "máy bàn"),
        ("+1 650 253 0000", "foreign", "Việt Nam"),
        ("0912", "invalid", "không phải số điện thoại hợp lệ"),
        ("số của tôi", "invalid", "không phải là số điện thoại"),
        ("", "required", "Vui lòng nhập"),
    ],
)
def test_bad_numbers_are_refused_with_a_vietnamese_message(raw, code, words):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        normalize_phone(raw)
    assert error.value.code == code
    assert words in str(error.value.messages[0])
