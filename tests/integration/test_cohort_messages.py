"""A message to a cohort through a real broker and worker: only consenting members with a phone get the SMS,
the counts and the audit entry are written, a sixth message within the hour is a Vietnamese 429, and a task that
runs twice sends nothing the second time."""

import json
import uuid

import pytest
from django.urls import reverse

from accounts.services import record_consents
from audit.models import AuditEntry
from cohorts import services
from cohorts.models import CohortMessage
from cohorts.tasks import deliver_cohort_message
from tests.conftest import make_user
from tests.integration.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def sms_with(worker, text: str) -> list[dict]:
    if not worker.sms_file.exists():
        return []
    lines = [json.loads(line) for line in worker.sms_file.read_text(encoding="utf-8").splitlines() if line]
    return [line for line in lines if line["body"] == text]


def test_the_worker_sends_to_consenting_members_with_a_phone_once(client, people, places, celery_worker):
    trainer = people["trainer"]
    cohort = services.create_cohort(creator=trainer, commune=places["ha_long"], name="Lớp sáng thứ Ba")
    no_phone = make_user(full_name="Bà Tư", commune=places["ha_long"])
    no_consent = make_user(full_name="Ông Năm", phone="+84912000205", commune=places["ha_long"])
    for person in (people["lan"], no_phone):
        record_consents(user=person, purposes=["contact"], method="trainer", recorded_by=trainer)
    record_consents(user=no_consent, purposes=["learning"], method="trainer", recorded_by=trainer)
    for person in (people["lan"], no_phone, no_consent):
        services.add_member(cohort=cohort, learner=person, added_by=trainer)

    client.force_login(trainer)
    url = reverse("cohorts:messages", args=[cohort.pk])
    text = f"Lớp học sáng mai 8:00 tại nhà văn hoá khu 3 ({uuid.uuid4().hex[:6]})"
    assert client.post(url, {"text": text})["Location"] == url

    entry = wait_for(lambda: AuditEntry.objects.filter(action="cohort.message").first(), timeout=30,
                     what="the worker's audit entry", log=celery_worker.log)
    assert sms_with(celery_worker, text) == [{"to": "+84912000101", "body": text}], celery_worker.log()
    message = CohortMessage.objects.get()
    assert (message.recipients, message.skipped) == (1, 2) and message.sent_at is not None
    assert entry.actor == trainer and entry.commune == places["ha_long"]
    assert (entry.details["text"], entry.details["recipients"], entry.details["skipped"]) == (text, 1, 2)
    page = client.get(url).content.decode()
    assert "đã gửi 1 người, không gửi 2 người" in page

    # The same message delivered again (a redelivered task): the claimed row sends nothing.
    assert deliver_cohort_message.delay(message.pk).get(timeout=30) is None
    assert len(sms_with(celery_worker, text)) == 1
    assert AuditEntry.objects.filter(action="cohort.message").count() == 1


def test_a_sixth_message_within_the_hour_is_refused_in_vietnamese(client, people, places, celery_worker):
    trainer = people["trainer"]
    cohort = services.create_cohort(creator=trainer, commune=places["ha_long"], name="Lớp chiều")
    client.force_login(trainer)
    url = reverse("cohorts:messages", args=[cohort.pk])
    for number in range(5):  # the limit: 5 an hour per cohort
        assert client.post(url, {"text": f"Tin số {number}"}).status_code == 302
    refused = client.post(url, {"text": "Tin số 6"})
    assert refused.status_code == 429
    assert "Đã gửi quá nhiều tin nhắn trong thời gian ngắn" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    wait_for(lambda: CohortMessage.objects.filter(sent_at__isnull=False).count() == 5, timeout=30,
             what="five messages delivered", log=celery_worker.log)
    assert CohortMessage.objects.count() == 5
