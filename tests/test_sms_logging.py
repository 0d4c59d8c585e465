"""SMS codes never reach the logs in clear outside DEBUG; the demo (DEBUG) still shows them."""

import logging

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from accounts import sms

CODE = "482913"
PHONE = "+84912000101"


@pytest.fixture
def log_backend(settings):
    settings.SMS_BACKEND = "accounts.sms.LogBackend"


def everything_logged(caplog) -> str:
    """Every record's message and its raw arguments (a JSON formatter or an error tracker would ship those)."""
    return "\n".join(f"{r.getMessage()} {r.args!r} {r.__dict__.get('data', '')!r}" for r in caplog.records)


def send_code(settings):
    request = RequestFactory().get("/")
    request.session, request._messages = {}, None
    adapter = get_adapter(None)
    adapter.send_verification_code_sms(user=None, phone=PHONE, code=CODE)


def test_outside_debug_the_code_is_masked_everywhere_it_is_logged(log_backend, settings, caplog):
    settings.DEBUG = False
    caplog.set_level(logging.DEBUG)
    send_code(settings)
    logged = everything_logged(caplog)
    assert "SMS to" in logged  # the message was logged, masked
    assert CODE not in logged and "••••••" in logged
    assert PHONE not in logged and logged.count("101") >= 1  # the number's last digits tell messages apart


def test_with_debug_the_demo_still_shows_the_code(log_backend, settings, caplog):
    settings.DEBUG = True
    caplog.set_level(logging.INFO, logger="accounts.sms")
    send_code(settings)
    assert f"SMS to {PHONE}: " in caplog.text and CODE in caplog.text


@pytest.mark.parametrize("text", ["Mã của bạn là 482913.", "Code 12-34 56", "０１２３", "no digits"])
def test_masked_hides_every_digit(text):
    assert not any(ch.isdigit() for ch in sms.masked(text))
