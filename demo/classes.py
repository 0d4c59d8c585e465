"""The demo class: a cohort of Phường Hạ Long run by the demo trainer, with members in every status and a few
past class sessions with attendance, so the trainer's workspace has something true to show."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Consent, User
from attendance.models import Attendance, ClassSession
from cohorts.models import Cohort, CohortCourse, CohortMessage
from cohorts.services import add_member
from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
from courses.services import complete_lesson, enroll, record_opened
from quizzes.models import QuizAttempt, QuizPage
from quizzes.services import start_attempt, submit_attempt
from registration.services import GuardianDetails, register_resident

COHORT_NAME = "Lớp sáng thứ Ba — khu 3"
ALL_PURPOSES = list(Consent.Purpose.values)

# Residents the trainer registered in class (username, name, phone or None, year, gender, what they have done).
REGISTERED = [
    ("demo-sau", "Bùi Văn Sáu", "+84912000105", 1955, "male", "failed the final test twice"),
    ("demo-bay", "Đặng Thị Bảy", None, 1960, "female", "not started"),
    ("demo-tam", "Hoàng Văn Tám", "+84912000106", 1952, "male", "opened one lesson three weeks ago"),
    ("demo-chin", "Ngô Thị Chín", None, 2013, "female", "a minor, registered with her grandmother's consent"),
]
# Who came to each of the five past Tuesday sessions (absent when not listed; "late"/"excused" as given).
ATTENDANCE = {
    "demo-lan": ["present", "present", "present", "late", "present"],
    "demo-hung": ["present", "present", "excused", "present", "present"],
    "demo-sau": ["present", "late", "present", "present", "absent"],
    "demo-bay": ["present", "absent", "present", "present", "present"],
    "demo-tam": ["present", "absent", "absent", "present", "absent"],
    "demo-chin": ["present", "present", "present", "present", "present"],
}


def _course(slug: str) -> CoursePage | None:
    return CoursePage.objects.filter(slug=slug, locale__language_code="vi").live().first()


def _lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def _wrong_answers(attempt: QuizAttempt) -> dict:
    """A hand-in with every answer wrong: for each question, an answer that is not a right one."""
    answers = {}
    for question_id in attempt.question_ids:
        right = set(attempt.answer_key[question_id]["correct"])
        wrong = [choice for choice in attempt.choice_order[question_id] if choice not in right]
        answers[question_id] = wrong[:1]
    return answers


def _fail_final(learner: User, course: CoursePage, times: int) -> None:
    final = QuizPage.objects.child_of(course).live().filter(is_final=True).first()
    if final is None or QuizAttempt.objects.filter(learner=learner, quiz_key=final.translation_key).exists():
        return
    for _ in range(times):
        attempt, _ = start_attempt(learner=learner, quiz=final)
        submit_attempt(learner=learner, attempt_id=attempt.pk, answers=_wrong_answers(attempt))


def _open_long_ago(learner: User, course: CoursePage, days: int) -> None:
    lesson = _lessons(course)[0]
    enroll(learner=learner, course=course)
    record_opened(learner=learner, lesson=lesson, course=course, opened_before=False)
    then = timezone.now() - datetime.timedelta(days=days)
    LessonProgress.objects.filter(learner=learner, course_key=course.translation_key).update(
        first_opened_at=then, last_opened_at=then)
    Enrollment.objects.filter(learner=learner, course_key=course.translation_key).update(enrolled_at=then)


@transaction.atomic
def seed_class(*, trainer: User, scams_slug: str, vneid_slug: str, password: str) -> Cohort | None:
    """Create the demo class once; a second run leaves it (and whatever the trainer changed) alone."""
    commune = trainer.trainer_communes.order_by("name").first()
    scams, vneid = _course(scams_slug), _course(vneid_slug)
    if commune is None or scams is None or vneid is None:
        return None
    existing = Cohort.objects.filter(commune=commune, name=COHORT_NAME).first()
    if existing:
        return existing
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        commune=commune, name=COHORT_NAME, place="Nhà văn hoá khu 3", schedule="Sáng thứ Ba, 8:00–9:30",
        starts_on=today - datetime.timedelta(days=35), ends_on=today + datetime.timedelta(days=28),
        created_by=trainer,
    )
    cohort.trainers.add(trainer)
    for position, course in enumerate([scams, vneid]):
        CohortCourse.objects.create(cohort=cohort, course_key=course.translation_key, position=position)

    members = {user.username: user for user in User.objects.filter(username__in=["demo-lan", "demo-hung"])}
    for username, name, phone, year, gender, _story in REGISTERED:
        user = User.objects.filter(username=username).first()
        if user is None:
            guardian = GuardianDetails("Ngô Thị Hằng", "bà nội", "+84912000107") if year > 2010 else None
            user = register_resident(registered_by=trainer, full_name=name, phone=phone, year_of_birth=year,
                                     gender=gender, commune=commune, purposes=ALL_PURPOSES, guardian=guardian)
            user.username = username
            if phone:  # so the demo can be tried as them; people registered in class have no password
                user.set_password(password)
            user.save(update_fields=["username", "password"])
        members[username] = user
    for user in members.values():
        add_member(cohort=cohort, learner=user, added_by=trainer)

    _fail_final(members["demo-sau"], scams, times=2)  # help needed: many wrong answers on the final test
    _open_long_ago(members["demo-tam"], vneid, days=21)  # help needed: no activity for three weeks
    for lesson in _lessons(vneid)[:1]:
        complete_lesson(learner=members["demo-chin"], lesson=lesson)  # in progress

    # Five past Tuesdays and the next one.
    last_tuesday = today - datetime.timedelta(days=(today.weekday() - 1) % 7 or 7)
    dates = [last_tuesday - datetime.timedelta(weeks=weeks) for weeks in range(4, -1, -1)]
    topics = ["Làm quen với điện thoại thông minh", "Nhận diện cuộc gọi lừa đảo", "Mã OTP và mật khẩu",
              "Cài đặt VNeID", "Dịch vụ công trực tuyến"]
    for number, (date, topic) in enumerate(zip(dates, topics, strict=True)):
        session = ClassSession.objects.create(cohort=cohort, date=date, starts_at=datetime.time(8, 0), topic=topic,
                                              place=cohort.place, created_by=trainer,
                                              attendance_taken_at=timezone.now())
        Attendance.objects.bulk_create(
            Attendance(session=session, learner=members[username], status=statuses[number], marked_by=trainer)
            for username, statuses in ATTENDANCE.items()
        )
    ClassSession.objects.create(cohort=cohort, date=last_tuesday + datetime.timedelta(weeks=1),
                                starts_at=datetime.time(8, 0), topic="Thanh toán không dùng tiền mặt",
                                place=cohort.place, created_by=trainer)
    CohortMessage.objects.create(cohort=cohort, text="Lớp học sáng thứ Ba 8:00 tại nhà văn hoá khu 3.",
                                 sent_by=trainer, sent_at=timezone.now() - datetime.timedelta(days=1),
                                 recipients=3, skipped=3)
    return cohort
