"""The JSON API under /api/v1/ (django-ninja): my courses and progress, start a quiz attempt, hand it in.

Session login with CSRF, like the site's own forms. Every refusal has one shape:
{"error": {"code": "<stable code>", "message": "<in the learner's language>", "details": ...}}.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps
from typing import Annotated
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth
from pydantic import StringConstraints

from courses import selectors as course_selectors

from . import selectors, services
from .models import QuizAttempt, QuizPage

MAX_BODY_BYTES = 64 * 1024  # a whole quiz's answers fit in a few kilobytes
MAX_PAGE_ID = 2**31 - 1

api = NinjaAPI(
    title="Bình dân học vụ số API",
    version="1",
    description="Courses, progress and quizzes for the learner who is logged in (session cookie + X-CSRFToken).",
    urls_namespace="api-v1",
    auth=SessionAuth(csrf=True),
)


# ----------------------------------------------------------------------------------------------------- errors

class ErrorBody(Schema):
    code: str
    message: str
    details: dict | list | None = None


class ErrorOut(Schema):
    error: ErrorBody


def error_response(request, *, status: int, code: str, message: str, details=None):
    body = {"error": {"code": code, "message": str(message), "details": details}}
    return api.create_response(request, body, status=status)


@api.exception_handler(services.QuizError)
def quiz_error(request, error: services.QuizError):
    response = error_response(request, status=error.status, code=error.code, message=error.message(),
                              details=error.details or None)
    if isinstance(error, services.MustWait):
        response["Retry-After"] = str(error.details["minutes"] * 60)
    return response


@api.exception_handler(NinjaValidationError)
def invalid_input(request, error: NinjaValidationError):
    details = [{"loc": [str(part) for part in item.get("loc", ())], "msg": str(item.get("msg", "")),
                "type": str(item.get("type", ""))} for item in error.errors]
    return error_response(request, status=400, code="invalid_input",
                          message=_("Some of the data sent is not valid."), details=details)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, error):
    return error_response(request, status=401, code="not_authenticated", message=_("Please log in first."))


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    if error.status_code == 403 and "csrf" in str(error).lower():
        return error_response(request, status=403, code="csrf_failed", message=_(
            "Your session has expired or the security token is missing. Please reload the page and try again."))
    if error.status_code == 400:
        return error_response(request, status=400, code="malformed_json",
                              message=_("The data sent could not be read."))
    return error_response(request, status=error.status_code, code="error", message=_("The request was refused."))


@api.exception_handler(Http404)
def not_found(request, error):
    return error_response(request, status=404, code="not_found", message=_("Not found."))


def limit_body(run):
    """Refuse oversized bodies before anything reads them (mode="view": before parsing and authentication)."""

    @wraps(run)
    def limited(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = MAX_BODY_BYTES + 1
        if length > MAX_BODY_BYTES:
            return error_response(request, status=413, code="payload_too_large",
                                  message=_("The data sent is too large."), details={"max_bytes": MAX_BODY_BYTES})
        return run(request, *args, **kwargs)

    return limited


api.add_decorator(limit_body, mode="view")

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut}


# ---------------------------------------------------------------------------------------------------- schemas

class QuizSummaryOut(Schema):
    id: int
    title: str
    url: str
    is_final: bool
    pass_mark: int
    best_score: int | None
    passed: bool
    attempts_left: int | None = Field(description="null: unlimited")
    open_attempt_id: UUID | None


class CourseOut(Schema):
    id: int
    title: str
    url: str
    lessons_done: int
    lessons_total: int
    percent: int
    completed: bool
    completed_at: datetime | None
    continue_url: str | None
    quizzes: list[QuizSummaryOut]


class ChoiceOut(Schema):
    id: str
    text: str
    image_url: str | None


class QuestionOut(Schema):
    id: str
    number: int
    kind: str
    multiple: bool = Field(description="true: tick every right answer (no partial credit); false: choose one")
    prompt: str
    image_url: str | None
    image_alt: str
    choices: list[ChoiceOut]


class QuestionResultOut(Schema):
    id: str
    is_correct: bool
    chosen: list[str]
    correct: list[str]
    explanation: str | None = None


class ResultOut(Schema):
    attempt_id: UUID
    score: int = Field(ge=0, le=100)
    passed: bool
    pass_mark: int
    right: int
    total: int
    submitted_at: datetime
    questions: list[QuestionResultOut]


class AttemptOut(Schema):
    id: UUID
    quiz_id: int | None
    started_at: datetime
    submitted: bool
    pass_mark: int
    questions: list[QuestionOut]
    result: ResultOut | None = None


Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class SubmissionIn(Schema):
    answers: dict[Id, Annotated[list[Id], Field(max_length=16)]] = Field(
        max_length=200, description="question id -> the chosen answer ids (every question of the attempt)",
        examples=[{"5b7c…": ["0e1f…"]}],
    )


# -------------------------------------------------------------------------------------------------- endpoints

def _image_url(image) -> str | None:
    if image is None:
        return None
    return image.get_rendition("max-480x360|format-webp").url


def _summary(request, standing: selectors.QuizStanding) -> dict:
    quiz = standing.quiz
    return {
        "id": quiz.pk, "title": quiz.title, "url": quiz.get_url(request), "is_final": quiz.is_final,
        "pass_mark": quiz.pass_mark, "best_score": standing.best_score, "passed": standing.passed,
        "attempts_left": standing.attempts_left, "open_attempt_id": standing.open_attempt_id,
    }


@api.get("/me/courses", response={200: list[CourseOut], **ERRORS}, tags=["courses"], summary="My courses")
def my_courses(request):
    """The courses I am enrolled in, with lessons done, completion and my quiz results."""
    result = []
    for item in course_selectors.my_learning(learner=request.user, request=request):
        result.append({
            "id": item.page.pk, "title": item.page.title, "url": item.page.get_url(request),
            "lessons_done": item.done, "lessons_total": item.total, "percent": item.percent,
            "completed": item.enrollment.completed_at is not None, "completed_at": item.enrollment.completed_at,
            "continue_url": item.continue_url,
            "quizzes": [_summary(request, standing)
                        for standing in selectors.course_quizzes(course=item.page, learner=request.user)],
        })
    return result


def _result(attempt: QuizAttempt, *, chosen: dict | None = None, results: dict | None = None,
            explanations: dict | None = None) -> dict:
    if chosen is None or results is None:
        answers = list(attempt.answers.all())
        chosen = {answer.question_id: answer.choice_ids for answer in answers}
        results = {answer.question_id: answer.is_correct for answer in answers}
    questions = []
    for question_id in attempt.question_ids:
        questions.append({
            "id": question_id, "is_correct": bool(results.get(question_id)),
            "chosen": chosen.get(question_id, []),
            "correct": [choice for choice in attempt.choice_order[question_id]
                        if choice in attempt.answer_key[question_id]["correct"]],
            "explanation": (explanations or {}).get(question_id),
        })
    return {
        "attempt_id": attempt.pk, "score": attempt.score, "passed": attempt.passed, "pass_mark": attempt.pass_mark,
        "right": sum(question["is_correct"] for question in questions), "total": len(questions),
        "submitted_at": attempt.submitted_at, "questions": questions,
    }


def _attempt(attempt: QuizAttempt) -> dict:
    # The right answers are never part of an open attempt: the questions are built without them.
    shown = selectors.attempt_questions(attempt, reveal=False)
    data = {
        "id": attempt.pk, "quiz_id": attempt.quiz_id, "started_at": attempt.started_at,
        "submitted": not attempt.is_open, "pass_mark": attempt.pass_mark,
        "questions": [{
            "id": question.id, "number": question.number, "kind": question.kind, "multiple": question.multiple,
            "prompt": question.prompt, "image_url": _image_url(question.image), "image_alt": question.image_alt,
            "choices": [{"id": choice.id, "text": choice.text, "image_url": _image_url(choice.image)}
                        for choice in question.choices],
        } for question in shown],
    }
    if not attempt.is_open:
        revealed = selectors.attempt_questions(attempt, reveal=True)
        data["result"] = _result(attempt, explanations={question.id: question.explanation for question in revealed})
    return data


@api.post("/quizzes/{quiz_id}/attempts", response={200: AttemptOut, 201: AttemptOut, 429: ErrorOut, **ERRORS},
          tags=["quizzes"], summary="Start (or resume) an attempt")
def start_attempt(request, quiz_id: int = Path(..., ge=1, le=MAX_PAGE_ID)):
    """Start an attempt at a published quiz: its questions and answers, never which answers are right.
    An attempt already in progress is returned again (200) instead of a new one (201)."""
    quiz = QuizPage.objects.live().filter(pk=quiz_id).first()
    if quiz is None:
        raise services.QuizNotAvailable()
    attempt, created = services.start_attempt(learner=request.user, quiz=quiz)
    return Status(201 if created else 200, _attempt(attempt))


@api.get("/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS}, tags=["quizzes"], summary="An attempt")
def get_attempt(request, attempt_id: UUID):
    """One of my attempts: its questions, and once handed in its result with the explanations."""
    attempt = selectors.attempt_of(learner=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise services.AttemptNotFound()
    return _attempt(attempt)


@api.post("/attempts/{attempt_id}/submit", response={200: ResultOut, 409: ErrorOut, **ERRORS}, tags=["quizzes"],
          summary="Hand in an attempt (safe to retry)")
def submit_attempt(request, attempt_id: UUID, payload: SubmissionIn):
    """Hand in the answers of an attempt. Sending the same answers again (a retry) returns the same result;
    different answers for an attempt already handed in get 409. Every question must be answered."""
    submission = services.submit_attempt(learner=request.user, attempt_id=attempt_id, answers=payload.answers)
    return _result(submission.attempt, chosen=submission.answers, results=submission.results)
