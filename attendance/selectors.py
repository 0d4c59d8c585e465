"""Reads about class sessions and attendance: the sessions of a cohort, the sheet of one, the cohort's report.

Attendance rate (as Moodle's mod_attendance counts it, with its default warning of 70% after 5 sessions):
a session counts once the trainer has saved its sheet; for each member, present and late count as attended,
excused sessions are left out of the count altogether, absent ones count against. A member whose counted
sessions reach ATTENDANCE_FLAG_AFTER_SESSIONS and whose rate is below ATTENDANCE_FLAG_BELOW % is flagged.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale, Page

from accounts.models import User
from accounts.scoping import managed, visible, visible_communes
from cohorts.models import Cohort

from .models import Attendance, ClassSession

Status = Attendance.Status
ATTENDED = (Status.PRESENT, Status.LATE)


# ---- who may read and change what

def readable_cohorts(viewer) -> QuerySet[Cohort]:
    """Cohorts whose trainer pages a viewer may read: those of the communes in their area. visible() also lets a
    member read their own cohort, but a member reads "Lớp của tôi", not the other members' attendance."""
    return visible(Cohort, viewer).filter(commune__in=visible_communes(viewer).values("pk"))


def readable_sessions(viewer) -> QuerySet[ClassSession]:
    return visible(ClassSession, viewer).filter(cohort__commune__in=visible_communes(viewer).values("pk"))


def managed_cohorts(viewer) -> QuerySet[Cohort]:
    """Cohorts whose sessions and attendance a viewer may change: their commune's, and not archived (an archived
    cohort's sessions and marks are a record; cohorts.services.CohortArchived)."""
    return managed(Cohort, viewer).filter(archived_at=None)


def managed_sessions(viewer) -> QuerySet[ClassSession]:
    return managed(ClassSession, viewer).filter(cohort__archived_at=None)


# ---- sessions

def _counts() -> dict:
    return {status: Count("marks", filter=Q(marks__status=status)) for status in Status.values}


def cohort_sessions(cohort: Cohort) -> list[ClassSession]:
    """Every session of the cohort, in date order, each with how many members were present, late, excused, absent."""
    return list(cohort.sessions.annotate(**_counts()).order_by("date", "starts_at", "pk"))


def next_sessions(cohorts) -> dict[int, ClassSession]:
    """The next session (today or later) of each cohort, by cohort id, in one query: for "Lớp của tôi"."""
    upcoming = (ClassSession.objects.filter(cohort__in=cohorts, date__gte=timezone.localdate())
                .order_by("cohort_id", "date", "starts_at", "pk"))
    found: dict[int, ClassSession] = {}
    for session in upcoming:
        found.setdefault(session.cohort_id, session)
    return found


def next_session(cohort: Cohort) -> ClassSession | None:
    return next_sessions([cohort]).get(cohort.pk)


def members(cohort: Cohort) -> list[User]:
    return list(User.objects.filter(cohort_memberships__cohort=cohort).order_by("full_name", "pk")
                .only("pk", "full_name", "username", "phone"))


@dataclass
class SheetRow:
    learner: User
    status: str  # the saved status, or present when none is saved yet
    mark: Attendance | None

    @property
    def checked_in(self) -> bool:
        return self.mark is not None and self.mark.via == Attendance.Via.CHECK_IN


def sheet(session: ClassSession) -> list[SheetRow]:
    """One row per member of the session's cohort: present unless a status is saved. Two queries."""
    marks = {mark.learner_id: mark for mark in session.marks.all()}
    return [SheetRow(learner=learner, status=marks[learner.pk].status if learner.pk in marks else Status.PRESENT,
                     mark=marks.get(learner.pk))
            for learner in members(session.cohort)]


def checked_in_count(session: ClassSession) -> int:
    return session.marks.filter(via=Attendance.Via.CHECK_IN).count()


def lesson_choices(cohort: Cohort) -> list[tuple[str, list[tuple[str, str]]]]:
    """The lessons of the cohort's courses, grouped by course, as (course title, [(lesson key, title)])."""
    from courses.models import CoursePage, LessonPage

    keys = list(cohort.courses.values_list("course_key", flat=True))
    if not keys:
        return []
    locale = Locale.get_active()
    courses: dict = {}
    for page in CoursePage.objects.live().filter(translation_key__in=keys).order_by("path"):
        if page.translation_key not in courses or page.locale_id == locale.pk:
            courses[page.translation_key] = page
    by_path: dict[str, list] = {page.path: [] for page in courses.values()}
    pages = courses.values()
    lessons = LessonPage.objects.live().filter(
        locale_id__in={page.locale_id for page in pages}, depth__in={page.depth + 1 for page in pages}
    ).order_by("path").only("title", "path", "translation_key")
    for lesson in lessons:
        parent = lesson.path[: -Page.steplen]
        if parent in by_path:
            by_path[parent].append((str(lesson.translation_key), lesson.title))
    order = {key: position for position, key in enumerate(keys)}
    return [(page.title, by_path[page.path])
            for page in sorted(courses.values(), key=lambda page: order.get(page.translation_key, 0))
            if by_path[page.path]]


def lesson_titles(cohort: Cohort) -> dict[str, str]:
    return {key: title for _course, lessons in lesson_choices(cohort) for key, title in lessons}


def with_subjects(sessions, cohort: Cohort):
    """Give each session a `subject` to show: its topic, else the title of its lesson (one lookup for them all)."""
    titles = lesson_titles(cohort) if any(session.lesson_key for session in sessions) else {}
    for session in sessions:
        session.subject = session.topic or titles.get(str(session.lesson_key), "")
    return sessions


# ---- the report

def is_flagged(*, attended: int, counted: int) -> bool:
    """Below the threshold once enough sessions count; compared in whole numbers, so 70% of 10 is not below 70."""
    return (counted >= settings.ATTENDANCE_FLAG_AFTER_SESSIONS
            and attended * 100 < settings.ATTENDANCE_FLAG_BELOW * counted)


@dataclass
class MemberAttendance:
    learner: User
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def counted(self) -> int:
        return self.present + self.late + self.absent

    @property
    def rate(self) -> int | None:
        """Per cent, rounded; None before any session counts."""
        return round(100 * self.attended / self.counted) if self.counted else None

    @property
    def flagged(self) -> bool:
        return is_flagged(attended=self.attended, counted=self.counted)


@dataclass
class Report:
    rows: list[MemberAttendance]
    sessions_taken: int
    flag_below: int = field(default_factory=lambda: settings.ATTENDANCE_FLAG_BELOW)
    flag_after: int = field(default_factory=lambda: settings.ATTENDANCE_FLAG_AFTER_SESSIONS)

    @property
    def flagged(self) -> int:
        return sum(row.flagged for row in self.rows)


def taken_marks(cohort: Cohort) -> QuerySet[Attendance]:
    return Attendance.objects.filter(session__cohort=cohort, session__attendance_taken_at__isnull=False)


def report(cohort: Cohort) -> Report:
    """Each member's attendance, flagged members first: three queries, whatever the number of members."""
    people = members(cohort)
    counts = {
        row["learner_id"]: row
        for row in taken_marks(cohort).values("learner_id").annotate(
            **{status: Count("pk", filter=Q(status=status)) for status in Status.values})
    }
    rows = [MemberAttendance(learner=learner, **{status: counts.get(learner.pk, {}).get(status, 0)
                                                 for status in Status.values})
            for learner in people]
    rows.sort(key=lambda row: (not row.flagged, row.rate if row.rate is not None else 101, row.learner.full_name))
    taken = cohort.sessions.filter(attendance_taken_at__isnull=False).count()
    return Report(rows=rows, sessions_taken=taken)


@dataclass
class Grid:
    """Members × taken sessions, for the exports."""

    report: Report
    sessions: list[ClassSession]
    statuses: dict[tuple[int, int], str]  # (learner id, session id) → status

    def status(self, learner: User, session: ClassSession) -> str | None:
        return self.statuses.get((learner.pk, session.pk))


def grid(cohort: Cohort) -> Grid:
    sessions = list(cohort.sessions.filter(attendance_taken_at__isnull=False).order_by("date", "starts_at", "pk"))
    statuses = {(learner, session): status for learner, session, status
                in taken_marks(cohort).values_list("learner_id", "session_id", "status")}
    return Grid(report=report(cohort), sessions=sessions, statuses=statuses)
