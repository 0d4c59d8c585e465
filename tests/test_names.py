"""Invisible characters are dropped at the one input boundary, and a person's name must have real letters."""

import unicodedata

import pytest
from django.contrib.admin.sites import site
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.validators import validate_person_name
from accounts.wagtail_users import AccountCreationForm
from places.text import clean_text
from tests.conftest import make_user
from tests.courses_factory import make_course
from tests.test_certificates import consent, finish
from tests.test_signup import signup_data

# Characters Unicode says to show as nothing that are marks or letters, not format characters: the combining
# grapheme joiner, variation selectors (Mongolian, standard, supplementary), Khmer inherent vowels, Hangul fillers.
DEFAULT_IGNORABLE_MARKS = st.sampled_from(["\u034f", "\u17b4", "\u17b5", "\u180b", "\u180f", "\ufe00", "\ufe0f",
                                           "\U000e0100", "\U000e01ef", "\u115f", "\u1160", "\u3164", "\uffa0"])
# Format characters (zero-width, bidi controls, soft hyphen...), controls that are not whitespace, private use,
# unassigned code points, lone surrogates.
INVISIBLE = st.characters(categories=["Cf", "Co", "Cn", "Cs"]) | st.sampled_from(
    [chr(code) for code in range(0x20) if not chr(code).isspace()] + ["\x7f", "\u200b", "\u200c", "\u200d",
                                                                     "\u2060", "\u202e", "\u202d", "\u2066",
                                                                     "\u00ad", "\ufeff", "\U000e0041"])
INVISIBLE |= DEFAULT_IGNORABLE_MARKS
# What can arrive in a form (C0 controls are refused earlier, at the request edge; surrogates cannot be sent).
TYPED_INVISIBLE = st.characters(categories=["Cf", "Co", "Cn"]) | st.sampled_from("\u200b\u200d\u202e\u00ad\ufeff")
NAMES = ["Nguyễn Thị Lan", "Trần Văn Đức", "Phạm Thị Ngọc Ánh", "Lê Hoàng Yến", "H'Hen Niê", "Ksor H’Bơ",
         "Đặng Thuỳ Dương", "Ưng Hoàng Phúc", "Thạch Thị Sa Ri", "Lò Văn Giàng", "Hoàng Thị Mỹ Dung"]


def sprinkle(data, text: str, characters) -> str:
    chars = list(text)
    for _ in range(data.draw(st.integers(1, 6))):
        chars.insert(data.draw(st.integers(0, len(chars))), data.draw(characters))
    return "".join(chars)


@settings(max_examples=500, deadline=None)
@given(st.data(), st.sampled_from(NAMES), st.sampled_from(["NFC", "NFD"]))
def test_invisible_characters_anywhere_are_dropped(data, name, form):
    typed = sprinkle(data, unicodedata.normalize(form, name), INVISIBLE)
    assert clean_text(typed) == name


@given(st.lists(INVISIBLE | st.sampled_from(" \t\n\u2028\u2029\u00a0'-."), max_size=12))
def test_a_name_of_invisible_characters_and_separators_is_refused(chars):
    with pytest.raises(ValidationError) as error:
        validate_person_name("".join(chars))
    assert error.value.code == "name_letters"


@pytest.mark.parametrize("name", ["\u200b\u200b\u200b", "\u3164\u3164\u3164", "\u115f\u1160", "\u2800\u2800",
                                  "\u0301\u0301\u0301", "123456", "Lan 2", "🙂🙂", "<b>", "Nguyễn_Lan", "..."])
def test_names_without_real_letters_are_refused(name):
    with pytest.raises(ValidationError):
        validate_person_name(name)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES), st.sampled_from(["NFC", "NFD"]))
def test_vietnamese_names_typed_composed_or_decomposed_pass(name, form):
    validate_person_name(unicodedata.normalize(form, name))
    assert clean_text(unicodedata.normalize(form, name)) == name


@pytest.mark.parametrize("name", ["Lan" + "\u0301" * 4, "L\u0300\u0301\u0303\u0309\u0323an",
                                  "Nguyễn" + "\u0336\u0334" * 10])
def test_letters_buried_under_stacked_accents_are_refused(name):
    """Accents stacked on one letter spill over the lines around them (on a certificate too)."""
    with pytest.raises(ValidationError):
        validate_person_name(name)


def test_reversing_and_other_scripts():
    assert clean_text("\u202eNguyễn Thị Lan\u202c") == "Nguyễn Thị Lan"
    for name in ("李小龍", "Иван Петров", "Nguyễn-Lê Thị Lan", "Nguyễn V. An", "देवेन्द्र", "ณัฐพงศ์", "Q\u0323\u0302"):
        validate_person_name(name)


fixtures = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.django_db
@fixtures
@given(data=st.data())
def test_sign_up_refuses_an_invisible_name_and_stores_a_clean_one(client, places, data):
    cache.clear()  # sign-up's rate limit counts every example
    invisible = "".join(data.draw(st.lists(TYPED_INVISIBLE, min_size=3, max_size=6)))
    response = client.post("/accounts/signup/", signup_data(places, full_name=invisible), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert not User.objects.exists()
    name = data.draw(st.sampled_from(NAMES))
    typed = sprinkle(data, unicodedata.normalize("NFD", name), TYPED_INVISIBLE)
    response = client.post("/accounts/signup/", signup_data(places, full_name=typed))
    assert response.status_code == 302, typed
    assert User.objects.get().full_name == name
    client.logout()
    User.objects.all().delete()


@pytest.mark.django_db
def test_sign_up_message_is_vietnamese(client, places):
    response = client.post("/accounts/signup/", signup_data(places, full_name="\u2800\u2800\u2800"),
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "Vui lòng viết họ tên bằng chữ cái" in response.content.decode()


@pytest.mark.django_db
def test_the_model_field_and_both_admin_forms_refuse_a_name_without_letters(places):
    admin = make_user(username="root", full_name="Quản Trị", is_staff=True, is_superuser=True)
    user = make_user(username="an", full_name="Nguyễn Văn An")
    user.full_name = "\u200b\u202e\u200b"
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "full_name" in error.value.message_dict

    request = RequestFactory().get("/")
    request.user = admin
    model_admin = site._registry[User]
    change_form = model_admin.get_form(request, user, change=True)
    form = change_form(instance=User.objects.get(pk=user.pk), data={
        "username": "an", "full_name": "\u200b\u200b\u200b", "created_via": "self", "date_joined_0": "2025-07-01",
        "date_joined_1": "08:00:00", "is_active": "on"})
    assert not form.is_valid()
    assert "full_name" in form.errors

    wagtail_form = AccountCreationForm(data={"username": "binh", "full_name": "\u3164\u3164", "email": "b@example.org",
                                             "password1": "mat-khau-dai-123", "password2": "mat-khau-dai-123"})
    assert not wagtail_form.is_valid()
    assert "full_name" in wagtail_form.errors


@pytest.mark.django_db
def test_certificates_print_the_name_without_invisible_characters(people, django_capture_on_commit_callbacks):
    lan = people["lan"]
    User.objects.filter(pk=lan.pk).update(full_name="\u202eNguyễn\u200b Thị Lan")  # saved before the fix
    lan.refresh_from_db()
    consent(lan)
    certificate = finish(lan, make_course("Phòng tránh lừa đảo", lessons=1), django_capture_on_commit_callbacks)
    assert certificate.full_name == "Nguyễn Thị Lan"
