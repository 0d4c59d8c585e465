"""The one read model of progress: where each learner stands in each course, from a few aggregate queries.

Progress rows (lesson progress, attempts and their answers, enrolments, certificates) stay the facts; a standing
is derived from them. `standings()` reads a whole cohort × its courses in the same number of queries whether it
has 2 learners or 2,000 (grouped queries, as Kolibri's coach reports), so every page showing progress uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, Max, Q, Value
from django.db.models.functions import Cast, Coalesce, Replace
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certificates.models import Certificate
from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
from quizzes.models import AttemptAnswer, QuizAttempt, QuizPage

NOT_STARTED, IN_PROGRESS, COMPLETED, HELP_NEEDED = "not_started", "in_progress", "completed", "help_needed"
STATUS_LABELS = {
    HELP_NEEDED: _("Needs help"),
    IN_PROGRESS: _("In progress"),
    NOT_STARTED: _("Not started"),
    COMPLETED: _("Completed"),
}
# Who comes first in a report: the people who need help, then those under way, those not started, the finished.
STATUS_ORDER = {HELP_NEEDED: 0, IN_PROGRESS: 1, NOT_STARTED: 2, COMPLETED: 3}

NO_CERTIFICATE, ISSUED, PDF_READY, REVOKED = "none", "issued", "pdf_ready", "revoked"
CERTIFICATE_LABELS = {
    NO_CERTIFICATE: _("No certificate"),
    ISSUED: _("Certificate issued"),
    PDF_READY: _("Certificate ready (PDF)"),
    REVOKED: _("Certificate revoked"),
}

WRONG_ANSWERS, FINAL_ATTEMPTS_USED, IDLE = "wrong_answers", "final_attempts_used", "idle"


@dataclass(frozen=True)
class Quiz:
    """What a report needs of a quiz page (its questions are not loaded)."""

    key: object
    title: str
    is_final: bool
    max_attempts: int
    pass_mark: int
    path: str


@dataclass
class QuizResult:
    quiz: Quiz
    used: int = 0  # attempts handed in
    best_score: int | None = None
    passed: bool = False
    wrong: int = 0  # wrong answers in the handed-in attempts of this quiz that did not pass
    in_progress: bool = False  # an attempt started and not handed in

    @property
    def attempts_left(self) -> int | None:
        """None means unlimited."""
        return None if not self.quiz.max_attempts else max(self.quiz.max_attempts - self.used, 0)

    @property
    def all_attempts_used(self) -> bool:
        return self.attempts_left == 0


@dataclass(frozen=True)
class Reason:
    """Why a learner needs help in a course."""

    code: str
    quiz: str = ""
    count: int = 0

    def __str__(self) -> str:
        if self.code == WRONG_ANSWERS:
            return ngettext("%(count)s wrong answer in “%(quiz)s”, not passed yet",
                            "%(count)s wrong answers in “%(quiz)s”, not passed yet",
                            self.count) % {"count": self.count, "quiz": self.quiz}
        if self.code == FINAL_ATTEMPTS_USED:
            return str(_("All attempts at the final test “%(quiz)s” used without passing") % {"quiz": self.quiz})
        return ngettext("No activity for %(count)s day", "No activity for %(count)s days",
                        self.count) % {"count": self.count}


@dataclass
class Standing:
    """One learner in one course."""

    learner_id: int
    course: CoursePage
    lessons_done: int = 0
    lessons_total: int = 0
    lessons_opened: int = 0
    enrolled_at: datetime | None = None
    completed_at: datetime | None = None
    last_activity: datetime | None = None
    quizzes: list[QuizResult] = field(default_factory=list)
    certificate: str = NO_CERTIFICATE
    status: str = NOT_STARTED
    reasons: list[Reason] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0

    @property
    def started(self) -> bool:
        return bool(self.enrolled_at or self.lessons_opened or any(q.used or q.in_progress for q in self.quizzes))

    @property
    def final(self) -> QuizResult | None:
        return next((result for result in self.quizzes if result.quiz.is_final), None)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def certificate_label(self) -> str:
        return CERTIFICATE_LABELS[self.certificate]


@dataclass
class Overall:
    """One learner across a set of courses: the most urgent status and the latest activity."""

    learner_id: int
    status: str
    last_activity: datetime | None
    courses: list[Standing]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def reasons(self) -> list[tuple[Standing, Reason]]:
        return [(standing, reason) for standing in self.courses for reason in standing.reasons]

    @property
    def help_needed_in(self) -> list[CoursePage]:
        return [standing.course for standing in self.courses if standing.status == HELP_NEEDED]

    @property
    def completed_count(self) -> int:
        return sum(standing.status == COMPLETED for standing in self.courses)


def overall_status(statuses: list[str]) -> str:
    if not statuses:
        return NOT_STARTED
    if HELP_NEEDED in statuses:
        return HELP_NEEDED
    if all(status == COMPLETED for status in statuses):
        return COMPLETED
    if all(status == NOT_STARTED for status in statuses):
        return NOT_STARTED
    return IN_PROGRESS


@dataclass
class Standings:
    courses: list[CoursePage]
    quizzes: dict  # course translation key → [Quiz]
    rows: dict  # (learner id, course translation key as 32 hex digits) → Standing

    def of(self, learner, course) -> Standing:
        return self.rows[(getattr(learner, "pk", learner), course.translation_key.hex)]

    def for_learner(self, learner) -> list[Standing]:
        return [self.of(learner, course) for course in self.courses]

    def overall(self, learner) -> Overall:
        courses = self.for_learner(learner)
        activity = [standing.last_activity for standing in courses if standing.last_activity]
        return Overall(learner_id=getattr(learner, "pk", learner), courses=courses,
                       status=overall_status([standing.status for standing in courses]),
                       last_activity=max(activity) if activity else None)


def _hex(field: str):
    """A UUID column as its 32 hex digits (the database's text, not parsed into a Python UUID)."""
    return Replace(Cast(field, CharField()), Value("-"), Value(""))


def _max(*values):
    present = [value for value in values if value is not None]
    return max(present) if present else None


def course_pages(keys, *, language: str | None = None) -> list[CoursePage]:
    """The published course page of each key, in the given (else the current) language when translated, else in
    another; in the order of `keys`. One query."""
    keys = list(keys)
    code = language or translation.get_language()
    pages: dict = {}
    for page in CoursePage.objects.live().filter(translation_key__in=keys).select_related("locale").order_by("path"):
        if page.translation_key not in pages or page.locale.language_code == code:
            pages[page.translation_key] = page
    return [pages[key] for key in keys if key in pages]


def _contents(courses: list[CoursePage]):
    """What the courses hold: their published lessons' keys per course, their quizzes per course, all those
    lessons' keys and all the quizzes' keys. Three queries."""
    keys = [course.translation_key for course in courses]
    quizzes: dict = {key: [] for key in keys}
    # 1. every language version of the courses: their quizzes may be in any of them (a final test not translated)
    versions = list(CoursePage.objects.filter(translation_key__in=keys).values_list("path", "translation_key",
                                                                                     "locale_id"))
    key_of_path = {path: key for path, key, __ in versions}
    locale_of = {course.translation_key: course.locale_id for course in courses}
    depths = {course.depth + 1 for course in courses}

    # 2. the published lessons of the pages given (their language): the lesson total, and which keys count
    lessons_of_course: dict = {key: set() for key in keys}
    under = Q()
    for course in courses:
        under |= Q(path__startswith=course.path)
    for path, lesson_key in (LessonPage.objects.live().filter(under, depth__in=depths)
                             .values_list("path", "translation_key")):
        course_key = key_of_path.get(path[: -CoursePage.steplen])
        if course_key is not None:
            lessons_of_course[course_key].add(lesson_key)
    all_lessons = set().union(*lessons_of_course.values())

    # 3. the published quizzes under any version, once per quiz (in the course's language when translated)
    under = Q()
    for path, __, __ in versions:
        under |= Q(path__startswith=path)
    chosen: dict = {}
    for row in (QuizPage.objects.live().filter(under, depth__in=depths).order_by("path")
                .values("path", "translation_key", "locale_id", "title", "is_final", "max_attempts", "pass_mark")):
        course_key = key_of_path.get(row["path"][: -CoursePage.steplen])
        if course_key is None:
            continue
        previous = chosen.get(row["translation_key"])
        if previous is None or (row["locale_id"] == locale_of[course_key] and previous[1] != locale_of[course_key]):
            chosen[row["translation_key"]] = (course_key, row["locale_id"], row)
    for quiz_key, (course_key, __, row) in sorted(
            chosen.items(), key=lambda item: (item[1][1] != locale_of[item[1][0]], item[1][2]["path"])):
        quizzes[course_key].append(Quiz(key=quiz_key, title=row["title"], is_final=row["is_final"],
                                        max_attempts=row["max_attempts"], pass_mark=row["pass_mark"],
                                        path=row["path"]))
    quiz_keys = list(chosen)
    return lessons_of_course, quizzes, all_lessons, quiz_keys


def standings(*, learners, courses: list[CoursePage], now: datetime | None = None) -> Standings:
    """Each learner × course's standing. Eight queries whatever the number of learners and courses (learners
    given as a list of users or of ids; a queryset is read once, one query more)."""
    now = now or timezone.now()
    learner_ids = [getattr(learner, "pk", learner) for learner in learners]
    courses = list(courses)
    keys = [course.translation_key for course in courses]
    result = Standings(courses=courses, quizzes={key: [] for key in keys}, rows={})
    if not courses:
        return result

    lessons_of_course, result.quizzes, all_lessons, quiz_keys = _contents(courses)

    # 4.–7. the facts, grouped per learner and course (or quiz)
    lessons = {
        (row[0], row[1]): row[2:]
        for row in LessonProgress.objects.filter(learner_id__in=learner_ids, course_key__in=keys)
        .values("learner_id", key=_hex("course_key")).order_by()
        .annotate(done=Count("id", filter=Q(completed_at__isnull=False, lesson_key__in=all_lessons)),
                  opened=Count("id"), last=Max("last_opened_at"))
        .values_list("learner_id", "key", "done", "opened", "last")
    }
    attempts, wrong = {}, {}
    if quiz_keys:
        handed_in = Q(submitted_at__isnull=False)
        attempts = {
            (row[0], row[1]): row[2:]
            for row in QuizAttempt.objects.filter(learner_id__in=learner_ids, quiz_key__in=quiz_keys)
            .values("learner_id", key=_hex("quiz_key")).order_by()
            .annotate(used=Count("id", filter=handed_in),
                      open=Count("id", filter=Q(submitted_at__isnull=True)),
                      best=Max("score", filter=handed_in), passes=Count("id", filter=handed_in & Q(passed=True)),
                      # an attempt's latest moment: handed in, or started when still open
                      last=Max(Coalesce("submitted_at", "started_at")))
            .values_list("learner_id", "key", "used", "open", "best", "passes", "last")
        }
        # Kolibri's rule counts wrong answers, not failed attempts: those of the attempts that did not pass (once
        # passed the rule no longer applies). A grouping of its own: joined into the one above, the attempts would
        # need COUNT(DISTINCT), twice as slow on PostgreSQL.
        wrong = {
            (learner_id, quiz_key): count
            for learner_id, quiz_key, count in AttemptAnswer.objects.filter(
                attempt__learner_id__in=learner_ids, attempt__quiz_key__in=quiz_keys,
                attempt__submitted_at__isnull=False, attempt__passed=False, is_correct=False,
            ).values("attempt__learner_id", key=_hex("attempt__quiz_key")).order_by()
            .annotate(count=Count("id"))
            .values_list("attempt__learner_id", "key", "count")
        }
    enrollments = {
        (learner_id, course_key): (enrolled_at, completed_at)
        for learner_id, course_key, enrolled_at, completed_at in Enrollment.objects.filter(
            learner_id__in=learner_ids, course_key__in=keys
        ).values_list("learner_id", _hex("course_key"), "enrolled_at", "completed_at")
    }
    certificates = {
        (learner_id, course_key): (REVOKED if revoked_at else PDF_READY if pdf and rendered_at else ISSUED)
        for learner_id, course_key, revoked_at, pdf, rendered_at in Certificate.objects.filter(
            learner_id__in=learner_ids, course_key__in=keys
        ).values_list("learner_id", _hex("course_key"), "revoked_at", "pdf", "pdf_rendered_at")
    }

    for learner_id in learner_ids:
        for course in courses:
            key = course.translation_key
            number = key.hex  # keys read as text from the database: parsing and hashing UUIDs runs Python code
            standing = Standing(learner_id=learner_id, course=course, lessons_total=len(lessons_of_course[key]))
            lesson_row = lessons.get((learner_id, number))
            last_opened = None
            if lesson_row:
                standing.lessons_done, standing.lessons_opened, last_opened = lesson_row
            standing.enrolled_at, standing.completed_at = enrollments.get((learner_id, number), (None, None))
            standing.certificate = certificates.get((learner_id, number), NO_CERTIFICATE)
            last = [standing.enrolled_at, last_opened]
            for quiz in result.quizzes[key]:
                row = attempts.get((learner_id, quiz.key.hex))
                if row:
                    used, open_, best, passes, latest = row
                    standing.quizzes.append(QuizResult(quiz=quiz, used=used, best_score=best, passed=passes > 0,
                                                       wrong=wrong.get((learner_id, quiz.key.hex), 0),
                                                       in_progress=open_ > 0))
                    last.append(latest)
                else:
                    standing.quizzes.append(QuizResult(quiz=quiz))
            standing.last_activity = _max(*last)
            _decide(standing, now)
            result.rows[(learner_id, number)] = standing
    return result


def _decide(standing: Standing, now: datetime) -> None:
    """The status and, for help needed, its reasons (each threshold a setting)."""
    if standing.completed_at:
        standing.status = COMPLETED
        return
    if not standing.started:
        standing.status = NOT_STARTED
        return
    for result in standing.quizzes:
        if not result.passed and result.wrong >= settings.HELP_NEEDED_WRONG_ANSWERS:
            standing.reasons.append(Reason(WRONG_ANSWERS, quiz=result.quiz.title, count=result.wrong))
    final = standing.final
    if final is not None and not final.passed and final.all_attempts_used:
        standing.reasons.append(Reason(FINAL_ATTEMPTS_USED, quiz=final.quiz.title))
    if standing.last_activity is not None:
        idle = now - standing.last_activity
        if idle >= timedelta(days=settings.HELP_NEEDED_IDLE_DAYS):
            standing.reasons.append(Reason(IDLE, count=idle.days))
    standing.status = HELP_NEEDED if standing.reasons else IN_PROGRESS


# ------------------------------------------------------------------------------------------------ a cohort's report

def report_cohorts(viewer):
    """The cohorts whose report the viewer may read: visible ones of a commune in their area. A member reads
    the cohorts they belong to, but not the progress of the others in it."""
    from accounts.scoping import visible, visible_communes
    from cohorts.models import Cohort

    return visible(Cohort, viewer).filter(commune__in=visible_communes(viewer).values("pk"))


def cohort_members(*, cohort, viewer) -> list:
    """The cohort's members this viewer may see, by name. One query."""
    from accounts.scoping import visible
    from cohorts.models import Membership

    memberships = (visible(Membership, viewer).filter(cohort=cohort).select_related("learner")
                   .only("learner__id", "learner__full_name", "learner__username", "learner__year_of_birth",
                         "learner__phone"))
    return sorted((membership.learner for membership in memberships),
                  key=lambda learner: (learner.full_name.casefold(), learner.pk))


@dataclass
class CohortReport:
    cohort: object
    courses: list[CoursePage]
    members: list
    measured: list[CoursePage]  # the courses whose standings are read (all, or the one of a course's page)
    now: datetime | None = None

    @cached_property
    def standings(self) -> Standings:
        """Read on first use: the overview page needs only the summaries."""
        return standings(learners=self.members, courses=self.measured, now=self.now)

    def summaries(self) -> list[Summary]:
        """The overview's rows: one per member, the people who need help first, then in progress, not started,
        completed (by name within a status)."""
        found = summaries(learners=self.members, courses=self.measured, now=self.now)
        rows = [found[learner.pk] for learner in self.members]
        return sorted(rows, key=lambda row: STATUS_ORDER[row.status])

    def course(self, key) -> CoursePage | None:
        return next((course for course in self.courses if str(course.translation_key) == str(key)), None)

    def overview(self) -> list[tuple[object, Overall]]:
        """One row per member, the people who need help first, then in progress, not started, completed."""
        rows = [(learner, self.standings.overall(learner)) for learner in self.members]
        return sorted(rows, key=lambda row: STATUS_ORDER[row[1].status])  # stable: by name within a status

    def course_rows(self, course: CoursePage) -> list[tuple[object, Standing]]:
        rows = [(learner, self.standings.of(learner, course)) for learner in self.members]
        return sorted(rows, key=lambda row: STATUS_ORDER[row[1].status])



def status_counts(rows) -> dict[str, int]:
    """How many of the rows (summaries) are in each status."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def cohort_report(*, cohort, viewer, course_key=None, now: datetime | None = None) -> CohortReport:
    """The cohort's courses and visible members with their standings: a constant number of queries. With a
    course_key, the standings of that course only (one course's page needs no other)."""
    courses = course_pages(cohort.courses.values_list("course_key", flat=True))
    members = cohort_members(cohort=cohort, viewer=viewer)
    measured = courses
    if course_key:
        measured = [course for course in courses if str(course.translation_key) == str(course_key)]
    return CohortReport(cohort=cohort, courses=courses, members=members, measured=measured, now=now)


# ------------------------------------------------------------------------------------------------------- summaries

@dataclass
class Summary:
    """One learner across a set of courses as an overview shows them: the most urgent status, the latest
    activity and the courses where they need help. The same rules as the standings, read without the details."""

    learner: object
    status: str
    last_activity: datetime | None
    help_needed_in: list[CoursePage]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def summaries(*, learners, courses: list[CoursePage], now: datetime | None = None) -> dict:
    """Each learner's summary (by learner id) over the courses, in a constant number of queries (eight).

    The standings' rules, decided from counts the database groups per learner × course (or quiz) and compares
    with the idle threshold itself: Python receives small numbers and keys as text, and one latest activity per
    learner, instead of every learner × course's timestamps (parsing thousands of them was most of the page).
    tests/test_progress_standings.py checks that both give each learner the same status.
    """
    now = now or timezone.now()
    learners = list(learners)
    learner_ids = [getattr(learner, "pk", learner) for learner in learners]
    courses = list(courses)
    found = {learner_id: Summary(learner=learner, status=NOT_STARTED, last_activity=None, help_needed_in=[])
             for learner_id, learner in zip(learner_ids, learners, strict=True)}
    if not courses or not learner_ids:
        return found
    keys = [course.translation_key for course in courses]
    __, quizzes, __, quiz_keys = _contents(courses)
    recent = now - timedelta(days=settings.HELP_NEEDED_IDLE_DAYS)  # active after it: not idle

    # per learner × course: started, completed, active lately (a course's facts as in standings())
    started: set = set()  # (learner id, course key as hex)
    completed: set = set()
    active: set = set()
    for learner_id, key, done, lately in Enrollment.objects.filter(
            learner_id__in=learner_ids, course_key__in=keys).values_list(
            "learner_id", _hex("course_key"),
            ExpressionWrapper(Q(completed_at__isnull=False), output_field=BooleanField()),
            ExpressionWrapper(Q(enrolled_at__gt=recent), output_field=BooleanField())):
        started.add((learner_id, key))
        if done:
            completed.add((learner_id, key))
        if lately:
            active.add((learner_id, key))
    for learner_id, key, lately in (
            LessonProgress.objects.filter(learner_id__in=learner_ids, course_key__in=keys)
            .values("learner_id", key=_hex("course_key")).order_by()
            .annotate(lately=Count("id", filter=Q(last_opened_at__gt=recent)))
            .values_list("learner_id", "key", "lately")):
        started.add((learner_id, key))
        if lately:
            active.add((learner_id, key))

    # per learner × quiz: the quiz rules (wrong answers while not passed, every attempt at the final test used)
    course_of_quiz = {quiz.key.hex: (course_key.hex, quiz)
                      for course_key, course_quizzes in quizzes.items() for quiz in course_quizzes}
    finals = {next((quiz for quiz in course_quizzes if quiz.is_final), None) for course_quizzes in quizzes.values()}
    stuck: set = set()  # (learner id, course key as hex) needing help for a quiz
    if quiz_keys:
        handed_in = Q(submitted_at__isnull=False)
        lately = Q(submitted_at__gt=recent) | Q(submitted_at__isnull=True, started_at__gt=recent)
        wrong = {
            (learner_id, key): count
            for learner_id, key, count in AttemptAnswer.objects.filter(
                attempt__learner_id__in=learner_ids, attempt__quiz_key__in=quiz_keys,
                attempt__submitted_at__isnull=False, attempt__passed=False, is_correct=False,
            ).values("attempt__learner_id", key=_hex("attempt__quiz_key")).order_by()
            .annotate(count=Count("id"))
            .values_list("attempt__learner_id", "key", "count")
        }
        for learner_id, key, used, passes, lately_count in (
                QuizAttempt.objects.filter(learner_id__in=learner_ids, quiz_key__in=quiz_keys)
                .values("learner_id", key=_hex("quiz_key")).order_by()
                .annotate(used=Count("id", filter=handed_in),
                          passes=Count("id", filter=handed_in & Q(passed=True)),
                          lately=Count("id", filter=lately))
                .values_list("learner_id", "key", "used", "passes", "lately")):
            course_key, quiz = course_of_quiz[key]
            started.add((learner_id, course_key))
            if lately_count:
                active.add((learner_id, course_key))
            if passes:
                continue
            if (wrong.get((learner_id, key), 0) >= settings.HELP_NEEDED_WRONG_ANSWERS
                    or (quiz in finals and quiz.max_attempts and used >= quiz.max_attempts)):
                stuck.add((learner_id, course_key))

    # the latest activity of each learner: one timestamp per learner and kind of fact (one query), the latest kept
    latest: dict = {}
    facts = [
        Enrollment.objects.filter(learner_id__in=learner_ids, course_key__in=keys)
        .values("learner_id").order_by().annotate(last=Max("enrolled_at")).values_list("learner_id", "last"),
        LessonProgress.objects.filter(learner_id__in=learner_ids, course_key__in=keys)
        .values("learner_id").order_by().annotate(last=Max("last_opened_at")).values_list("learner_id", "last"),
    ]
    if quiz_keys:
        facts.append(QuizAttempt.objects.filter(learner_id__in=learner_ids, quiz_key__in=quiz_keys)
                     .values("learner_id").order_by().annotate(last=Max(Coalesce("submitted_at", "started_at")))
                     .values_list("learner_id", "last"))
    for learner_id, last in facts[0].union(*facts[1:], all=True):
        if last is not None and (learner_id not in latest or last > latest[learner_id]):
            latest[learner_id] = last

    texts = [(course, course.translation_key.hex) for course in courses]
    for learner_id, summary in found.items():
        statuses = []
        for course, key in texts:
            pair = (learner_id, key)
            if pair in completed:
                statuses.append(COMPLETED)
            elif pair not in started:
                statuses.append(NOT_STARTED)
            elif pair in stuck or pair not in active:  # started, so it has an activity: idle unless lately
                statuses.append(HELP_NEEDED)
                summary.help_needed_in.append(course)
            else:
                statuses.append(IN_PROGRESS)
        summary.status = overall_status(statuses)
        summary.last_activity = latest.get(learner_id)
    return found


# ---------------------------------------------------------------------------------------------- difficult questions

@dataclass
class DifficultQuestion:
    number: int
    prompt: str
    answered: int  # members whose latest handed-in answer is counted
    right: int
    wrong_choice: str = ""  # the wrong answer chosen most often in those answers
    wrong_choice_count: int = 0

    @property
    def percent_right(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0


@dataclass
class QuizDifficulties:
    course: CoursePage
    quiz: Quiz
    questions: list[DifficultQuestion]


def difficult_questions(*, report: CohortReport) -> list[QuizDifficulties]:
    """For each quiz of the cohort's courses, the questions fewer than DIFFICULT_QUESTION_BELOW % of the members
    who answered them got right, hardest first, with the wrong answer chosen most often.

    Each member counts once per question, with their latest handed-in answer to it: someone who learnt it after
    two wrong tries counts as right. Texts come from the published quiz (a question removed since is left out).
    Two queries.
    """
    quizzes = [(course, quiz) for course in report.courses
               for quiz in report.standings.quizzes[course.translation_key]]
    learner_ids = [learner.pk for learner in report.members]
    if not quizzes or not learner_ids:
        return []
    pages = {page.path: page for page in QuizPage.objects.filter(path__in=[quiz.path for __, quiz in quizzes])}
    latest: dict = {}  # (quiz key, question id, learner id) → (is_correct, choice ids)
    answers = (AttemptAnswer.objects.filter(attempt__learner_id__in=learner_ids,
                                            attempt__quiz_key__in=[quiz.key for __, quiz in quizzes],
                                            attempt__submitted_at__isnull=False)
               .order_by("attempt__submitted_at")
               .values_list("attempt__quiz_key", "question_id", "attempt__learner_id", "is_correct", "choice_ids"))
    for quiz_key, question_id, learner_id, is_correct, choice_ids in answers.iterator(chunk_size=5000):
        latest[(quiz_key, question_id, learner_id)] = (is_correct, choice_ids)
    tallies: dict = {}  # (quiz key, question id) → [answered, right, {wrong choice id: count}]
    for (quiz_key, question_id, __), (is_correct, choice_ids) in latest.items():
        tally = tallies.setdefault((quiz_key, question_id), [0, 0, {}])
        tally[0] += 1
        tally[1] += bool(is_correct)
        if not is_correct:
            for choice_id in choice_ids or []:
                tally[2][choice_id] = tally[2].get(choice_id, 0) + 1
    below = settings.DIFFICULT_QUESTION_BELOW
    result = []
    for course, quiz in quizzes:
        page = pages.get(quiz.path)
        if page is None:
            continue
        found = []
        for number, child in enumerate(page.questions, start=1):
            answered, right, wrong_choices = tallies.get((quiz.key, child.id), (0, 0, {}))
            if not answered or 100 * right >= below * answered:
                continue
            question = DifficultQuestion(number=number, prompt=child.value["prompt"], answered=answered, right=right)
            choices = {choice.id: choice.value for choice in child.value["choices"].bound_blocks}
            wrong_counts = [(count, choice_id) for choice_id, count in wrong_choices.items()
                            if choice_id in choices and not choices[choice_id]["is_correct"]]
            if wrong_counts:
                count, choice_id = max(wrong_counts, key=lambda pair: pair[0])
                question.wrong_choice, question.wrong_choice_count = choices[choice_id]["text"], count
            found.append(question)
        if found:
            found.sort(key=lambda question: (question.right / question.answered, question.number))
            result.append(QuizDifficulties(course=course, quiz=quiz, questions=found))
    return result


def learner_progress(*, learner) -> Overall:
    """Every course the learner enrolled in, with their standing (for the learner's page of trainers and staff)."""
    keys = list(Enrollment.objects.filter(learner=learner).order_by("enrolled_at").values_list("course_key",
                                                                                               flat=True))
    return standings(learners=[learner], courses=course_pages(keys)).overall(learner)
