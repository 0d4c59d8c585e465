"""Writes about learning: enrolling, opening and finishing lessons, and completing a course."""

from collections.abc import Callable
from datetime import timedelta
from functools import cache

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from cms.sql import with_tables

from .models import CoursePage, Enrollment, LessonPage, LessonProgress
from .selectors import course_lessons, lesson_counts
from .signals import course_completed, learner_active


class LessonLocked(Exception):  # noqa: N818 - a domain error, named as users would say it
    """The course is sequential and an earlier lesson is not finished yet."""

    def __init__(self, lesson: LessonPage, first: LessonPage):
        super().__init__(f"Finish {first.title} first")
        self.lesson, self.first = lesson, first


# Further conditions for finishing a course (quizzes add "the final quiz is passed").
CompletionRequirement = Callable[..., bool]
completion_requirements: list[CompletionRequirement] = []


def enroll(*, learner, course: CoursePage) -> tuple[Enrollment, bool]:
    """Enrol once; a double tap or a retried POST returns the same enrolment."""
    return Enrollment.objects.get_or_create(
        learner=learner, course_key=course.translation_key, defaults={"commune_id": learner.commune_id}
    )


# "Last opened" only needs to be roughly right: a reader going back and forth writes nothing.
OPENED_RESOLUTION = timedelta(minutes=10)


def record_opened(*, learner, lesson: LessonPage, course: CoursePage, opened_before: bool) -> None:
    """Note that the learner opened the lesson (first time: a new row; later: at most every 10 minutes)."""
    now = timezone.now()
    if opened_before:
        noted = LessonProgress.objects.filter(
            learner=learner, lesson_key=lesson.translation_key, last_opened_at__lt=now - OPENED_RESOLUTION
        ).update(last_opened_at=now)
    else:
        noted = LessonProgress.objects.get_or_create(
            learner=learner, lesson_key=lesson.translation_key, defaults={"course_key": course.translation_key}
        )[1]
    if noted:  # the statistics' "active that day": at most one more write per lesson every 10 minutes
        learner_active.send(sender=LessonProgress, learner=learner)


def first_unfinished_before(*, learner, lesson: LessonPage, course: CoursePage) -> LessonPage | None:
    """In a sequential course, the earliest unfinished lesson before this one (None if open)."""
    if not course.sequential:
        return None
    lessons = course_lessons(course)
    earlier = [item for item in lessons if item.path < lesson.path]
    if not earlier:
        return None
    done = set()
    if learner.is_authenticated:
        done = set(
            LessonProgress.objects.filter(
                learner=learner, lesson_key__in=[item.translation_key for item in earlier], completed_at__isnull=False
            ).values_list("lesson_key", flat=True)
        )
    return next((item for item in earlier if item.translation_key not in done), None)


@transaction.atomic
def complete_lesson(*, learner, lesson: LessonPage) -> tuple[LessonProgress, bool]:
    """Mark a lesson done (enrolling first if needed). Returns (progress, newly_completed)."""
    course = lesson.get_parent().specific
    blocker = first_unfinished_before(learner=learner, lesson=lesson, course=course)
    if blocker is not None:
        raise LessonLocked(lesson, blocker)
    enroll(learner=learner, course=course)
    progress, _ = LessonProgress.objects.get_or_create(
        learner=learner, lesson_key=lesson.translation_key, defaults={"course_key": course.translation_key}
    )
    now = timezone.now()
    # A conditional update: of two simultaneous requests only one finds it unfinished.
    newly = LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=now) == 1
    if newly:
        progress.completed_at = now
        update_course_completion(learner=learner, course=course)
    return progress, newly


# What completing a course needs of its page (the other columns load only if a listener reads them).
COURSE_FIELDS = ["id", "path", "depth", "translation_key", "locale_id", "title", "slug", "url_path", "live",
                 "content_type_id", "sequential"]

_LOCKED_ENROLLMENT_SQL = (
    "SELECT enrollment.id, enrollment.completed_at FROM {enrollments} enrollment "
    "JOIN {pages} course ON course.translation_key = enrollment.course_key "
    "WHERE course.path = %s AND enrollment.learner_id = %s"
)


@cache
def _locked_enrollment_sql() -> str:
    sql = with_tables(_LOCKED_ENROLLMENT_SQL, enrollments=Enrollment, pages=Page)
    return sql + (" FOR UPDATE OF enrollment" if connection.features.has_select_for_update_of else "")


def _locked_enrollment(*, learner, course_path: str) -> tuple[int, object] | None:
    """(id, completed_at) of the learner's enrolment in the course at this tree path, its row locked."""
    with connection.cursor() as cursor:
        cursor.execute(_locked_enrollment_sql(), [course_path, learner.pk])
        return cursor.fetchone()


def update_course_completion(*, learner, course: CoursePage | None = None, course_path: str = "") -> bool:
    """Decide whether the course is complete; announce it exactly once. Returns True when it just completed.

    Every way of finishing a course (a lesson done, a final test passed, several at once) decides here, in
    turn: each first locks the learner's enrolment row and only then counts, so the one that waited reads what
    the other committed (READ COMMITTED) and the last to finish sees everything done. Takes the course or its
    tree path (a quiz knows only that: the course page is loaded only when the course completes).
    """
    course_path = course.path if course is not None else course_path
    row = _locked_enrollment(learner=learner, course_path=course_path)
    if row is None:  # enrolments are made on the first lesson or quiz; this one was not (or was deleted)
        course = course or CoursePage.objects.only(*COURSE_FIELDS).filter(path=course_path).first()
        if course is None:
            return False
        enroll(learner=learner, course=course)
        row = _locked_enrollment(learner=learner, course_path=course_path)
    enrollment_id, completed_at = row
    if completed_at is not None:
        return False
    done, total = lesson_counts(learner=learner, course_path=course_path)
    if not total or done < total:
        return False
    course = course or CoursePage.objects.only(*COURSE_FIELDS).filter(path=course_path).first()
    if course is None:
        return False
    if not all(requirement(learner=learner, course=course) for requirement in completion_requirements):
        return False
    now = timezone.now()
    # Conditional as well: SQLite has no row locks (it lets one writer in at a time instead).
    if not Enrollment.objects.filter(pk=enrollment_id, completed_at__isnull=True).update(completed_at=now):
        return False
    enrollment = Enrollment.objects.get(pk=enrollment_id)
    course_completed.send(sender=CoursePage, learner=learner, course=course, enrollment=enrollment)
    return True


def ensure_catalogue():
    """The course catalogue (/courses/) under the home page of the default language, created once."""
    from wagtail.models import Locale, Site

    from .models import CourseIndexPage

    existing = CourseIndexPage.objects.filter(locale=Locale.get_default()).first()
    if existing:
        return existing
    home = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="Khóa học", slug="courses", intro="Các khóa học kỹ năng số cơ bản, ngắn và dễ hiểu.")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index
