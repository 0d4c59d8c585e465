"""What a cohort message costs: its length counted in SMS as the operator bills them (Vietnamese travels as UCS-2,
an emoji takes two units), and how many a trainer may send in an hour across all their cohorts."""

import pytest
from django.urls import reverse

from accounts import sms
from cohorts import services
from cohorts.models import CohortMessage

pytestmark = pytest.mark.django_db
EMOJI = "\U0001F600"  # outside the Basic Multilingual Plane: two UCS-2 units


@pytest.mark.parametrize(("text", "count"), [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3), ("{" * 80, 1), ("{" * 81, 2),  # GSM-7
    ("ạ" * 70, 1), ("ạ" * 71, 2), ("ạ" * 134, 2), ("ạ" * 135, 3), ("ạ" * 335, 5), ("ạ" * 336, 6),  # UCS-2
    (EMOJI * 35, 1), (EMOJI * 36, 2), (EMOJI * 167, 5), (EMOJI * 168, 6),
])
def test_segments_are_counted_like_the_operator(text, count):
    assert sms.segments(text) == count


@pytest.fixture
def trainer_client(client, people):
    client.force_login(people["trainer"])
    return client


@pytest.fixture
def cohort(people, places):
    return services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp sáng thứ Ba")


@pytest.mark.parametrize(("text", "status"), [
    ("Lớp học " + "ạ" * 312, 302),  # 320 letters: 5 SMS
    (EMOJI * 167, 302),  # 167 emoji: 334 units, 5 SMS
    (EMOJI * 168, 400),  # 336 units: 6 SMS, though only 168 characters
    ("ạ" + EMOJI * 167, 302),  # 335 units: still 5 SMS
    ("ạạ" + EMOJI * 167, 400),  # 336 units
])
def test_a_message_is_at_most_five_sms(trainer_client, cohort, text, status):
    response = trainer_client.post(reverse("cohorts:messages", args=[cohort.pk]), {"text": text})
    assert response.status_code == status
    if status == 400:
        assert "Tin nhắn này sẽ thành 6 SMS cho mỗi học viên" in response.content.decode()
        assert not CohortMessage.objects.exists()


def test_many_cohorts_do_not_multiply_a_trainers_hourly_messages(trainer_client, people, places, settings):
    per_cohort, per_sender = (int(rate.split("/")[0]) for rate in settings.RATE_LIMITS["cohort_message"].split(","))
    cohorts = [services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name=f"Lớp {n}")
               for n in range(per_sender // per_cohort + 1)]
    sent = 0
    for cohort in cohorts:
        for _number in range(per_cohort):
            if sent == per_sender:
                break
            url = reverse("cohorts:messages", args=[cohort.pk])
            assert trainer_client.post(url, {"text": f"Tin số {sent}"}).status_code == 302
            sent += 1
    fresh = reverse("cohorts:messages", args=[cohorts[-1].pk])  # a cohort with messages left of its own
    assert CohortMessage.objects.filter(cohort=cohorts[-1]).count() < per_cohort
    assert trainer_client.post(fresh, {"text": "Một tin nữa"}).status_code == 429
    assert CohortMessage.objects.count() == per_sender


def test_a_deactivated_member_gets_no_sms(people, places, cohort):
    from accounts.services import record_consents
    from tests.conftest import make_user

    gone = make_user(full_name="Ông Sáu", phone="+84912000206", commune=places["ha_long"])
    for person in (people["lan"], gone):
        record_consents(user=person, purposes=["contact"], method="trainer", recorded_by=people["trainer"])
        services.add_member(cohort=cohort, learner=person, added_by=people["trainer"])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    message = CohortMessage.objects.create(cohort=cohort, text="Mai học lúc 8:00", sent_by=people["trainer"])
    services.deliver_message(message_id=message.pk)
    assert [sent["to"] for sent in sms.outbox] == ["+84912000101"]
    message.refresh_from_db()
    assert (message.recipients, message.skipped) == (1, 1)
