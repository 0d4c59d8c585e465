"""Residents take a quiz through plain HTML forms: rules, Start, answer, hand in, result, try again."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import Enrollment
from quizzes.grading import MULTIPLE, SINGLE
from quizzes.models import AttemptAnswer, QuizAttempt
from quizzes.testing import Q, make_quiz, right_answers, sample_questions, wrong_answers
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client, people):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    client.force_login(people["lan"])
    return client


@pytest.fixture
def course(places):
    return make_course(lessons=2)


def start(client, quiz):
    response = client.post(quiz.url + "start/")
    assert response.status_code == 302, response.content[:500]
    return QuizAttempt.objects.get(pk=response["Location"].rstrip("/").split("/")[-1]), response["Location"]


def form_data(answers: dict) -> dict:
    return {f"q-{question_id}": choices for question_id, choices in answers.items()}


def test_quiz_page_shows_rules_and_a_start_button(learner_client, course):
    quiz = make_quiz(course, pass_mark=75, max_attempts=3, wait_minutes=30)
    response = learner_client.get(quiz.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "75" in body and 'action="' + quiz.url + 'start/"' in body
    standing = response.context["standing"]
    assert standing.attempts_left == 3 and standing.can_start


def test_anonymous_visitor_sees_the_rules_and_is_asked_to_log_in(client, course):
    quiz = make_quiz(course)
    response = client.get(quiz.url)
    assert response.status_code == 200
    assert "/accounts/login/" in response.content.decode()
    started = client.post(quiz.url + "start/")
    assert started.status_code == 302 and "/accounts/login/" in started["Location"]
    assert not QuizAttempt.objects.exists()


def test_start_needs_post(learner_client, course):
    quiz = make_quiz(course)
    assert learner_client.get(quiz.url + "start/").status_code == 405
    assert not QuizAttempt.objects.exists()


def test_start_answer_submit_and_see_the_result(learner_client, course, people):
    quiz = make_quiz(course)
    attempt, url = start(learner_client, quiz)
    assert Enrollment.objects.filter(learner=people["lan"], course_key=course.translation_key).exists()
    page = learner_client.get(url)
    assert page.status_code == 200
    assert len(page.context["questions"]) == 4
    response = learner_client.post(url, form_data(right_answers(quiz)))
    assert response.status_code == 302 and response["Location"].endswith("/result/")
    result = learner_client.get(response["Location"])
    assert result.status_code == 200
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (100, True)
    assert AttemptAnswer.objects.filter(attempt=attempt, is_correct=True).count() == 4
    body = result.content.decode()
    for question in sample_questions(with_images=False):
        assert question.explanation in body  # each explanation after handing in
    # Opening the attempt again shows the result, not the form.
    assert learner_client.get(url)["Location"].endswith("/result/")


def test_feedback_at_the_end_lists_explanations_together(learner_client, course):
    quiz = make_quiz(course, feedback="end")
    __, url = start(learner_client, quiz)
    result = learner_client.get(learner_client.post(url, form_data(wrong_answers(quiz)))["Location"])
    body = result.content.decode()
    assert 'class="explanations"' in body and "Mã OTP chỉ dành cho bạn." in body
    assert result.context["attempt"].score == 0 and not result.context["attempt"].passed


def test_the_right_answers_never_reach_the_browser_before_handing_in(learner_client, course):
    quiz = make_quiz(course)
    __, url = start(learner_client, quiz)
    html = learner_client.get(url).content.decode()
    keys = quiz.question_keys()
    right = {choice for key in keys for choice in key.correct}
    wrong = {choice for key in keys for choice in key.choices} - right
    for choice in right | wrong:
        # Every answer appears once, as the value of its input, and all alike: nothing marks the right ones.
        assert html.count(choice) == 1
        tag = re.search(r"<input[^>]*" + choice + r"[^>]*>", html).group(0)
        assert set(re.findall(r'(\w[\w-]*)=', tag)) <= {"type", "name", "value"}
    for marker in ("is_correct", "correct", "data-right", "data-answer"):
        assert marker not in html
    for question in sample_questions(with_images=False):
        assert question.explanation not in html


def test_double_submit_is_recorded_once(learner_client, course):
    quiz = make_quiz(course)
    attempt, url = start(learner_client, quiz)
    data = form_data(right_answers(quiz))
    first = learner_client.post(url, data)
    second = learner_client.post(url, data)  # a double tap, or a retry after a dropped connection
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4


def test_different_answers_for_a_closed_attempt_are_refused_with_409(learner_client, course):
    quiz = make_quiz(course)
    attempt, url = start(learner_client, quiz)
    learner_client.post(url, form_data(wrong_answers(quiz)))
    response = learner_client.post(url, form_data(right_answers(quiz)))
    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert set(AttemptAnswer.objects.filter(attempt=attempt).values_list("is_correct", flat=True)) == {False}


def test_someone_elses_attempt_is_404(learner_client, course, people):
    quiz = make_quiz(course)
    __, url = start(learner_client, quiz)
    other = Client()
    other.force_login(people["mai"])
    assert other.get(url).status_code == 404
    assert other.post(url, form_data(right_answers(quiz))).status_code == 404
    assert other.get(url + "result/").status_code == 404
    assert not AttemptAnswer.objects.exists()


def test_missing_answers_are_refused_and_the_form_keeps_the_choices(learner_client, course):
    quiz = make_quiz(course)
    attempt, url = start(learner_client, quiz)
    answers = right_answers(quiz)
    first_id, first_choices = next(iter(answers.items()))
    response = learner_client.post(url, form_data({first_id: first_choices}))
    assert response.status_code == 400
    questions = response.context["questions"]
    assert [bool(question.errors) for question in questions] == [False, True, True, True]
    assert f'value="{first_choices[0]}" checked' in response.content.decode()
    assert not AttemptAnswer.objects.exists()
    assert QuizAttempt.objects.get(pk=attempt.pk).is_open


@pytest.mark.parametrize("spoil", ["unknown", "other_question", "two_radios", "repeated"])
def test_bad_choices_are_refused_and_nothing_is_saved(learner_client, course, spoil):
    quiz = make_quiz(course)
    attempt, url = start(learner_client, quiz)
    answers = right_answers(quiz)
    keys = quiz.question_keys()
    single, multiple = keys[0], keys[1]
    if spoil == "unknown":
        answers[single.id] = ["khong-co"]
    elif spoil == "other_question":
        answers[single.id] = [multiple.choices[0]]
    elif spoil == "two_radios":
        answers[single.id] = list(single.choices[:2])
    else:
        answers[multiple.id] = [multiple.choices[0], multiple.choices[0]]
    response = learner_client.post(url, form_data(answers))
    assert response.status_code == 400
    assert not AttemptAnswer.objects.exists()
    assert QuizAttempt.objects.get(pk=attempt.pk).is_open


def test_attempts_limit(learner_client, course):
    quiz = make_quiz(course, max_attempts=2)
    for __ in range(2):
        __, url = start(learner_client, quiz)
        learner_client.post(url, form_data(wrong_answers(quiz)))
    response = learner_client.post(quiz.url + "start/")
    assert response.status_code == 403
    assert response.context["refusal"].code == "no_attempts_left"
    assert QuizAttempt.objects.count() == 2
    home = learner_client.get(quiz.url)
    assert home.context["standing"].attempts_left == 0 and home.context["not_now"].code == "no_attempts_left"


def test_waiting_time_between_attempts(learner_client, course):
    quiz = make_quiz(course, wait_minutes=30)
    attempt, url = start(learner_client, quiz)
    result_url = learner_client.post(url, form_data(wrong_answers(quiz)))["Location"]
    result = learner_client.get(result_url)
    assert result.context["not_now"].code == "wait_before_retry"
    refused = learner_client.post(quiz.url + "start/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 30 * 60
    QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - timedelta(minutes=31))
    again, __ = start(learner_client, quiz)
    assert again.pk != attempt.pk


def test_start_twice_resumes_the_same_attempt(learner_client, course):
    quiz = make_quiz(course, max_attempts=1)
    first, __ = start(learner_client, quiz)
    second, __ = start(learner_client, quiz)
    assert first.pk == second.pk and QuizAttempt.objects.count() == 1
    assert learner_client.get(quiz.url).context["open_attempt_url"].endswith(f"/attempt/{first.pk}/")


def test_multiple_choice_gives_no_partial_credit(learner_client, course):
    quiz = make_quiz(course, questions=[
        Q(MULTIPLE, "Chọn các dấu hiệu lừa đảo", [("A", True), ("B", True), ("C", False)]),
        Q(SINGLE, "Một câu", [("Đúng", True), ("Sai", False)]),
    ])
    attempt, url = start(learner_client, quiz)
    keys = quiz.question_keys()
    answers = {keys[0].id: [keys[0].choices[0]], keys[1].id: [keys[1].choices[0]]}  # one of two right ones
    learner_client.post(url, form_data(answers))
    attempt.refresh_from_db()
    assert attempt.score == 50


def test_passing_the_final_quiz_completes_the_course_once(learner_client, course, people, completions):
    quiz = make_quiz(course, is_final=True)
    for lesson in lessons_of(course):
        learner_client.post(lesson.url + "done/")
    assert completions == []  # all lessons done, but the final test is not passed yet
    attempt, url = start(learner_client, quiz)
    learner_client.post(url, form_data(wrong_answers(quiz)))
    assert completions == []
    learner_client.get(course.url)
    attempt, url = start(learner_client, quiz)
    response = learner_client.post(url, form_data(right_answers(quiz)), follow=True)
    assert response.status_code == 200
    learner_client.post(url, form_data(right_answers(quiz)))  # a retry changes nothing
    attempt, url = start(learner_client, quiz)
    learner_client.post(url, form_data(right_answers(quiz)))  # passing again neither
    assert completions == [(people["lan"].pk, course.pk)]
    assert Enrollment.objects.get(learner=people["lan"]).completed_at is not None


def test_final_quiz_passed_before_the_last_lesson_completes_the_course_with_it(learner_client, course):
    quiz = make_quiz(course, is_final=True)
    __, url = start(learner_client, quiz)
    learner_client.post(url, form_data(right_answers(quiz)))
    assert Enrollment.objects.get().completed_at is None
    for lesson in lessons_of(course):
        learner_client.post(lesson.url + "done/")
    assert Enrollment.objects.get().completed_at is not None


def test_a_course_without_a_final_quiz_completes_by_its_lessons(learner_client, course):
    make_quiz(course, is_final=False)
    for lesson in lessons_of(course):
        learner_client.post(lesson.url + "done/")
    assert Enrollment.objects.get().completed_at is not None


def test_course_page_lists_quizzes_with_best_score(learner_client, course):
    quiz = make_quiz(course, title="Bài kiểm tra cuối khóa", is_final=True)
    __, url = start(learner_client, quiz)
    learner_client.post(url, form_data(right_answers(quiz)))
    response = learner_client.get(course.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bài kiểm tra cuối khóa" in body and quiz.url in body and "100/100" in body
    assert Client().get(course.url).status_code == 200  # and for a visitor


def test_csrf_is_required_to_start_and_submit(people, course):
    quiz = make_quiz(course)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["lan"])
    assert client.post(quiz.url + "start/").status_code == 403
    assert not QuizAttempt.objects.exists()
