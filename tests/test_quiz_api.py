"""The JSON API at /api/v1/: session login with CSRF, one error shape, answers hidden until handed in."""

import json
import uuid

import pytest
from django.test import Client

from quizzes.api import MAX_BODY_BYTES
from quizzes.models import AttemptAnswer, QuizAttempt
from quizzes.testing import make_quiz, right_answers, wrong_answers
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db

CSRF = "a" * 32  # a CSRF secret; Django accepts it unmasked in the X-CSRFToken header


def api_client(user=None, *, csrf=True) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="vi")
    if user is not None:
        client.force_login(user)
    if csrf:
        client.cookies["csrftoken"] = CSRF
        client.defaults["HTTP_X_CSRFTOKEN"] = CSRF
    return client


def post(client, url, data=None, **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data if data is not None else {})
    return client.post(url, body, content_type="application/json", **extra)


def assert_error(response, status, code):
    assert response.status_code == status, response.content[:1000]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.fixture
def lan(people):
    return people["lan"]


@pytest.fixture
def quiz(places):
    return make_quiz(make_course(lessons=2), is_final=True)


def start(client, quiz, status=201):
    response = post(client, f"/api/v1/quizzes/{quiz.pk}/attempts")
    assert response.status_code == status, response.content[:1000]
    return response.json()


def submit(client, attempt_id, answers):
    return post(client, f"/api/v1/attempts/{attempt_id}/submit", {"answers": answers})


def test_openapi_schema_and_docs_are_published(client, places):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/me/courses", "/api/v1/quizzes/{quiz_id}/attempts", "/api/v1/attempts/{attempt_id}",
            "/api/v1/attempts/{attempt_id}/submit"} <= set(paths)
    assert client.get("/api/v1/docs").status_code == 200


def test_my_courses_needs_a_login(places):
    assert_error(api_client().get("/api/v1/me/courses"), 401, "not_authenticated")


def test_my_courses_with_progress_and_quizzes(lan, quiz):
    client = api_client(lan)
    course = quiz.get_parent().specific
    client.post(lessons_of(course)[0].url + "done/", HTTP_X_CSRFTOKEN=CSRF)
    attempt = start(client, quiz)
    submit(client, attempt["id"], right_answers(quiz))
    response = client.get("/api/v1/me/courses")
    assert response.status_code == 200
    [item] = response.json()
    assert (item["id"], item["lessons_done"], item["lessons_total"], item["percent"], item["completed"]) == \
        (course.pk, 1, 2, 50, False)
    [summary] = item["quizzes"]
    assert (summary["id"], summary["best_score"], summary["passed"], summary["is_final"]) == (quiz.pk, 100, True, True)


def test_start_returns_questions_without_the_answers(lan, quiz):
    client = api_client(lan)
    data = start(client, quiz)
    assert QuizAttempt.objects.filter(pk=data["id"], learner=lan).exists()
    assert len(data["questions"]) == 4 and data["result"] is None
    text = json.dumps(data)
    for marker in ("is_correct", "correct", "explanation", "right"):
        assert marker not in text
    for question in data["questions"]:
        assert set(question) == {"id", "number", "kind", "multiple", "prompt", "image_url", "image_alt", "choices"}
        for choice in question["choices"]:
            assert set(choice) == {"id", "text", "image_url"}
    picture = next(question for question in data["questions"] if question["kind"] == "image")
    assert all(choice["image_url"] for choice in picture["choices"])
    # The same attempt again until it is handed in (a retried Start), then its result with explanations.
    again = start(client, quiz, status=200)
    assert again["id"] == data["id"]
    opened = client.get(f"/api/v1/attempts/{data['id']}").json()
    assert "explanation" not in json.dumps(opened["questions"]) and opened["result"] is None
    submit(client, data["id"], wrong_answers(quiz))
    handed_in = client.get(f"/api/v1/attempts/{data['id']}").json()
    assert handed_in["submitted"] and handed_in["result"]["score"] == 0
    assert all(question["explanation"] for question in handed_in["result"]["questions"])


def test_submit_is_idempotent(lan, quiz):
    client = api_client(lan)
    attempt = start(client, quiz)
    first = submit(client, attempt["id"], right_answers(quiz))
    second = submit(client, attempt["id"], right_answers(quiz))
    reordered = {key: list(reversed(value)) for key, value in right_answers(quiz).items()}
    shuffled = submit(client, attempt["id"], reordered)
    assert first.status_code == second.status_code == shuffled.status_code == 200
    assert first.json() == second.json() == shuffled.json()
    assert first.json()["score"] == 100 and first.json()["passed"]
    assert AttemptAnswer.objects.filter(attempt_id=attempt["id"]).count() == 4


def test_other_answers_for_a_closed_attempt_are_409(lan, quiz):
    client = api_client(lan)
    attempt = start(client, quiz)
    submit(client, attempt["id"], wrong_answers(quiz))
    error = assert_error(submit(client, attempt["id"], right_answers(quiz)), 409, "attempt_closed")
    assert error["details"]["attempt_id"] == attempt["id"]
    assert QuizAttempt.objects.get(pk=attempt["id"]).score == 0


def test_someone_elses_or_unknown_attempt_is_404(people, quiz):
    attempt = start(api_client(people["lan"]), quiz)
    other = api_client(people["mai"])
    assert_error(submit(other, attempt["id"], right_answers(quiz)), 404, "attempt_not_found")
    assert_error(other.get(f"/api/v1/attempts/{attempt['id']}"), 404, "attempt_not_found")
    assert_error(submit(other, uuid.uuid4(), right_answers(quiz)), 404, "attempt_not_found")
    assert not AttemptAnswer.objects.exists()


def test_csrf_is_required(lan, quiz):
    client = api_client(lan, csrf=False)
    assert_error(post(client, f"/api/v1/quizzes/{quiz.pk}/attempts"), 403, "csrf_failed")
    assert not QuizAttempt.objects.exists()
    attempt = start(api_client(lan), quiz)
    assert_error(submit(client, attempt["id"], right_answers(quiz)), 403, "csrf_failed")
    assert not AttemptAnswer.objects.exists()
    wrong_token = api_client(lan)
    wrong_token.defaults["HTTP_X_CSRFTOKEN"] = "b" * 32
    assert_error(submit(wrong_token, attempt["id"], right_answers(quiz)), 403, "csrf_failed")
    assert client.get("/api/v1/me/courses").status_code == 200  # reading needs no token


def _spoil(quiz, how):
    answers = right_answers(quiz)
    keys = quiz.question_keys()
    if how == "missing":
        answers.pop(keys[0].id)
    elif how == "empty":
        answers[keys[0].id] = []
    elif how == "unknown_choice":
        answers[keys[0].id] = ["khong-co"]
    elif how == "other_question":
        answers[keys[0].id] = [keys[1].choices[0]]
    elif how == "repeated":
        answers[keys[1].id] = [keys[1].choices[0]] * 2
    elif how == "two_for_one":
        answers[keys[0].id] = list(keys[0].choices[:2])
    elif how == "unknown_question":
        answers["khong-co"] = [keys[0].choices[0]]
    return answers


@pytest.mark.parametrize(("how", "code"), [
    ("missing", "missing_answer"), ("empty", "missing_answer"), ("unknown_choice", "unknown_choice"),
    ("other_question", "choice_of_another_question"), ("repeated", "repeated_choice"),
    ("two_for_one", "one_answer_only"), ("unknown_question", "unknown_question"),
])
def test_bad_answers_are_400_and_nothing_is_saved(lan, quiz, how, code):
    client = api_client(lan)
    attempt = start(client, quiz)
    error = assert_error(submit(client, attempt["id"], _spoil(quiz, how)), 400, "invalid_answers")
    found = {problem["code"] for problem in error["details"]["problems"]}
    if code == "missing_answer":
        assert error["details"]["missing"] == [quiz.question_keys()[0].id] and not found
    else:
        assert code in found
    assert not AttemptAnswer.objects.exists()
    assert QuizAttempt.objects.get(pk=attempt["id"]).is_open


@pytest.mark.parametrize(("body", "code"), [
    ("{not json", "malformed_json"),
    (b"\xff\xfe", "malformed_json"),
    ("[1, 2]", "invalid_input"),
    ('{"answers": [["a", "b"]]}', "invalid_input"),
    ('{"answers": {"q": "a"}}', "invalid_input"),
    ('{"answers": {"q": [1, 2]}}', "invalid_input"),
    ('{"answers": {"q": [null]}}', "invalid_input"),
    ("{}", "invalid_input"),
    ('{"answers": {"q": ["' + "x" * 100 + '"]}}', "invalid_input"),
    ('{"answers": {"q": ["a\\u0000"]}}', "invalid_characters"),  # refused at the request edge (cms.middleware)
    ("[" * 5000 + "]" * 5000, "malformed_json"),
])
def test_malformed_or_wrongly_typed_bodies_are_400(lan, quiz, body, code):
    client = api_client(lan)
    attempt = start(client, quiz)
    assert_error(post(client, f"/api/v1/attempts/{attempt['id']}/submit", body), 400, code)
    assert not AttemptAnswer.objects.exists()


def test_oversized_body_is_413(lan, quiz):
    client = api_client(lan)
    attempt = start(client, quiz)
    answers = {f"q{n}": ["x" * 60] for n in range(MAX_BODY_BYTES // 60)}
    error = assert_error(submit(client, attempt["id"], answers), 413, "payload_too_large")
    assert error["details"] == {"max_bytes": MAX_BODY_BYTES}
    assert not AttemptAnswer.objects.exists()


def test_bad_ids_in_the_address(lan, quiz):
    client = api_client(lan)
    assert_error(post(client, "/api/v1/attempts/not-a-uuid/submit", {"answers": {}}), 400, "invalid_input")
    assert_error(post(client, "/api/v1/quizzes/999999/attempts"), 404, "quiz_not_available")
    assert_error(post(client, f"/api/v1/quizzes/{10**30}/attempts"), 400, "invalid_input")
    assert_error(post(client, "/api/v1/quizzes/0/attempts"), 400, "invalid_input")
    assert_error(client.get("/api/v1/khong-co"), 404, "not_found")
    error = assert_error(client.delete("/api/v1/me/courses"), 405, "method_not_allowed")
    assert error is not None


def test_attempt_limit_and_waiting_time(lan, places):
    course = make_course(lessons=1)
    limited = make_quiz(course, max_attempts=1)
    waiting = make_quiz(course, wait_minutes=15)
    client = api_client(lan)
    for quiz in (limited, waiting):
        attempt = start(client, quiz)
        assert submit(client, attempt["id"], wrong_answers(quiz)).status_code == 200
    error = assert_error(post(client, f"/api/v1/quizzes/{limited.pk}/attempts"), 403, "no_attempts_left")
    assert error["details"] == {"max_attempts": 1}
    response = post(client, f"/api/v1/quizzes/{waiting.pk}/attempts")
    error = assert_error(response, 429, "wait_before_retry")
    assert error["details"]["minutes"] == 15 and int(response["Retry-After"]) == 15 * 60
    assert QuizAttempt.objects.count() == 2


def test_unpublished_quiz_cannot_be_started(lan, quiz):
    quiz.unpublish()
    assert_error(post(api_client(lan), f"/api/v1/quizzes/{quiz.pk}/attempts"), 404, "quiz_not_available")


def test_passing_the_final_quiz_by_api_completes_the_course(lan, quiz):
    client = api_client(lan)
    course = quiz.get_parent().specific
    for lesson in lessons_of(course):
        client.post(lesson.url + "done/", HTTP_X_CSRFTOKEN=CSRF)
    attempt = start(client, quiz)
    submit(client, attempt["id"], right_answers(quiz))
    [item] = client.get("/api/v1/me/courses").json()
    assert item["completed"] and item["completed_at"]


def test_multipart_body_without_boundary_is_a_400_not_a_500(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["lan"])
    client.get("/api/v1/me/courses")  # sets the CSRF cookie
    token = client.cookies.get("csrftoken")
    response = client.post(
        "/api/v1/quizzes/1/attempts", data=b"{}", content_type="multipart/form-data",
        HTTP_X_CSRFTOKEN=token.value if token else "",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"
