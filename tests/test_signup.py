"""Sign-up, phone verification, login and password reset through the real allauth views."""

import re
import unicodedata

import pytest
from django.urls import reverse

from accounts import sms
from accounts.models import Consent, User

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
VERIFY = "/accounts/phone/verify/"
LOGIN = "/accounts/login/"


def signup_data(places, **overrides):
    data = {
        "phone": "0912 345 678",
        "full_name": "Nguyễn Văn An",
        "year_of_birth": "1960",
        "gender": "",
        "province": places["quang_ninh"].code,
        "commune": places["ha_long"].code,
        "password1": "hoc-ky-nang-so-2025",
        "password2": "hoc-ky-nang-so-2025",
        "consent_learning": "on",
    }
    data.update(overrides)
    return data


def last_code() -> str:
    return re.search(r"\b([0-9]{6})\b", sms.outbox[-1]["body"]).group(1)


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return client


def test_signup_verify_logout_login(client, places):
    response = client.post(SIGNUP, signup_data(places))
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    user = User.objects.get()
    assert user.phone == "+84912345678"
    assert not user.phone_verified
    assert user.commune == places["ha_long"]
    assert user.created_via == "self"
    assert sms.outbox[-1]["to"] == "+84912345678"

    page = client.get(VERIFY)
    assert "0912 345 678" in page.content.decode() or "+84912345678" in page.content.decode()
    response = client.post(VERIFY, {"code": last_code()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified

    client.post("/accounts/logout/")
    response = client.post(LOGIN, {"login": "+84 912 345 678", "password": "hoc-ky-nang-so-2025"})
    assert response.status_code == 302
    assert client.get(reverse("my_account")).status_code == 200


def test_consents_are_recorded_per_purpose_with_version_and_method(client, places, settings):
    client.post(SIGNUP, signup_data(places, consent_certification="on"))
    consents = Consent.objects.order_by("purpose")
    assert [c.purpose for c in consents] == ["certification", "learning"]
    assert {c.text_version for c in consents} == {settings.CONSENT_TEXT_VERSION}
    assert {c.method for c in consents} == {"online"}


def test_signup_without_learning_consent_is_refused_and_saves_nothing(client, places):
    data = signup_data(places)
    del data["consent_learning"]
    response = client.post(SIGNUP, data)
    assert response.status_code == 400
    assert "đồng ý" in response.content.decode()
    assert not User.objects.exists()


def test_wrong_code_is_refused(client, places):
    client.post(SIGNUP, signup_data(places))
    response = client.post(VERIFY, {"code": "000000" if last_code() != "000000" else "111111"})
    assert response.status_code == 400
    assert not User.objects.get().phone_verified


def test_duplicate_phone_in_another_spelling_is_refused(client, places):
    client.post(SIGNUP, signup_data(places))
    client.post("/accounts/logout/")
    response = client.post(SIGNUP, signup_data(places, phone="84912345678", full_name="Người Khác"))
    assert response.status_code == 400
    assert User.objects.count() == 1
    assert "phone" in response.context["form"].errors


def test_commune_must_belong_to_the_chosen_province(client, places):
    data = signup_data(places, commune=places["hoan_kiem"].code)
    response = client.post(SIGNUP, data)
    assert response.status_code == 400
    error = response.context["form"].errors["commune"][0]
    assert "Phường Hoàn Kiếm" in error and "Quảng Ninh" in error
    assert not User.objects.exists()


def test_unknown_commune_gets_a_clear_message(client, places):
    response = client.post(SIGNUP, signup_data(places, commune="99999"))
    assert response.status_code == 400
    assert "Chọn xã" in response.context["form"].errors["commune"][0]


def test_name_typed_in_nfd_is_stored_as_nfc(client, places):
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Thị  Hồng ")
    client.post(SIGNUP, signup_data(places, full_name=nfd))
    assert User.objects.get().full_name == "Nguyễn Thị Hồng"


def test_under_sixteen_are_sent_to_a_trainer(client, places):
    from django.utils import timezone

    year = timezone.localdate().year - 12
    response = client.post(SIGNUP, signup_data(places, year_of_birth=str(year)))
    assert response.status_code == 400
    assert "giám hộ" in response.context["form"].errors["year_of_birth"][0]
    assert not User.objects.exists()


def test_landline_is_refused_on_the_form(client, places):
    response = client.post(SIGNUP, signup_data(places, phone="024 3123 4567"))
    assert response.status_code == 400
    assert "máy bàn" in response.context["form"].errors["phone"][0]


def test_choosing_a_province_without_javascript_lists_its_communes_and_keeps_the_form(
    client, places
):
    data = signup_data(places, commune="", choose_province="1")
    response = client.post(SIGNUP, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Phường Hạ Long" in body and "Phường Bãi Cháy" in body
    assert "Phường Hoàn Kiếm" not in body
    assert 'value="Nguyễn Văn An"' in body
    assert "hoc-ky-nang-so-2025" not in body  # passwords are never sent back
    assert not User.objects.exists()


def test_password_reset_by_sms(client, people):
    lan = people["lan"]
    response = client.post(reverse("password_reset_sms"), {"phone": "0912.000.101"})
    assert response.status_code == 302
    code = last_code()
    assert sms.outbox[-1]["to"] == lan.phone
    response = client.post(
        reverse("password_reset_sms_confirm"),
        {"code": code, "password1": "mat-khau-moi-2025", "password2": "mat-khau-moi-2025"},
    )
    assert response.status_code == 302
    lan.refresh_from_db()
    assert lan.check_password("mat-khau-moi-2025")
    response = client.post(LOGIN, {"login": "0912000101", "password": "mat-khau-moi-2025"})
    assert response.status_code == 302


def test_password_reset_with_wrong_code_changes_nothing(client, people):
    client.post(reverse("password_reset_sms"), {"phone": "0912000101"})
    wrong = "000000" if last_code() != "000000" else "111111"
    response = client.post(
        reverse("password_reset_sms_confirm"),
        {"code": wrong, "password1": "mat-khau-moi-2025", "password2": "mat-khau-moi-2025"},
    )
    assert response.status_code == 400
    assert "không đúng" in response.content.decode()
    people["lan"].refresh_from_db()
    assert people["lan"].check_password("mat-khau-dai-123")


def test_password_reset_for_unknown_number_looks_the_same_and_sends_nothing(client, places):
    response = client.post(reverse("password_reset_sms"), {"phone": "0912999999"})
    assert response.status_code == 302
    assert sms.outbox == []


def test_password_reset_codes_are_rate_limited(client, people):
    for _ in range(3):
        client.post(reverse("password_reset_sms"), {"phone": "0912000101"})
    response = client.post(reverse("password_reset_sms"), {"phone": "0912000101"})
    assert response.status_code == 429
    assert len(sms.outbox) == 3


def test_staff_log_in_by_email(client, people):
    response = client.post(LOGIN, {"login": "so@example.org", "password": "mat-khau-dai-123"})
    assert response.status_code == 302
    assert response.wsgi_request.user == people["staff"]


def test_wrong_password_gets_a_clear_message(client, people):
    response = client.post(LOGIN, {"login": "0912000101", "password": "sai-mat-khau"})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_post_without_csrf_token_is_refused_plainly(places):
    from django.test import Client

    response = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="vi").post(
        SIGNUP, signup_data(places)
    )
    assert response.status_code == 403
    assert "Không có gì được lưu" in response.content.decode()
    assert not User.objects.exists()
