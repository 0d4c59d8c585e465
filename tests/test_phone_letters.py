"""Letters in a phone number are refused (phonenumbers would read them as keypad digits), wherever one is typed."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.phone import normalize_phone
from tests.conftest import make_user
from tests.test_signup import signup_data

NUMBER = "0912345678"
# Letters of every kind a phone keyboard offers: ASCII, Vietnamese with diacritics, other scripts.
LETTERS = st.characters(categories=["Lu", "Ll", "Lt", "Lm", "Lo"]) | st.sampled_from("ABCxyzđĐăâêôơưẠạỹÀ")
REFUSED = "không phải là số điện thoại: chỉ dùng chữ số"


def with_letters(data, number: str = NUMBER) -> str:
    """The number with one or more letters put in at any positions (replacing a digit or between two)."""
    chars = list(number)
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, len(chars)))
        letter = data.draw(LETTERS)
        if data.draw(st.booleans()) and position < len(chars):
            chars[position] = letter
        else:
            chars.insert(position, letter)
    return "".join(chars)


@pytest.mark.parametrize("raw", ["0912 ABC 678", "0912abc678", "O912345678", "0912 345 67B", "+84 912 ẠBC 678",
                                 "09l2345678", "0912３45678", "٠٩١٢٣٤٥٦٧٨", "0912 345 678 ext 1", "tel:0912345678"])
def test_letters_and_other_characters_are_refused_with_a_vietnamese_message(raw):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        normalize_phone(raw)
    assert error.value.code == "invalid"
    assert REFUSED in error.value.messages[0]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_letter_anywhere_is_refused(data):
    raw = with_letters(data, data.draw(st.sampled_from([NUMBER, "0912 345 678", "+84 912.345.678", "(091) 234-5678"])))
    with pytest.raises(ValidationError) as error:
        normalize_phone(raw)
    assert error.value.code == "invalid"


@pytest.mark.parametrize("raw", ["0912 345 678", "0912.345.678", "0912-345-678", "(0912) 345 678", "+84 912 345 678",
                                 "+84(912)345-678", " 0912\u00a0345 678 "])
def test_digits_with_spaces_dots_dashes_brackets_and_one_plus_still_pass(raw):
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["++84912345678", "0912+345678", "84+912345678"])
def test_a_plus_anywhere_but_first_is_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


fixtures = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.django_db
@fixtures
@given(data=st.data())
def test_sign_up_with_letters_in_the_number_is_refused_and_creates_nobody(client, places, data):
    cache.clear()  # sign-up's rate limit counts every example
    raw = with_letters(data)
    response = client.post("/accounts/signup/", signup_data(places, phone=raw), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400, raw
    assert REFUSED in response.content.decode()
    assert not User.objects.exists()


@pytest.fixture
def an(db):
    """Made once per test, shared by its examples: the account whose number the letters would spell."""
    return make_user(username="an", phone="+84912222678", password="mat-khau-dai-123")


@pytest.mark.django_db
@fixtures
@given(data=st.data())
def test_login_with_letters_in_the_number_is_refused_even_with_the_right_password(client, an, data):
    cache.clear()  # login's rate limits count every example
    raw = with_letters(data, "0912222678")
    response = client.post("/accounts/login/", {"login": raw, "password": "mat-khau-dai-123"},
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400, raw
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_reported_vanity_number_logs_nobody_in(client, an):
    response = client.post("/accounts/login/", {"login": "0912 ABC 678", "password": "mat-khau-dai-123"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@fixtures
@given(data=st.data())
def test_password_reset_with_letters_in_the_number_is_refused_and_sends_no_code(client, an, data):
    from accounts import sms

    cache.clear()  # the reset's rate limit counts every example
    sms.outbox.clear()
    raw = with_letters(data, "0912222678")
    response = client.post("/accounts/password/forgot/", {"phone": raw}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200, raw  # the form is shown again with the reason
    assert REFUSED in response.content.decode()
    assert sms.outbox == []


@pytest.mark.django_db
def test_the_django_admin_stores_a_number_normalised_and_refuses_letters(client, an):
    """The model field itself gives every form made from it (the Django admin's) the phone number's field."""
    admin = make_user(username="root", full_name="Quản Trị", is_staff=True, is_superuser=True)
    client.force_login(admin)

    def change(phone):
        return client.post(f"/django-admin/accounts/user/{an.pk}/change/", {
            "username": "an", "full_name": "Nguyễn Văn An", "phone": phone, "created_via": "self",
            "date_joined_0": "2025-07-01", "date_joined_1": "08:00:00", "is_active": "on",
            "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0"}, HTTP_ACCEPT_LANGUAGE="vi")

    for typed in ("0912 ABC 678", "0912 222 67B", "hello"):
        response = change(typed)
        assert response.status_code == 200, typed  # the form again, with the reason
        assert REFUSED in response.content.decode() or "không phải là số điện thoại" in response.content.decode()
        an.refresh_from_db()
        assert an.phone == "+84912222678"
    assert change("+84 (912) 345-679").status_code == 302
    an.refresh_from_db()
    assert an.phone == "+84912345679"
    assert change("").status_code == 302
    an.refresh_from_db()
    assert an.phone is None
