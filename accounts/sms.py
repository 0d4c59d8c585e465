"""Sending SMS through one small pluggable backend (log by default, an HTTP gateway in production)."""

import json
import logging
import re
import urllib.request
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages sent with LocmemBackend, for tests (like django.core.mail.outbox).
outbox: list[dict] = []


# The GSM 03.38 basic alphabet: a message only of these travels 160 characters to an SMS (153 when split).
# Anything else (every Vietnamese letter with a diacritic, emoji) sends the whole message as UCS-2: 70 units to an
# SMS, 67 when split, and a character outside the Basic Multilingual Plane (most emoji) takes two units.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")  # two septets each


def segments(text: str) -> int:
    """How many SMS a text is sent as (what the operator bills, per recipient)."""
    if all(char in GSM_BASIC or char in GSM_EXTENDED for char in text):
        units, single, part = sum(2 if char in GSM_EXTENDED else 1 for char in text), 160, 153
    else:
        units, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    if units <= single:
        return 1
    return -(-units // part)


def masked(text: str) -> str:
    """The text with every digit hidden: SMS carry one-time codes, which must never reach a log in clear."""
    return re.sub(r"\d", "•", text)


def masked_phone(phone: str) -> str:
    """Enough of the number to tell messages apart in a log: its last three digits."""
    return masked(phone[:-3]) + phone[-3:] if len(phone) > 3 else masked(phone)


class LogBackend:
    """Writes each message to the log; nothing leaves the machine. Codes appear in clear only with DEBUG (the demo)."""

    def send(self, phone: str, message: str) -> None:
        if settings.DEBUG:
            logger.info("SMS to %s: %s", phone, message)
        else:
            logger.info("SMS to %s: %s", masked_phone(phone), masked(message))


class LocmemBackend:
    def send(self, phone: str, message: str) -> None:
        outbox.append({"to": phone, "body": message})


class HttpGatewayBackend:
    """Posts {"to", "from", "text"} as JSON to SMS_GATEWAY_URL with a bearer token."""

    timeout = 10

    def send(self, phone: str, message: str) -> None:
        if not settings.SMS_GATEWAY_URL.startswith("https://"):
            raise RuntimeError("SMS_GATEWAY_URL must be an https:// URL")
        body = json.dumps({"to": phone, "from": settings.SMS_SENDER, "text": message}).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            settings.SMS_GATEWAY_URL,
            data=body,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if response.status >= 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")


@cache
def _backend(path: str):
    return import_string(path)()


def send_sms(phone: str, message: str) -> None:
    _backend(settings.SMS_BACKEND).send(phone, message)


class FileBackend:
    """Appends each message as a JSON line to SMS_FILE_PATH (for checks across processes)."""

    def send(self, phone: str, message: str) -> None:
        with open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"to": phone, "body": message}, ensure_ascii=False) + "\n")
