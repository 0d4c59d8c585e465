"""Hostile ids and text on the trainer's workspace: ids too big for the database, negative, not numbers, NUL
bytes; each page answers a 4xx (or its normal page), never a 500, and nothing is saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import Attendance, ClassSession
from cohorts import services
from cohorts.models import Cohort, CohortMessage, Membership

pytestmark = pytest.mark.django_db
HOSTILE = ["99999999999999999999", "9223372036854775808", "-1", "0", "abc", "1\x00", "１２", "1e3", " 1", ""]


@pytest.fixture
def cohort(people, places):
    cohort = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp sáng thứ Ba")
    services.add_member(cohort=cohort, learner=people["lan"], added_by=people["trainer"])
    return cohort


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_in_forms_and_queries_are_refused(client, people, cohort, value):
    session = ClassSession.objects.create(cohort=cohort, date=timezone.localdate(), topic="Buổi 1",
                                          created_by=people["trainer"])
    client.force_login(people["trainer"])
    answers = {
        "add_member": client.post(reverse("cohorts:add_member", args=[cohort.pk]), {"learner": value}),
        "add_existing": client.post(reverse("registration:add_existing"), {"learner": value, "cohort": value}),
        "register": client.post(reverse("registration:register"), {"full_name": "Lê Thị Hoa", "year_of_birth": value,
                                                                  "commune": value, "cohort": value}),
        "create": client.post(reverse("cohorts:create"), {"name": "Lớp", "commune": value, "co_trainers": value,
                                                          "courses": value, "starts_on": value}),
        "session": client.post(reverse("attendance:sessions", args=[cohort.pk]), {"date": value, "lesson": value,
                                                                               "topic": "Chủ đề"}),
        "sheet": client.post(reverse("attendance:take", args=[session.pk]), {f"m{people['lan'].pk}": value}),
        "home": client.get(reverse("cohorts:home"), {"commune": value}),
        "members": client.get(reverse("cohorts:members", args=[cohort.pk]), {"q": value}),
        "done": client.get(reverse("registration:registered", args=[people["lan"].pk]), {"cohort": value}),
        "check_in": client.get(reverse("attendance:check_in", args=[value or "x"])),
        "card_login": client.post(reverse("registration:card_login"), {"code": value}),
    }
    for name, response in answers.items():
        assert response.status_code < 500, name
    assert list(Membership.objects.values_list("learner", flat=True)) == [people["lan"].pk]
    assert Cohort.objects.count() == 1 and ClassSession.objects.count() == 1
    assert not Attendance.objects.exists() and not CohortMessage.objects.exists()


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808"])
def test_ids_too_big_for_the_database_in_paths_are_404(client, people, cohort, pk):
    client.force_login(people["trainer"])
    for path in (f"/trainer/cohorts/{pk}/", f"/trainer/cohorts/{pk}/members/", f"/trainer/sessions/{pk}/",
                 f"/trainer/cohorts/{cohort.pk}/learners/{pk}/", f"/trainer/learners/{pk}/card/",
                 f"/trainer/register/{pk}/done/", f"/trainer/cohorts/{pk}/attendance.xlsx"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(("day", "status"), [
    ("0001-01-01", 400), ("1999-12-31", 400), ("2000-01-01", 302), ("2099-12-31", 302), ("2100-01-01", 400),
    ("9999-12-31", 400), ("2026-02-31", 400), ("0000-01-01", 400), ("31/12/2026", 302), ("2026-13-01", 400),
])
def test_a_class_sessions_date_is_a_real_date_of_this_century(client, people, cohort, day, status):
    client.force_login(people["trainer"])
    response = client.post(reverse("attendance:sessions", args=[cohort.pk]), {"date": day, "topic": "Chủ đề"})
    assert response.status_code == status
    assert ClassSession.objects.count() == (1 if status == 302 else 0)
    if status == 400 and day[:4] not in {"0000", "2026"}:
        assert "Hãy nhập một ngày từ 01/01/2000 đến 31/12/2099." in response.content.decode()


@pytest.mark.parametrize(("starts", "ends", "status"), [
    ("0001-01-01", "", 400), ("", "9999-12-31", 400), ("2026-03-02", "2026-03-01", 400),
    ("2026-03-02", "2026-03-02", 302), ("2000-01-01", "2099-12-31", 302),
])
def test_a_cohorts_dates_are_real_and_in_order(client, people, places, starts, ends, status):
    client.force_login(people["trainer"])
    data = {"name": "Lớp chiều", "commune": places["ha_long"].pk, "starts_on": starts, "ends_on": ends}
    response = client.post(reverse("cohorts:create"), {**data, "place": "", "schedule": ""})
    assert response.status_code == status
    assert Cohort.objects.count() == (1 if status == 302 else 0)
