"""Rate limits: failed logins counted per person (the normalised number), and every limit is a Vietnamese 429."""

import json
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts import sms
from accounts.adapter import login_attempts_key
from cms.ratelimits import too_many_requests
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
VERIFY = "/accounts/phone/verify/"
PASSWORD = "mat-khau-dai-123"
LAN_SPELLINGS = ["0912 000 101", "0912.000.101", "+84912000101", "84912000101", "+84 912 000 101"]


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return client


def assert_vietnamese_429(response, *, says: str | None = None, retry_after: range | None = None):
    assert response.status_code == 429
    text = response.content.decode()
    assert "Vui lòng đợi" in text
    if says:
        assert says in text
    assert int(response["Retry-After"]) in (retry_after or range(1, 3601))


def log_in(client, login: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


# --------------------------------------------------------------------------------------------- failed logins


def test_every_spelling_of_a_number_is_one_key_and_other_logins_are_their_own():
    keys = {login_attempts_key(phone=spelling, password="x") for spelling in LAN_SPELLINGS}
    assert keys == {"phone:+84912000101"}
    assert login_attempts_key(phone="0912 000 103") == "phone:+84912000103"
    assert login_attempts_key(email="So@Example.ORG") == login_attempts_key(email="so@example.org")
    garbage = ["abc", "0912 000 10x", "   ", "🙂", "x" * 500]
    garbage_keys = [login_attempts_key(username=text) for text in garbage]
    assert len(set(garbage_keys)) == len(garbage)  # each its own key, none shared with a number
    assert not set(garbage_keys) & keys


def test_five_failures_in_any_spelling_lock_that_number_only(client, people):
    for spelling in LAN_SPELLINGS:
        assert log_in(client, spelling, "sai-mat-khau").status_code == 400

    # Even the right password is refused now, with a clear message and how long to wait.
    response = log_in(client, "0912000101")
    assert_vietnamese_429(response, says="nhập sai quá nhiều lần", retry_after=range(240, 301))
    assert "_auth_user_id" not in client.session

    # Another resident and a staff member logging in by email are not affected.
    assert log_in(client, "0912 000 103").status_code == 302
    client.post("/accounts/logout/")
    assert log_in(client, "so@example.org").status_code == 302


def test_emails_are_counted_lower_cased(client, people):
    for spelling in ["SO@example.org", "so@EXAMPLE.org", "So@Example.Org", "so@example.org", "SO@EXAMPLE.ORG"]:
        assert log_in(client, spelling, "sai-mat-khau").status_code == 400
    assert_vietnamese_429(log_in(client, "so@example.org"))
    assert log_in(client, "0912000101").status_code == 302


def test_garbage_logins_get_a_clear_400_and_lock_nobody(client, people):
    # Not a phone number nor an email: refused with its reason before any password is tried, so it counts
    # as no failed login, for nobody's number.
    for _ in range(7):
        response = log_in(client, "0912 000 10x", "sai-mat-khau")
        assert response.status_code == 400
        assert response.context["form"].errors["login"]
    assert log_in(client, "0912000101").status_code == 302


def test_the_per_ip_limit_still_applies_across_numbers(client, people, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip,5/5m/key"}
    for number in ["0912 000 101", "0912 000 103", "0912 000 105"]:
        assert log_in(client, number, "sai-mat-khau").status_code == 400
    assert_vietnamese_429(log_in(client, "0912 000 002"), retry_after=range(30, 61))
    # From another connection the same numbers are open.
    assert client.post(LOGIN, {"login": "0912000103", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7").status_code == 302


def test_resetting_the_password_by_sms_lifts_the_lock(client, people):
    for spelling in LAN_SPELLINGS:
        log_in(client, spelling, "sai-mat-khau")
    assert log_in(client, "0912000101").status_code == 429
    client.post(reverse("password_reset_sms"), {"phone": "0912000101"})
    code = re.search(r"\b([0-9]{6})\b", sms.outbox[-1]["body"]).group(1)
    client.post(reverse("password_reset_sms_confirm"),
                {"code": code, "password1": "mat-khau-moi-2025", "password2": "mat-khau-moi-2025"})
    assert log_in(client, "0912 000 101", "mat-khau-moi-2025").status_code == 302


# ---------------------------------------------------------------------------------- every limit is a 429


def test_logging_in_while_the_last_sms_code_is_fresh_is_a_429_not_a_500(client, places):
    """The reported case: a number whose code went out less than 30 s ago logs in again."""
    make_user(phone="+84912345678", phone_verified=False)
    response = log_in(client, "0912 345 678")
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert len(sms.outbox) == 1

    # "Cancel" on the code page, then log in again at once (or from a second phone: a fresh session).
    client.post("/accounts/logout/", {"next": LOGIN})
    second_phone = client.__class__(HTTP_ACCEPT_LANGUAGE="vi")
    for session in (client, second_phone):
        response = log_in(session, "0912345678")
        assert_vietnamese_429(response, says="Một mã vừa được gửi", retry_after=range(1, 31))
        assert "_auth_user_id" not in session.session
    assert len(sms.outbox) == 1


def test_asking_for_a_new_code_too_soon_is_a_429(client, places):
    make_user(phone="+84912345678", phone_verified=False)
    log_in(client, "0912 345 678")
    response = client.post(VERIFY, {"action": "resend"})
    assert_vietnamese_429(response)
    assert len(sms.outbox) == 1


LIMITED_POSTS = [
    # (allauth action, its limit lowered for the test, url, data)
    ("login", "1/m/ip", LOGIN, {"login": "0912000101", "password": "sai-mat-khau"}),
    ("signup", "1/m/ip", "/accounts/signup/", {"phone": "abc"}),
    ("change_password", "1/m/user", "/accounts/password/change/", {"oldpassword": "x"}),
    ("reset_password", "1/m/ip", "/accounts/password/reset/", {"email": "so@example.org"}),
    ("reset_password_from_key", "1/m/ip", "/accounts/password/reset/key/1-set-password/", {"password1": "x"}),
]


@pytest.mark.parametrize(("action", "rate", "url", "data"), LIMITED_POSTS, ids=[case[0] for case in LIMITED_POSTS])
def test_allauth_limits_answer_the_vietnamese_429_page(client, people, settings, action, rate, url, data):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, action: rate}
    if action == "change_password":
        client.force_login(people["lan"])
    first = client.post(url, data)
    assert first.status_code < 500
    assert_vietnamese_429(client.post(url, data))


def test_sms_reset_codes_limit_is_the_same_429(client, people):
    for _ in range(3):
        assert client.post(reverse("password_reset_sms"), {"phone": "0912000101"}).status_code == 302
    response = client.post(reverse("password_reset_sms"), {"phone": "0912 000 101"})
    assert_vietnamese_429(response, says="quá nhiều yêu cầu gửi mã", retry_after=range(500, 601))
    assert len(sms.outbox) == 3


def test_certificate_checks_limit_is_the_same_429(client, db):
    url = reverse("certificate_verify", args=["ABCDEFGH23"])
    for _ in range(30):
        client.get(url)
    response = client.get(url)
    assert_vietnamese_429(response, says="tra cứu", retry_after=range(59, 61))


def test_certificate_checks_limit_slides_across_the_turn_of_a_minute(client, db, monkeypatch):
    """A guesser who spends the limit just before a minute turns gets nothing more just after it."""
    import time as real_time

    clock = [real_time.time() // 60 * 60 + 59.5]  # half a second before the minute turns
    monkeypatch.setattr("time.time", lambda: clock[0])
    url = reverse("certificate_verify", args=["ABCDEFGH23"])
    for _ in range(30):
        assert client.get(url).status_code == 404
    clock[0] += 1  # the next minute
    assert_vietnamese_429(client.get(url), says="tra cứu", retry_after=range(58, 60))
    clock[0] += 59  # a full minute after the first checks
    assert client.get(url).status_code == 404


def test_under_the_api_a_limit_answers_the_api_error_shape(settings):
    request = RequestFactory().post("/api/v1/attempts/", HTTP_ACCEPT_LANGUAGE="vi")
    from django.utils import translation

    with translation.override("vi"):
        response = too_many_requests(request, retry_after=42)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "42"
    body = json.loads(response.content)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "rate_limited"
    assert "Vui lòng đợi 42 giây" in body["error"]["message"]
    assert body["error"]["details"] == {"retry_after": 42}
