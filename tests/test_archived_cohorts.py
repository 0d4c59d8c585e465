"""An archived cohort is a record: every page that changes it refuses (its details, members, sessions, attendance,
the class QR code and check-in), nothing is changed, and making it active again still works."""

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance import tokens
from attendance.models import Attendance, ClassSession
from cohorts.models import Cohort, Membership
from cohorts.services import add_member, archive_cohort
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(people, places):
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp năm ngoái", place="Nhà văn hoá",
                                   created_by=people["trainer"])
    cohort.trainers.add(people["trainer"])
    add_member(cohort=cohort, learner=people["lan"], added_by=people["trainer"])
    session = ClassSession.objects.create(cohort=cohort, date=timezone.localdate(), topic="Buổi cuối",
                                          created_by=people["trainer"])
    people["hung"] = make_user(full_name="Trần Văn Hùng", commune=places["ha_long"])  # could be added, if open
    token = tokens.make_token(session.pk)  # shown on the trainer's phone just before archiving
    archive_cohort(cohort=cohort)
    return cohort, session, token


def changes(cohort, session, people):
    lan = people["lan"]
    return [
        # The cohort's own pages say it is archived (400); attendance's changing pages do not exist for it (404).
        ("post", reverse("cohorts:edit", args=[cohort.pk]),
         {"name": "Đổi tên", "commune": cohort.commune_id, "place": "", "schedule": ""}, 400),
        ("post", reverse("cohorts:remove_member", args=[cohort.pk, lan.pk]), {}, 400),
        ("post", reverse("cohorts:add_member", args=[cohort.pk]), {"learner": people["hung"].pk}, 400),
        ("post", reverse("cohorts:messages", args=[cohort.pk]), {"text": "Mai học lúc 8:00"}, 400),
        ("post", reverse("attendance:sessions", args=[cohort.pk]), {"date": "2026-12-05", "topic": "Thêm"}, 404),
        ("post", reverse("attendance:take", args=[session.pk]), {f"m{lan.pk}": "absent"}, 404),
        ("get", reverse("attendance:qr", args=[session.pk]), {}, 404),
    ]


@pytest.mark.parametrize("number", range(7))
def test_no_page_changes_an_archived_cohort(client, people, archived, number):
    cohort, session, _token = archived
    method, url, data, expected = changes(cohort, session, people)[number]
    client.force_login(people["trainer"])
    response = getattr(client, method)(url, data)
    assert response.status_code == expected, url
    cohort.refresh_from_db()
    assert cohort.name == "Lớp năm ngoái" and cohort.archived
    assert list(Membership.objects.filter(cohort=cohort).values_list("learner", flat=True)) == [people["lan"].pk]
    assert ClassSession.objects.filter(cohort=cohort).count() == 1
    assert not Attendance.objects.exists() and not cohort.messages.exists()


def test_a_code_shown_before_archiving_checks_no_one_in(client, people, archived):
    _cohort, _session, token = archived
    client.force_login(people["lan"])
    response = client.get(reverse("attendance:check_in", args=[token]))
    assert response.status_code == 400 and "Mã đã hết hạn, hãy quét lại" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_archived_cohorts_pages_still_read_and_it_can_be_made_active(client, people, archived):
    cohort, session, _token = archived
    client.force_login(people["trainer"])
    for url in (reverse("attendance:sessions", args=[cohort.pk]), reverse("attendance:take", args=[session.pk]),
                reverse("cohorts:members", args=[cohort.pk])):
        assert client.get(url).status_code == 200
    assert client.post(reverse("cohorts:archive", args=[cohort.pk])).status_code == 302
    cohort.refresh_from_db()
    assert not cohort.archived
    assert client.get(reverse("attendance:qr", args=[session.pk])).status_code == 200
