"""Pages and files about people are never kept by a browser or proxy: a shared phone's Back button or download list
shows no class's names after signing out."""

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import ClassSession
from cohorts import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(people, places):
    cohort = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp sáng thứ Ba")
    services.add_member(cohort=cohort, learner=people["lan"], added_by=people["trainer"])
    return cohort


def _private(response) -> bool:
    return "no-store" in {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_every_workspace_page_and_export_is_no_store(client, people, cohort):
    session = ClassSession.objects.create(cohort=cohort, date=timezone.localdate(), topic="Buổi 1",
                                          created_by=people["trainer"])
    client.force_login(people["trainer"])
    urls = [reverse("cohorts:home"), reverse("cohorts:members", args=[cohort.pk]),
            reverse("progress:cohort_report", args=[cohort.pk]),
            reverse("progress:cohort_learner", args=[cohort.pk, people["lan"].pk]),
            reverse("progress:cohort_report_xlsx", args=[cohort.pk]),
            reverse("progress:cohort_report_csv", args=[cohort.pk]),
            reverse("attendance:report_xlsx", args=[cohort.pk]), reverse("attendance:report_csv", args=[cohort.pk]),
            reverse("attendance:take", args=[session.pk]), reverse("registration:register"),
            reverse("registration:card", args=[people["lan"].pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and _private(response), url
    pdf = client.post(reverse("registration:card", args=[people["lan"].pk]))
    assert pdf["Content-Type"] == "application/pdf" and _private(pdf)
    client.force_login(people["lan"])
    for url in (reverse("cohorts:mine"), reverse("download_my_data")):
        assert _private(client.get(url)), url
