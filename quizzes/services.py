"""Writes about quizzes: starting an attempt and handing it in once, whatever the network does."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from cms.sql import with_tables
from courses.models import CoursePage
from courses.services import enroll, update_course_completion
from courses.signals import learner_active

from . import selectors
from .grading import InvalidAnswers, check_answers, draw, grade
from .models import AttemptAnswer, QuizAttempt, QuizPage


class QuizError(Exception):
    """A refusal the learner should understand; `code` is stable, `message()` is in the learner's language."""

    code = "quiz_error"
    status = 400

    def __init__(self, *, details: dict | None = None):
        super().__init__(self.code)
        self.details = details or {}

    def message(self) -> str:
        raise NotImplementedError


class QuizNotAvailable(QuizError):
    code, status = "quiz_not_available", 404

    def message(self) -> str:
        return _("This quiz is not available.")


class NoAttemptsLeft(QuizError):
    code, status = selectors.NO_ATTEMPTS_LEFT, 403

    def message(self) -> str:
        count = self.details.get("max_attempts", 0)
        return ngettext("You have used your %(count)s attempt at this quiz.",
                        "You have used all %(count)s attempts at this quiz.", count) % {"count": count}


class MustWait(QuizError):
    code, status = "wait_before_retry", 429

    def message(self) -> str:
        minutes = self.details.get("minutes", 1)
        at = date_format(timezone.localtime(datetime.fromisoformat(self.details["retry_at"])), "H:i, d/m/Y")
        return ngettext("You can try again at %(time)s (in %(minutes)s minute).",
                        "You can try again at %(time)s (in %(minutes)s minutes).", minutes) % {
            "time": at, "minutes": minutes}


class AttemptNotFound(QuizError):
    code, status = "attempt_not_found", 404

    def message(self) -> str:
        return _("This quiz attempt was not found.")


class AttemptClosed(QuizError):
    code, status = "attempt_closed", 409

    def message(self) -> str:
        return _("This attempt was already handed in with other answers. The first answers count.")


class AnswersRefused(QuizError):
    code, status = "invalid_answers", 400

    def __init__(self, invalid: InvalidAnswers):
        missing = invalid.missing
        problems = [problem.as_dict() for problem in invalid.problems if problem.code != "missing_answer"]
        super().__init__(details={"missing": missing, "problems": problems})
        self.invalid = invalid

    def message(self) -> str:
        if self.details["missing"] and not self.details["problems"]:
            count = len(self.details["missing"])
            return ngettext("Please answer every question: %(count)s question has no answer yet.",
                            "Please answer every question: %(count)s questions have no answer yet.",
                            count) % {"count": count}
        return _("Some answers could not be accepted. Please check them and send again.")


# ------------------------------------------------------------------------------------------------- starting

def start_attempt(*, learner, quiz: QuizPage) -> tuple[QuizAttempt, bool]:
    """Start an attempt, or resume the one in progress (a double tap on Start gives the same attempt).

    Returns (attempt, created). Raises NoAttemptsLeft or MustWait when the quiz's rules say not now.
    """
    if not quiz.live:
        raise QuizNotAvailable()
    with transaction.atomic():
        standing = selectors.standing(quiz=quiz, learner=learner)
        if standing.open_attempt_id is not None:
            return QuizAttempt.objects.get(pk=standing.open_attempt_id), False
        refusal = refusal_for(standing)
        if refusal is not None:
            raise refusal
        course = quiz.get_parent().specific
        if isinstance(course, CoursePage):
            enroll(learner=learner, course=course)
        attempt = new_attempt(learner=learner, quiz=quiz)
        try:
            with transaction.atomic():
                attempt.save(force_insert=True)
        except IntegrityError:
            # A simultaneous Start of the same learner won the race: both get its attempt.
            return QuizAttempt.objects.get(learner=learner, quiz_key=quiz.translation_key,
                                           submitted_at__isnull=True), False
        return attempt, True


def refusal_for(standing: selectors.QuizStanding) -> QuizError | None:
    """Why this learner cannot start a new attempt now, as the error Start would raise (None: they can)."""
    if standing.blocked_by == selectors.NO_ATTEMPTS_LEFT:
        return NoAttemptsLeft(details={"max_attempts": standing.quiz.max_attempts})
    if standing.blocked_by == selectors.WAIT:
        return MustWait(details={"minutes": standing.wait_minutes_left,
                                 "retry_at": standing.next_start_at.isoformat()})
    return None


def new_attempt(*, learner, quiz: QuizPage, seed: int | None = None) -> QuizAttempt:
    """An unsaved attempt: the questions drawn from the seed, and the answer key frozen for grading."""
    seed = secrets.randbits(48) if seed is None else seed
    keys = quiz.question_keys()
    question_ids, choice_order = draw(keys, seed=seed, count=quiz.draw_count, shuffle=quiz.shuffle_choices)
    answer_key = {key.id: {"kind": key.kind, "correct": sorted(key.correct)} for key in keys if key.id in choice_order}
    return QuizAttempt(
        learner=learner, quiz=quiz, quiz_key=quiz.translation_key, revision_id=quiz.live_revision_id, seed=seed,
        question_ids=question_ids, choice_order=choice_order, answer_key=answer_key, pass_mark=quiz.pass_mark,
    )


# ---------------------------------------------------------------------------------------------- handing in

@dataclass
class Submission:
    attempt: QuizAttempt
    newly: bool  # False for a repeat of a submission already recorded
    course_completed: bool = False
    answers: dict[str, list[str]] = field(default_factory=dict)  # question id -> chosen answer ids
    results: dict[str, bool] = field(default_factory=dict)  # question id -> right


ATTEMPT_FIELDS = ["id", "learner_id", "quiz_id", "quiz_key", "question_ids", "choice_order", "answer_key",
                  "pass_mark", "submitted_at", "score", "passed", "started_at"]


def submit_attempt(*, learner, attempt_id, answers: Mapping) -> Submission:
    """Hand in an attempt once. The same answers sent again (double tap, a retry after a dropped connection,
    an offline queue) get the stored result; other answers for a closed attempt are refused (AttemptClosed).

    Nothing is written unless every question is answered with choices of that question (AnswersRefused).
    """
    try:
        attempt_id = uuid.UUID(str(attempt_id))
    except ValueError:
        raise AttemptNotFound() from None
    # No savepoint inside the request's transaction (two round trips fewer on a hot path): every refusal is
    # decided before anything is written and raised after the block, so the transaction stays usable.
    with transaction.atomic(savepoint=False):
        outcome = _hand_in(learner=learner, attempt_id=attempt_id, answers=answers)
    if isinstance(outcome, QuizError):
        raise outcome
    return outcome


def _hand_in(*, learner, attempt_id: uuid.UUID, answers: Mapping) -> Submission | QuizError:
    # The row lock makes simultaneous submissions of one attempt wait for each other: one writes, the others
    # then find it closed and compare.
    attempt = _locked_attempt(learner=learner, attempt_id=attempt_id)
    if attempt is None:
        return AttemptNotFound()
    keys = attempt.keys()
    try:
        checked = check_answers(keys, answers)
    except InvalidAnswers as invalid:
        return AnswersRefused(invalid)
    if not attempt.is_open:
        stored = list(attempt.answers.all())
        if {answer.question_id: frozenset(answer.choice_ids) for answer in stored} != checked:
            return AttemptClosed(details={"attempt_id": str(attempt.pk)})
        return Submission(attempt=attempt, newly=False,
                          answers={answer.question_id: answer.choice_ids for answer in stored},
                          results={answer.question_id: answer.is_correct for answer in stored})
    ordered = {question_id: [choice for choice in attempt.choice_order[question_id] if choice in chosen]
               for question_id, chosen in checked.items()}
    result = grade(keys, checked, pass_mark=attempt.pass_mark)
    attempt.submitted_at = timezone.now()
    attempt.score = result.score
    attempt.passed = result.passed
    _record(attempt, ordered, result.results)
    learner_active.send(sender=QuizAttempt, learner=learner)
    completed = False
    if result.passed and attempt.quiz_is_final:
        completed = update_course_completion(learner=learner, course_path=attempt.quiz_path[: -Page.steplen])
    return Submission(attempt=attempt, newly=True, course_completed=completed, answers=ordered,
                      results=dict(result.results))


# The attempt with its quiz's tree path and "final test" flag, its row locked (plain SQL: the ORM takes longer
# to build this query, with its join and deferred columns, than PostgreSQL takes to answer it).
_LOCKED_ATTEMPT_SQL = (
    "SELECT {columns}, page.path AS quiz_path, quiz.is_final AS quiz_is_final FROM {attempts} attempt "
    "LEFT JOIN {quizzes} quiz ON quiz.page_ptr_id = attempt.quiz_id "
    "LEFT JOIN {pages} page ON page.id = attempt.quiz_id "
    "WHERE attempt.id = %s AND attempt.learner_id = %s{lock}"
)


@cache
def _locked_attempt_sql() -> str:
    quote = connection.ops.quote_name
    return _LOCKED_ATTEMPT_SQL.format(
        columns=", ".join(f"attempt.{quote(column.column)}" for column in _attempt_fields()),
        attempts=quote(QuizAttempt._meta.db_table), quizzes=quote(QuizPage._meta.db_table),
        pages=quote(Page._meta.db_table),
        lock=" FOR UPDATE OF attempt" if connection.features.has_select_for_update_of else "",
    )


@cache
def _attempt_fields() -> list:
    """ATTEMPT_FIELDS in the model's order, the order Model.from_db expects its values in."""
    return [column for column in QuizAttempt._meta.concrete_fields if column.attname in ATTEMPT_FIELDS]


@cache
def _attempt_converters() -> list[tuple[int, object, list]]:
    """What the ORM would do to each column read (e.g. JSON text to lists), worked out once."""
    table = QuizAttempt._meta.db_table
    converters = []
    for position, attempt_field in enumerate(_attempt_fields()):
        column = attempt_field.get_col(table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((position, column, found))
    return converters


def _locked_attempt(*, learner, attempt_id: uuid.UUID) -> QuizAttempt | None:
    # The row made into a model as the ORM does, without a raw() queryset's set-up on every call (0.1 ms of CPU).
    key = QuizAttempt._meta.pk.get_db_prep_value(attempt_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(_locked_attempt_sql(), [key, learner.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row[: len(ATTEMPT_FIELDS)])
    for position, column, converters in _attempt_converters():
        for converter in converters:
            values[position] = converter(values[position], column, connection)
    attempt = QuizAttempt.from_db(connection.alias, [column.attname for column in _attempt_fields()], values)
    attempt.quiz_path, attempt.quiz_is_final = row[len(ATTEMPT_FIELDS):]
    return attempt


# Closing the attempt and storing its answers in one statement: the hottest write of the site (a whole class
# hands in at once). On PostgreSQL this saves a round trip and most of the ORM's work per hand-in
# (bench/quiz_submit.py: about 1 ms of CPU, 15% more hand-ins per second); elsewhere the ORM does it in two.
_HAND_IN_SQL = (
    "WITH closed AS (UPDATE {attempts} SET submitted_at = %s, score = %s, passed = %s WHERE id = %s RETURNING id) "
    "INSERT INTO {answers} (attempt_id, question_id, choice_ids, is_correct) "
    "SELECT closed.id, given.question_id, given.choice_ids::jsonb, given.is_correct "
    "FROM closed, UNNEST(%s::text[], %s::text[], %s::boolean[]) AS given(question_id, choice_ids, is_correct)"
)


@cache
def _hand_in_sql() -> str:
    return with_tables(_HAND_IN_SQL, attempts=QuizAttempt, answers=AttemptAnswer)


def _record(attempt: QuizAttempt, chosen: dict[str, list[str]], right: Mapping[str, bool]) -> None:
    """Store the graded answers and close the attempt (its row is locked by the caller)."""
    question_ids = list(attempt.question_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_hand_in_sql(), [
                attempt.submitted_at, attempt.score, attempt.passed, attempt.pk, question_ids,
                [json.dumps(chosen[question_id]) for question_id in question_ids],
                [bool(right[question_id]) for question_id in question_ids],
            ])
        return
    AttemptAnswer.objects.bulk_create([
        AttemptAnswer(attempt=attempt, question_id=question_id, choice_ids=chosen[question_id],
                      is_correct=right[question_id])
        for question_id in question_ids
    ])
    attempt.save(update_fields=["submitted_at", "score", "passed"])


# ------------------------------------------------------------------------------------------ course completion

def final_quiz_passed(*, learner, course: CoursePage) -> bool:
    """A completion requirement: the course's live final test(s), in any language, are passed."""
    finals = set(selectors.quizzes_of_course(course).filter(is_final=True).values_list("translation_key", flat=True))
    if not finals:
        return True
    passed = set(
        QuizAttempt.objects.filter(learner=learner, quiz_key__in=finals, passed=True)
        .values_list("quiz_key", flat=True).distinct()
    )
    return finals <= passed
