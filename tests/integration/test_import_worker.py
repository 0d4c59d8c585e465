"""Importing residents with a real Celery worker on Redis and PostgreSQL: the confirmation queues the batches,
the worker imports them with the registration rules, the page follows the progress, a repeat changes nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from accounts.models import Consent, User
from cohorts.models import Cohort, Membership
from imports import services
from imports.models import ImportJob
from imports.spreadsheet import HEADERS
from imports.tasks import import_rows
from tests.integration.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
PEOPLE = 2300  # three batches of services.BATCH (1,000)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a SQLite test database lives in this process's memory, "
                    "so a worker process cannot see it (set DATABASE_URL=postgres://…)")


def a_list() -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(HEADERS.values()))
    for n in range(PEOPLE):
        name = f"Người Học {chr(65 + n % 26)}{chr(65 + n // 26 % 26)}{chr(65 + n // 676)}"
        sheet.append([name, f"0913{n:06d}" if n % 5 else "", 1950 + n % 40, "Nữ", "ha long", "Có" if n % 2 else ""])
    sheet.append(["Nguyễn Thị Lan", "0912000101", 1962, "Nữ", "", ""])  # registered already
    sheet.append(["Sai Năm", "", "abc", "", "", ""])  # an error
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_worker_imports_a_confirmed_list_in_batches(celery_worker, client, people, places):
    trainer = people["trainer"]
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp sáng thứ Ba", created_by=trainer)
    cohort.trainers.add(trainer)
    client.force_login(trainer)
    response = client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile("danh-sach.xlsx", a_list()), "commune": "06688", "cohort": cohort.pk,
        "consent_learning": "on", "consent_contact": "on"})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.total, job.new, job.existing, job.errors) == ("previewed", PEOPLE + 2, PEOPLE, 1, 1)
    assert not User.objects.filter(created_via="import").exists()  # nothing before the confirmation

    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 302
    seen = set()

    def finished():
        job.refresh_from_db()
        seen.add(job.done)
        return job.status in ("done", "failed")

    wait_for(finished, timeout=120, what="the worker to import the list", log=celery_worker.log)
    assert (job.status, job.done, job.to_import, job.created, job.joined) == ("done", PEOPLE + 1, PEOPLE + 1,
                                                                              PEOPLE, PEOPLE + 1)
    assert max(seen) == PEOPLE + 1 and min(seen) < PEOPLE + 1  # the page could follow it
    imported = User.objects.filter(created_via="import", registered_by=trainer, commune_id="06688")
    assert imported.count() == PEOPLE
    consents = Consent.objects.filter(user__in=imported)
    assert set(consents.values_list("method", "recorded_by")) == {("trainer", trainer.pk)}
    assert consents.filter(purpose="learning").count() == PEOPLE
    assert consents.filter(purpose="contact").count() == PEOPLE // 2  # the rows that said Có
    assert Membership.objects.filter(cohort=cohort).count() == PEOPLE + 1  # Lan too
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Đã nhập xong" in page and 'http-equiv="refresh"' not in page

    # The task delivered again (a worker lost after its last batch): nothing changes.
    counts = (User.objects.count(), Consent.objects.count(), Membership.objects.count())
    import_rows.delay(job.pk).get(timeout=30)
    assert (User.objects.count(), Consent.objects.count(), Membership.objects.count()) == counts


def test_two_deliveries_at_once_import_each_row_once(celery_worker, people, places):
    trainer = people["trainer"]
    upload = SimpleUploadedFile("danh-sach.xlsx", a_list())
    job = services.preview_upload(uploaded_by=trainer, upload=upload, commune=places["ha_long"],
                                  purposes=["learning"])
    ImportJob.objects.filter(pk=job.pk).update(status="importing")  # as confirm_import claims it
    first, second = import_rows.delay(job.pk), import_rows.delay(job.pk)
    first.get(timeout=120), second.get(timeout=120)

    def finished():
        job.refresh_from_db()
        return job.status == "done" and job

    wait_for(finished, timeout=120, what="both chains of batches to finish", log=celery_worker.log)
    assert (job.done, job.created) == (PEOPLE + 1, PEOPLE)
    assert User.objects.filter(created_via="import").count() == PEOPLE
    assert Consent.objects.filter(user__created_via="import").count() == PEOPLE
