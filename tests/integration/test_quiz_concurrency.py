"""Simultaneous submissions of one attempt on PostgreSQL: one set of answers, the same answer for everyone."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from quizzes.models import AttemptAnswer, QuizAttempt
from quizzes.services import start_attempt
from quizzes.testing import make_quiz, right_answers, wrong_answers
from tests.courses_factory import make_course

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no row locks, so "
                    "select_for_update cannot be exercised there")


def submit_all_at_once(send, count=THREADS):
    """Run `send(number)` in `count` threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(count)

    def run(number):
        try:
            barrier.wait(timeout=30)
            return send(number)
        finally:
            connection.close()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.parametrize("same_answers", [True, False])
def test_simultaneous_api_submissions_record_one_set_of_answers(postgres, people, same_answers):
    learner = people["lan"]
    quiz = make_quiz(make_course(lessons=1))
    attempt, __ = start_attempt(learner=learner, quiz=quiz)
    right, wrong = right_answers(quiz), wrong_answers(quiz)

    def send(number):
        client = Client()
        client.force_login(learner)
        answers = right if same_answers or number % 2 == 0 else wrong
        response = client.post(f"/api/v1/attempts/{attempt.pk}/submit", {"answers": answers},
                               content_type="application/json")
        return response.status_code, response.json()

    results = submit_all_at_once(send)
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == len(attempt.question_ids)
    assert QuizAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=False).count() == 1
    accepted = [body for status, body in results if status == 200]
    refused = [body for status, body in results if status != 200]
    assert accepted and all(body == accepted[0] for body in accepted)
    if same_answers:
        assert not refused
    else:
        # Whichever answers won, every request with the other answers was told the attempt is closed.
        assert all(status in (200, 409) for status, __ in results)
        assert all(body["error"]["code"] == "attempt_closed" for body in refused)
        winner = right if accepted[0]["score"] == 100 else wrong
        assert len(accepted) == sum(1 for number in range(THREADS)
                                    if (right if number % 2 == 0 else wrong) == winner)


def test_simultaneous_form_submissions_record_one_set_of_answers(postgres, people):
    learner = people["lan"]
    quiz = make_quiz(make_course(lessons=1))
    attempt, __ = start_attempt(learner=learner, quiz=quiz)
    url = quiz.url + f"attempt/{attempt.pk}/"
    data = {f"q-{question_id}": choices for question_id, choices in right_answers(quiz).items()}

    def send(number):
        client = Client()
        client.force_login(learner)
        response = client.post(url, data)
        return response.status_code, response["Location"]

    results = submit_all_at_once(send, count=4)
    assert {result for result in results} == {(302, url + "result/")}
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == len(attempt.question_ids)
