"""Reads about quizzes: where a learner stands, a course's quizzes, an attempt's questions, statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from .models import AttemptAnswer, QuizAttempt, QuizPage

NO_ATTEMPTS_LEFT = "no_attempts_left"
WAIT = "wait"


@dataclass
class QuizStanding:
    """One learner on one quiz: attempts used and left, best score, and whether a new attempt may start now."""

    quiz: QuizPage
    submitted: int = 0
    best_score: int | None = None
    passed: bool = False
    open_attempt_id: object | None = None
    last_submitted_at: datetime | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def attempts_left(self) -> int | None:
        """None means unlimited."""
        if not self.quiz.max_attempts:
            return None
        return max(self.quiz.max_attempts - self.submitted, 0)

    @property
    def next_start_at(self) -> datetime | None:
        if not self.quiz.wait_minutes or self.last_submitted_at is None:
            return None
        at = self.last_submitted_at + timedelta(minutes=self.quiz.wait_minutes)
        return at if at > self.now else None

    @property
    def wait_minutes_left(self) -> int:
        at = self.next_start_at
        return max(1, -(-int((at - self.now).total_seconds()) // 60)) if at else 0

    @property
    def blocked_by(self) -> str | None:
        """Why a new attempt cannot start now (an attempt in progress can always be resumed)."""
        if self.open_attempt_id is not None:
            return None
        if self.attempts_left == 0:
            return NO_ATTEMPTS_LEFT
        if self.next_start_at is not None:
            return WAIT
        return None

    @property
    def can_start(self) -> bool:
        return self.blocked_by is None


def _standings(quizzes: list[QuizPage], learner, now: datetime) -> list[QuizStanding]:
    standings = {quiz.translation_key: QuizStanding(quiz=quiz, now=now) for quiz in quizzes}
    if not learner.is_authenticated or not standings:
        return list(standings.values())
    attempts = QuizAttempt.objects.filter(learner=learner, quiz_key__in=list(standings)).values_list(
        "id", "quiz_key", "submitted_at", "score", "passed"
    )
    for attempt_id, key, submitted_at, score, passed in attempts:
        standing = standings[key]
        if submitted_at is None:
            standing.open_attempt_id = attempt_id
            continue
        standing.submitted += 1
        standing.passed = standing.passed or passed
        if standing.best_score is None or (score or 0) > standing.best_score:
            standing.best_score = score
        if standing.last_submitted_at is None or submitted_at > standing.last_submitted_at:
            standing.last_submitted_at = submitted_at
    return list(standings.values())


def standing(*, quiz: QuizPage, learner, now: datetime | None = None) -> QuizStanding:
    return _standings([quiz], learner, now or timezone.now())[0]


def quizzes_of_course(course):
    """The published quizzes under the course in any of its languages (one query for the course's versions)."""
    from courses.models import CoursePage

    under = Q()
    for path in CoursePage.objects.filter(translation_key=course.translation_key).values_list("path", flat=True):
        under |= Q(path__startswith=path)
    return QuizPage.objects.live().filter(under, depth=course.depth + 1)


def course_quizzes(*, course, learner) -> list[QuizStanding]:
    """The course's quizzes with this learner's standing, each once: in the course's language when translated,
    else in another (a final test not yet translated must still be found). Three queries."""
    chosen: dict = {}
    for quiz in quizzes_of_course(course).defer("questions").order_by("path"):
        if quiz.translation_key not in chosen or quiz.locale_id == course.locale_id:
            chosen[quiz.translation_key] = quiz
    quizzes = sorted(chosen.values(), key=lambda quiz: (quiz.locale_id != course.locale_id, quiz.path))
    return _standings(quizzes, learner, timezone.now())


def attempt_of(*, learner, attempt_id, quiz: QuizPage | None = None) -> QuizAttempt | None:
    """The learner's own attempt (None for someone else's: it is not theirs to see)."""
    if not learner.is_authenticated:
        return None
    attempts = QuizAttempt.objects.filter(pk=attempt_id, learner=learner)
    if quiz is not None:
        attempts = attempts.filter(quiz_key=quiz.translation_key)
    return attempts.first()


# ------------------------------------------------------------------------------------------- showing questions

@dataclass
class ShownChoice:
    id: str
    text: str
    image: object | None = None
    is_correct: bool | None = None  # None until the attempt is handed in
    chosen: bool = False


@dataclass
class ShownQuestion:
    number: int
    id: str
    kind: str
    prompt: str
    image: object | None = None
    image_alt: str = ""
    explanation: str = ""
    choices: list[ShownChoice] = field(default_factory=list)
    is_correct: bool | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def multiple(self) -> bool:
        return self.kind == "multiple"

    @property
    def right_choices(self) -> list[ShownChoice]:
        return [choice for choice in self.choices if choice.is_correct]


def content_page(attempt: QuizAttempt) -> QuizPage | None:
    """The quiz as the learner saw it: the live page when it has not changed since, else that revision."""
    quiz = attempt.quiz
    if quiz is not None and (attempt.revision_id is None or quiz.live_revision_id == attempt.revision_id):
        return quiz
    if attempt.revision_id is not None and attempt.revision is not None:
        return attempt.revision.as_object()
    return quiz


def attempt_questions(attempt: QuizAttempt, *, reveal: bool, chosen: dict | None = None) -> list[ShownQuestion]:
    """The attempt's questions with answers in the attempt's order. `reveal` adds the right answers: only
    ever True for an attempt already handed in."""
    if reveal and attempt.is_open:
        raise ValueError("the right answers are shown only after the attempt is handed in")
    page = content_page(attempt)
    blocks = {child.id: child.value for child in page.questions} if page is not None else {}
    chosen = chosen or {}
    results = {}
    if reveal:
        answers = list(attempt.answers.all())
        chosen = {answer.question_id: answer.choice_ids for answer in answers}
        results = {answer.question_id: answer.is_correct for answer in answers}
    shown = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        value = blocks.get(question_id)
        key = attempt.answer_key.get(question_id, {})
        texts = {}
        if value is not None:
            texts = {child.id: child.value for child in value["choices"].bound_blocks}
        question = ShownQuestion(
            number=number, id=question_id, kind=key.get("kind", "single"),
            prompt=value["prompt"] if value is not None else "",
            image=value["image"] if value is not None else None,
            image_alt=value["image_alt"] if value is not None else "",
            explanation=(value["explanation"] if value is not None and reveal else ""),
            is_correct=results.get(question_id) if reveal else None,
        )
        for choice_id in attempt.choice_order.get(question_id, []):
            choice = texts.get(choice_id)
            question.choices.append(ShownChoice(
                id=choice_id, text=choice["text"] if choice else "?", image=choice["image"] if choice else None,
                is_correct=(choice_id in key.get("correct", [])) if reveal else None,
                chosen=choice_id in chosen.get(question_id, ()),
            ))
        shown.append(question)
    return shown


# ------------------------------------------------------------------------------------------------- statistics

@dataclass
class ChoiceStats:
    id: str
    text: str
    is_correct: bool
    chosen: int = 0  # answers that ticked it
    learners: int = 0  # different learners who ticked it at least once

    def percent_of(self, total: int) -> int:
        return round(100 * self.chosen / total) if total else 0


@dataclass
class QuestionStats:
    number: int
    id: str
    prompt: str
    kind: str
    answered: int = 0
    right: int = 0
    learners: int = 0
    choices: list[ChoiceStats] = field(default_factory=list)

    @property
    def percent_right(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0

    @property
    def choices_with_percent(self) -> list[tuple[ChoiceStats, int]]:
        return [(choice, choice.percent_of(self.answered)) for choice in self.choices]


@dataclass
class QuizStatistics:
    attempts: int
    learners: int
    learners_passed: int
    average_score: float | None
    questions: list[QuestionStats]


def question_statistics(*, quiz: QuizPage) -> QuizStatistics:
    """For editors: per question how often it is answered right and how many chose each answer, over every
    language of the quiz (question and answer ids are shared by translations). Three queries."""
    key = quiz.translation_key
    submitted = QuizAttempt.objects.filter(quiz_key=key, submitted_at__isnull=False)
    summary = submitted.aggregate(
        attempts=Count("id"), learners=Count("learner", distinct=True),
        learners_passed=Count("learner", filter=Q(passed=True), distinct=True), average_score=Avg("score"),
    )
    questions: dict[str, QuestionStats] = {}
    choices: dict[tuple[str, str], ChoiceStats] = {}
    for number, child in enumerate(quiz.questions, start=1):
        stats = QuestionStats(number=number, id=child.id, prompt=child.value["prompt"], kind=child.value["kind"])
        for choice in child.value["choices"].bound_blocks:
            choice_stats = ChoiceStats(id=choice.id, text=choice.value["text"],
                                       is_correct=bool(choice.value["is_correct"]))
            stats.choices.append(choice_stats)
            choices[(child.id, choice.id)] = choice_stats
        questions[child.id] = stats
    learners_by_question: dict[str, set] = {}
    learners_by_choice: dict[tuple[str, str], set] = {}
    rows = AttemptAnswer.objects.filter(attempt__quiz_key=key, attempt__submitted_at__isnull=False).values_list(
        "question_id", "choice_ids", "is_correct", "attempt__learner_id"
    )
    for question_id, choice_ids, is_correct, learner_id in rows.iterator(chunk_size=2000):
        stats = questions.get(question_id)
        if stats is None:
            continue  # a question removed since
        stats.answered += 1
        stats.right += bool(is_correct)
        learners_by_question.setdefault(question_id, set()).add(learner_id)
        for choice_id in choice_ids or []:
            choice_stats = choices.get((question_id, choice_id))
            if choice_stats is not None:
                choice_stats.chosen += 1
                learners_by_choice.setdefault((question_id, choice_id), set()).add(learner_id)
    for question_id, learners in learners_by_question.items():
        questions[question_id].learners = len(learners)
    for pair, learners in learners_by_choice.items():
        choices[pair].learners = len(learners)
    return QuizStatistics(questions=list(questions.values()), **summary)
