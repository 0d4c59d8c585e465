"""What is reachable under /accounts/, and the staff password reset by email that never tells who has an account."""

import importlib
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
RESET_DONE = "/accounts/password/reset/done/"

# Every page under /accounts/ (route, URL name). A new allauth release, or a new include(), that mounts
# anything else fails here until someone decides to keep it.
ACCOUNT_URLS = {
    ("signup/", "account_signup"),
    ("login/", "account_login"),
    ("logout/", "account_logout"),
    ("inactive/", "account_inactive"),
    ("phone/verify/", "account_verify_phone"),
    ("password/change/", "account_change_password"),
    ("password/set/", "account_set_password"),
    ("password/reset/", "account_reset_password"),
    ("password/reset/done/", "account_reset_password_done"),
    ("^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", "account_reset_password_from_key"),
    ("password/reset/key/done/", "account_reset_password_from_key_done"),
    ("password/forgot/", "password_reset_sms"),
    ("password/forgot/code/", "password_reset_sms_confirm"),
    ("me/", "my_account"),
    ("me/data.json", "download_my_data"),
    ("me/delete/", "delete_my_account"),
    ("learners/", "learner_list"),
    ("learners/<int:pk>/", "learner_detail"),
    ("privacy/", "privacy"),
}


def mounted(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from mounted(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return client


def test_only_the_intended_pages_are_mounted_under_accounts():
    under_accounts = {
        (route.removeprefix("accounts/"), name)
        for route, name in mounted(get_resolver().url_patterns)
        if route.startswith("accounts/")
    }
    assert under_accounts == ACCOUNT_URLS


@pytest.mark.parametrize("path", [
    "/accounts/", "/accounts/email/", "/accounts/confirm-email/", "/accounts/confirm-email/abc/",
    "/accounts/login/code/", "/accounts/login/code/confirm/", "/accounts/reauthenticate/",
    "/accounts/reauthenticate/code/", "/accounts/phone/change/", "/accounts/password/reset/confirm/",
    "/accounts/3rdparty/", "/accounts/2fa/", "/accounts/sessions/",
])
def test_flows_the_product_does_not_use_are_not_found(client, people, path):
    client.force_login(people["staff"])
    assert client.get(path).status_code == 404


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(
    client, people, django_capture_on_commit_callbacks
):
    answers = {}
    for email in ["so@example.org", "nobody@example.org"]:
        # Outer: the mail task runs after the answer; inner: what the request itself does.
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
            response = client.post(RESET, {"email": email})
        page = client.get(response["Location"])
        # The work done while the person waits is the same SQL: nothing looks the address up.
        statements = [re.sub(r'"s\d+_x\d+"', "?", query["sql"]) for query in queries.captured_queries]
        content = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
        answers[email] = (response.status_code, response["Location"], page.status_code, content, statements)
    assert answers["so@example.org"] == answers["nobody@example.org"]
    assert answers["so@example.org"][:3] == (302, RESET_DONE, 200)
    assert "Nếu địa chỉ này thuộc về một tài khoản" in answers["so@example.org"][3]
    assert not any("accounts_user" in sql or "emailaddress" in sql for sql in answers["so@example.org"][4])
    assert [message.to for message in mail.outbox] == [["so@example.org"]]  # only the known address gets mail


def test_staff_member_gets_the_mail_and_sets_a_new_password_with_its_link(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": "SO@Example.org"})
    (message,) = mail.outbox
    assert message.to == ["so@example.org"]
    assert "đặt mật khẩu mới" in message.subject
    link = re.search(r"https?://\S+", message.body).group(0)
    assert "/accounts/password/reset/key/" in link

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                           {"password1": "mat-khau-can-bo-2025", "password2": "mat-khau-can-bo-2025"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"
    people["staff"].refresh_from_db()
    assert people["staff"].check_password("mat-khau-can-bo-2025")

    # The link works once.
    assert "Liên kết này không còn dùng được" in client.get(link, follow=True).content.decode()
    response = client.post("/accounts/login/", {"login": "so@example.org", "password": "mat-khau-can-bo-2025"})
    assert response.status_code == 302


def test_inactive_accounts_get_no_mail(client, places, django_capture_on_commit_callbacks):
    make_user(email="cu@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RESET, {"email": "cu@example.org"})["Location"] == RESET_DONE
    assert mail.outbox == []


def test_dev_settings_print_mail_and_the_reset_works_with_them(
    client, people, settings, capsys, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = importlib.import_module("cms.settings.dev").EMAIL_BACKEND
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "so@example.org"})
    assert (response.status_code, response["Location"]) == (302, RESET_DONE)
    assert "/accounts/password/reset/key/" in capsys.readouterr().out


def test_an_unreachable_mail_server_is_no_500(client, people, settings, django_capture_on_commit_callbacks):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", closed_port, False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "so@example.org"})
    assert (response.status_code, response["Location"]) == (302, RESET_DONE)


def test_an_invalid_address_is_a_clear_400(client, places):
    response = client.post(RESET, {"email": "khong-phai-email"})
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
