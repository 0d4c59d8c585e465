"""Reads about courses: the catalogue, a course's outline for one learner, "my learning"."""

from dataclasses import dataclass, field
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Prefetch
from wagtail.models import Page

from cms.sql import with_tables

from .models import CompetenceDomain, CoursePage, DigitalSkill, Enrollment, LessonPage, LessonProgress

LESSON_FIELDS = ["id", "title", "slug", "url_path", "path", "depth", "translation_key", "locale_id",
                 "summary", "estimated_minutes", "live", "content_type_id"]


def course_lessons(course: CoursePage) -> list[LessonPage]:
    """The published lessons of a course, in the order the editor put them."""
    return list(LessonPage.objects.child_of(course).live().order_by("path").only(*LESSON_FIELDS))


_LESSON_COUNTS_SQL = (
    "SELECT COUNT(*), COUNT(progress.id) FROM {pages} page "
    "LEFT JOIN {progress} progress ON progress.lesson_key = page.translation_key "
    "AND progress.learner_id = %s AND progress.completed_at IS NOT NULL "
    "WHERE page.path LIKE %s AND page.depth = %s AND page.live = %s AND page.content_type_id = %s"
)


@cache
def _lesson_counts_sql() -> str:
    return with_tables(_LESSON_COUNTS_SQL, pages=Page, progress=LessonProgress)


def lesson_counts(*, learner, course_path: str) -> tuple[int, int]:
    """(done, total): how many of the course's published lessons this learner finished, in one query.

    Takes the course's tree path, so a caller that only knows a child page (a quiz) needs no course query.
    Plain SQL (the same on SQLite and PostgreSQL): it runs on every passed final test and finished lesson, and
    the ORM spends about half a millisecond building this query, more than the database takes to answer it.
    """
    lesson_type = ContentType.objects.get_for_model(LessonPage)
    with connection.cursor() as cursor:
        depth = len(course_path) // Page.steplen + 1
        cursor.execute(_lesson_counts_sql(), [learner.pk, f"{course_path}%", depth, True, lesson_type.pk])
        total, done = cursor.fetchone()
    return done, total


@dataclass
class LessonState:
    lesson: LessonPage
    number: int
    done: bool = False
    opened: bool = False
    locked_by: LessonPage | None = None  # the lesson to finish first, in a sequential course

    @property
    def locked(self) -> bool:
        return self.locked_by is not None


@dataclass
class CourseOutline:
    course: CoursePage
    lessons: list[LessonState] = field(default_factory=list)
    enrollment: Enrollment | None = None

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done_count(self) -> int:
        return sum(state.done for state in self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def enrolled(self) -> bool:
        return self.enrollment is not None

    @property
    def completed(self) -> bool:
        return bool(self.enrollment and self.enrollment.completed_at)

    @property
    def next_state(self) -> LessonState | None:
        """Where to continue: the first lesson not done yet (or the first one)."""
        return next((s for s in self.lessons if not s.done), self.lessons[0] if self.lessons else None)

    def state_of(self, lesson: Page) -> LessonState | None:
        return next((s for s in self.lessons if s.lesson.translation_key == lesson.translation_key), None)

    def neighbours(self, lesson: Page) -> tuple[LessonState | None, LessonState | None]:
        index = next((i for i, s in enumerate(self.lessons) if s.lesson.pk == lesson.pk), None)
        if index is None:
            return None, None
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following


def course_outline(*, course: CoursePage, learner) -> CourseOutline:
    """Lessons with this learner's progress; three queries whatever the number of lessons."""
    outline = CourseOutline(course=course)
    lessons = course_lessons(course)
    progress = {}
    if learner.is_authenticated:
        outline.enrollment = Enrollment.objects.filter(learner=learner, course_key=course.translation_key).first()
        progress = {
            p.lesson_key: p
            for p in LessonProgress.objects.filter(learner=learner, course_key=course.translation_key)
        }
    first_unfinished = None
    for number, lesson in enumerate(lessons, start=1):
        record = progress.get(lesson.translation_key)
        state = LessonState(lesson=lesson, number=number, opened=record is not None,
                            done=bool(record and record.completed_at))
        if course.sequential and first_unfinished is not None:
            state.locked_by = first_unfinished
        if not state.done and first_unfinished is None:
            first_unfinished = lesson
        outline.lessons.append(state)
    return outline


def _selected(request, name: str, model) -> object | None:
    code = request.GET.get(name)
    return model.objects.filter(code=code).first() if code else None


def catalogue(*, index, request) -> dict:
    """Published courses under the catalogue page, filtered by competence, with my progress."""
    courses = (
        CoursePage.objects.child_of(index).live().order_by("path")
        .select_related("cover")
        .prefetch_related(Prefetch("domains"), Prefetch("skills"))
    )
    domain = _selected(request, "domain", CompetenceDomain)
    skill = _selected(request, "skill", DigitalSkill)
    if domain:
        courses = courses.filter(domains=domain)
    if skill:
        courses = courses.filter(skills=skill)
    courses = list(courses)
    lesson_counts = _lesson_counts(courses)
    mine = {}
    if request.user.is_authenticated:
        keys = [c.translation_key for c in courses]
        mine = {e.course_key: e for e in Enrollment.objects.filter(learner=request.user, course_key__in=keys)}
    return {
        "courses": [
            {"page": c, "lessons": lesson_counts.get(c.path, 0), "enrollment": mine.get(c.translation_key)}
            for c in courses
        ],
        "domains": CompetenceDomain.objects.all(),
        "skills": DigitalSkill.objects.all(),
        "selected_domain": domain,
        "selected_skill": skill,
    }


def _lesson_counts(courses: list[CoursePage]) -> dict[str, int]:
    if not courses:
        return {}
    depth = courses[0].depth + 1
    counts: dict[str, int] = {}
    lessons = LessonPage.objects.live().filter(depth=depth, locale_id=courses[0].locale_id)
    for path in lessons.values_list("path", flat=True):
        parent = path[: -Page.steplen]
        counts[parent] = counts.get(parent, 0) + 1
    return counts


@dataclass
class MyCourse:
    page: CoursePage
    enrollment: Enrollment
    standing: object  # progress.selectors.Standing: lessons, quizzes, status
    continue_url: str | None

    @property
    def done(self) -> int:
        return self.standing.lessons_done

    @property
    def total(self) -> int:
        return self.standing.lessons_total

    @property
    def percent(self) -> int:
        return self.standing.percent


def my_learning(*, learner, request) -> list[MyCourse]:
    """The learner's courses in the current language (another language when not translated), with their
    standing from the one read model of progress; a constant number of queries whatever the number of courses."""
    # progress builds on courses: imported here, when called, so courses loads without it
    from progress.selectors import course_pages, standings

    enrollments = list(Enrollment.objects.filter(learner=learner).order_by("-enrolled_at"))
    if not enrollments:
        return []
    pages = {page.translation_key: page for page in course_pages([e.course_key for e in enrollments])}
    progress = standings(learners=[learner], courses=list(pages.values()))
    lessons_by_course: dict = {}
    for lesson in LessonPage.objects.live().filter(
        locale_id__in={p.locale_id for p in pages.values()}, depth__in={p.depth + 1 for p in pages.values()}
    ).order_by("path").only(*LESSON_FIELDS):
        lessons_by_course.setdefault(lesson.path[: -Page.steplen], []).append(lesson)
    done_keys = set(
        LessonProgress.objects.filter(learner=learner, course_key__in=list(pages), completed_at__isnull=False)
        .values_list("lesson_key", flat=True)
    )
    result = []
    for enrollment in enrollments:
        page = pages.get(enrollment.course_key)
        if page is None:
            continue  # unpublished since
        lessons = lessons_by_course.get(page.path, [])
        next_lesson = next((lesson for lesson in lessons if lesson.translation_key not in done_keys), None)
        result.append(MyCourse(page=page, enrollment=enrollment, standing=progress.of(learner, page),
                               continue_url=next_lesson.get_url(request) if next_lesson else None))
    return result
