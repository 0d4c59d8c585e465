"""Finishing a course through simultaneous requests on PostgreSQL: lessons at once, lessons and the final test at
once. Every round must end completed, announced once, with one certificate."""

from unittest import mock

import pytest
from django.test import Client

from accounts.services import record_consents
from certificates.models import Certificate
from certificates.tasks import render_certificate
from courses.models import Enrollment
from courses.services import complete_lesson
from quizzes.services import start_attempt, submit_attempt
from quizzes.testing import make_quiz, right_answers
from tests.conftest import make_user
from tests.courses_factory import lessons_of, make_course

from .test_quiz_concurrency import postgres, submit_all_at_once  # noqa: F401 - postgres is a fixture

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Rounds enough that the race shows every time on the code without the lock (it failed in the first round).
ROUNDS = 12
LESSONS = 5


@pytest.fixture(autouse=True)
def _no_pdf():
    with mock.patch.object(render_certificate, "delay"):  # the PDF is not what is measured here
        yield


def new_learner(number):
    learner = make_user(username=f"racer{number}", full_name=f"Người Học {number}")
    record_consents(user=learner, purposes=["certification"], method="online", recorded_by=None)
    return learner


def post_as(learner, url, **extra):
    client = Client()
    client.force_login(learner)
    return client.post(url, **extra).status_code


def assert_finished_once(learner, course, completions):
    enrollment = Enrollment.objects.get(learner=learner, course_key=course.translation_key)
    assert enrollment.completed_at is not None, "every lesson and the final test done, but the course is not complete"
    assert Certificate.objects.filter(learner=learner, course_key=course.translation_key).count() == 1
    assert completions.count((learner.pk, course.pk)) == 1


def test_lessons_finished_at_once_complete_the_course_once(postgres, completions):  # noqa: F811
    course = make_course("Dịch vụ công trực tuyến", lessons=LESSONS)
    quiz = make_quiz(course, is_final=True)
    lessons = lessons_of(course)
    for number in range(ROUNDS):
        learner = new_learner(number)
        attempt, __ = start_attempt(learner=learner, quiz=quiz)
        submit_attempt(learner=learner, attempt_id=attempt.pk, answers=right_answers(quiz))
        statuses = submit_all_at_once(lambda n, learner=learner: post_as(learner, lessons[n].url + "done/"),
                                      count=LESSONS)
        assert statuses == [302] * LESSONS
        assert_finished_once(learner, course, completions)


def test_last_lesson_and_final_test_at_once_complete_the_course_once(postgres, completions):  # noqa: F811
    course = make_course("Định danh điện tử VNeID", lessons=3)
    quiz = make_quiz(course, is_final=True)
    lessons = lessons_of(course)
    for number in range(ROUNDS):
        learner = new_learner(number)
        complete_lesson(learner=learner, lesson=lessons[0])
        attempt, __ = start_attempt(learner=learner, quiz=quiz)
        answers = right_answers(quiz)

        def send(n, learner=learner, attempt=attempt, answers=answers):
            if n == 0:
                return post_as(learner, f"/api/v1/attempts/{attempt.pk}/submit", data={"answers": answers},
                               content_type="application/json")
            return post_as(learner, lessons[n].url + "done/")

        assert submit_all_at_once(send, count=3) == [200, 302, 302]
        assert_finished_once(learner, course, completions)
