"""Tasks cross a real broker to a real worker process; /healthz sees the real services."""

import json
import time
import unicodedata

import pytest
from django.conf import settings

from accounts.tasks import send_sms

pytestmark = pytest.mark.integration

DEAD_BROKER = "redis://127.0.0.1:1/0"


def _read_lines(path, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8").strip():
            break
        time.sleep(0.1)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_send_sms_runs_in_the_worker_process(celery_worker):
    from cms.celery import app

    assert app.conf.task_always_eager is False
    text = unicodedata.normalize("NFC", "Xin chào")
    result = send_sms.delay("+84912345678", text)
    result.get(timeout=30)
    assert result.successful()

    lines = _read_lines(celery_worker.sms_file)
    assert {"to": "+84912345678", "body": text} in lines, celery_worker.log()
    body = next(line["body"] for line in lines if line["to"] == "+84912345678")
    assert body == "Xin ch\u00e0o"  # NFC: one code point for "à", not "a" + U+0300
    assert unicodedata.is_normalized("NFC", body)


@pytest.mark.django_db
def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.json()["database"] is True


@pytest.mark.django_db
def test_healthz_reports_live_broker(client, live_broker_url):
    assert live_broker_url == settings.CELERY_BROKER_URL
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": True, "cache": True, "broker": True, "failed": []}


@pytest.mark.django_db
def test_healthz_reports_dead_broker(client, live_broker_url, point_broker_at):
    point_broker_at(DEAD_BROKER)
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 200, response.content  # degraded: pages still work
    assert response.json() == {"status": "degraded", "database": True, "cache": True, "broker": False,
                               "failed": ["broker"]}
    assert time.monotonic() - started < 15  # a dead broker must not hang the health check


def test_an_sms_code_crosses_broker_and_worker_masked_in_their_logs(celery_worker):
    """The message headers (argsrepr: what the worker logs and monitoring show) and the worker's INFO log."""
    from celery.signals import before_task_publish

    code = "731904"
    published = []

    def capture(sender=None, headers=None, **kwargs):
        published.append(headers)

    before_task_publish.connect(capture)
    try:
        result = send_sms.delay("+84912000777", f"Your code is {code}.")
        result.get(timeout=30)
    finally:
        before_task_publish.disconnect(capture)
    assert result.successful()
    assert len(published) == 1 and code not in published[0]["argsrepr"] and "••••••" in published[0]["argsrepr"]
    lines = _read_lines(celery_worker.sms_file)
    assert {"to": "+84912000777", "body": f"Your code is {code}."} in lines  # the SMS itself is whole
    log = celery_worker.log()
    assert f"{result.id}] succeeded" in log
    assert code not in log, log
