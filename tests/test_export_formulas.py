"""Every trainer export (the cohort report and attendance, XLSX and CSV) keeps text typed by people as text: a name,
topic or place starting like a formula never runs when the file is opened (CSV injection). One writer does it,
cms.spreadsheets, so each export is tried with the whole class of formula starts."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from attendance import services as attendance_services
from attendance.models import ClassSession
from cms.spreadsheets import FORMULA_STARTS
from cohorts.models import Cohort, CohortCourse
from cohorts.services import add_member
from tests.conftest import make_user
from tests.courses_factory import make_course

pytestmark = pytest.mark.django_db

HOSTILE = [f"{start}HYPERLINK(\"http://x.example\",\"Lan\")" for start in FORMULA_STARTS]
EXPORTS = ["progress:cohort_report_xlsx", "progress:cohort_report_csv", "attendance:report_xlsx",
           "attendance:report_csv"]


@pytest.fixture
def hostile_cohort(people, places):
    cohort = Cohort.objects.create(commune=places["ha_long"], name="=cmd|' /C calc'!A0", place=HOSTILE[0],
                                   created_by=people["trainer"])
    cohort.trainers.add(people["trainer"])
    course = make_course(HOSTILE[3], lessons=1)  # a course title is typed by an editor
    CohortCourse.objects.create(cohort=cohort, course_key=course.translation_key)
    for number, text in enumerate(HOSTILE):
        person = make_user(username=f"hostile{number}", full_name=text, commune=cohort.commune)
        add_member(cohort=cohort, learner=person, added_by=people["trainer"])
    session = ClassSession.objects.create(cohort=cohort, date=timezone.localdate(), topic=HOSTILE[1],
                                          place=HOSTILE[2], created_by=people["trainer"])
    attendance_services.save_sheet(session=session, statuses={}, marked_by=people["trainer"])
    return cohort


def _cells(response, name: str) -> list:
    if name.endswith("xlsx"):
        book = load_workbook(io.BytesIO(response.content))
        return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    return [value for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for value in row]


@pytest.mark.parametrize("name", EXPORTS)
def test_no_exported_text_starts_like_a_formula(client, people, hostile_cohort, name):
    client.force_login(people["trainer"])
    response = client.get(reverse(name, args=[hostile_cohort.pk]))
    assert response.status_code == 200
    cells = _cells(response, name)
    texts = [cell.value if hasattr(cell, "value") else cell for cell in cells]
    texts = [text for text in texts if isinstance(text, str)]
    for hostile in HOSTILE:
        assert "'" + hostile in texts, hostile  # the member's name is there, quoted as text
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    if name.endswith("xlsx"):
        assert not [cell for cell in cells if cell.data_type == "f"]
