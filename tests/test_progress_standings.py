"""The one read model of progress: each learner × course's standing and the help-needed rules at their thresholds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrollment, LessonProgress
from courses.services import complete_lesson, enroll, record_opened
from progress import selectors
from progress.selectors import COMPLETED, HELP_NEEDED, IN_PROGRESS, NOT_STARTED
from quizzes import services as quiz_services
from quizzes.testing import make_quiz, right_answers, sample_questions, wrong_answers
from tests.conftest import make_user
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db


def hand_in(learner, quiz, *, wrong: int = 0):
    """Hand in an attempt with `wrong` questions answered wrongly, the rest right."""
    attempt, __ = quiz_services.start_attempt(learner=learner, quiz=quiz)
    answers, bad = right_answers(quiz), wrong_answers(quiz)
    for question_id in list(answers)[:wrong]:
        answers[question_id] = bad[question_id]
    return quiz_services.submit_attempt(learner=learner, attempt_id=attempt.pk, answers=answers).attempt


@pytest.fixture
def lan(people):
    return people["lan"]


@pytest.fixture
def course(places):
    return make_course("Phòng tránh lừa đảo", lessons=3)


@pytest.fixture
def quiz(course):
    return make_quiz(course, title="Kiểm tra giữa khóa", questions=sample_questions(with_images=False))


def standing_of(learner, course, **kwargs):
    """The learner's standing in the course; the overview's summary, read its own lighter way, must agree with
    it (so each rule below is tested at its thresholds on both)."""
    standing = selectors.standings(learners=[learner], courses=[course], **kwargs).of(learner, course)
    summary = selectors.summaries(learners=[learner], courses=[course], **kwargs)[learner.pk]
    assert (summary.status, summary.last_activity) == (standing.status, standing.last_activity)
    assert summary.help_needed_in == ([course] if standing.status == HELP_NEEDED else [])
    return standing


def test_nothing_done_is_not_started(lan, course, quiz):
    standing = standing_of(lan, course)
    assert (standing.status, standing.lessons_done, standing.lessons_total) == (NOT_STARTED, 0, 3)
    assert standing.last_activity is None and standing.certificate == selectors.NO_CERTIFICATE
    assert [(result.quiz.title, result.used, result.best_score) for result in standing.quizzes] == \
        [("Kiểm tra giữa khóa", 0, None)]


def test_lessons_done_and_last_activity(lan, course, quiz):
    first, second, __ = lessons_of(course)
    complete_lesson(learner=lan, lesson=first)
    record_opened(learner=lan, lesson=second, course=course, opened_before=False)
    standing = standing_of(lan, course)
    assert (standing.status, standing.lessons_done, standing.lessons_total) == (IN_PROGRESS, 1, 3)
    assert standing.lessons_opened == 2 and standing.percent == 33
    assert standing.last_activity == LessonProgress.objects.get(lesson_key=second.translation_key).last_opened_at


def test_best_score_attempts_and_passed(lan, course, quiz):
    hand_in(lan, quiz, wrong=2)
    hand_in(lan, quiz, wrong=0)
    hand_in(lan, quiz, wrong=1)
    result = standing_of(lan, course).quizzes[0]
    assert (result.used, result.best_score, result.passed, result.wrong) == (3, 100, True, 3)


def test_three_wrong_answers_are_not_yet_help_needed_four_are(lan, course, quiz):
    hand_in(lan, quiz, wrong=3)  # every question of the three wrong
    standing = standing_of(lan, course)
    assert (standing.status, standing.quizzes[0].wrong) == (IN_PROGRESS, 3)
    hand_in(lan, quiz, wrong=1)
    standing = standing_of(lan, course)
    assert standing.status == HELP_NEEDED
    assert [(reason.code, reason.count) for reason in standing.reasons] == [(selectors.WRONG_ANSWERS, 4)]
    assert "Kiểm tra giữa khóa" in str(standing.reasons[0])
    hand_in(lan, quiz, wrong=3)
    assert standing_of(lan, course).reasons[0].count == 7


def test_wrong_answers_no_longer_count_once_the_quiz_is_passed(lan, course, quiz):
    hand_in(lan, quiz, wrong=3)
    hand_in(lan, quiz, wrong=2)
    assert standing_of(lan, course).status == HELP_NEEDED
    hand_in(lan, quiz, wrong=0)
    assert standing_of(lan, course).status == IN_PROGRESS


def test_all_attempts_of_the_final_test_used_without_passing(lan, course):
    final = make_quiz(course, title="Bài kiểm tra cuối", is_final=True, max_attempts=2,
                      questions=sample_questions(with_images=False))
    hand_in(lan, final, wrong=1)
    standing = standing_of(lan, course)
    assert standing.status == IN_PROGRESS and standing.final.attempts_left == 1
    hand_in(lan, final, wrong=1)  # two wrong answers in all: below the wrong-answer rule
    standing = standing_of(lan, course)
    assert standing.status == HELP_NEEDED and standing.final.all_attempts_used
    assert [reason.code for reason in standing.reasons] == [selectors.FINAL_ATTEMPTS_USED]


def test_the_final_test_passed_at_the_last_attempt_is_no_help_needed(lan, course):
    final = make_quiz(course, title="Bài kiểm tra cuối", is_final=True, max_attempts=2,
                      questions=sample_questions(with_images=False))
    hand_in(lan, final, wrong=1)
    hand_in(lan, final, wrong=0)
    assert standing_of(lan, course).status == IN_PROGRESS


@pytest.mark.parametrize(("days", "status"), [(13, IN_PROGRESS), (14, HELP_NEEDED), (15, HELP_NEEDED)])
def test_no_activity_for_14_days_with_the_course_unfinished(lan, course, days, status):
    complete_lesson(learner=lan, lesson=lessons_of(course)[0])
    standing = standing_of(lan, course, now=timezone.now() + timedelta(days=days, minutes=1))
    assert standing.status == status
    if status == HELP_NEEDED:
        assert [(reason.code, reason.count) for reason in standing.reasons] == [(selectors.IDLE, days)]


def test_idle_counts_from_the_latest_activity_of_any_kind(lan, course, quiz):
    complete_lesson(learner=lan, lesson=lessons_of(course)[0])
    LessonProgress.objects.update(last_opened_at=timezone.now() - timedelta(days=30))
    Enrollment.objects.update(enrolled_at=timezone.now() - timedelta(days=30))
    assert standing_of(lan, course).status == HELP_NEEDED
    hand_in(lan, quiz, wrong=0)  # a quiz today is activity too
    standing = standing_of(lan, course)
    assert standing.status == IN_PROGRESS and timezone.now() - standing.last_activity < timedelta(minutes=1)


def test_an_enrolment_alone_is_started_and_can_go_idle(lan, course):
    enroll(learner=lan, course=course)
    assert standing_of(lan, course).status == IN_PROGRESS
    assert standing_of(lan, course, now=timezone.now() + timedelta(days=14, minutes=1)).status == HELP_NEEDED


def test_a_finished_course_is_completed_however_long_ago(lan, course):
    for lesson in lessons_of(course):
        complete_lesson(learner=lan, lesson=lesson)
    standing = standing_of(lan, course, now=timezone.now() + timedelta(days=100))
    assert (standing.status, standing.lessons_done, standing.reasons) == (COMPLETED, 3, [])
    assert standing.completed_at == Enrollment.objects.get(learner=lan).completed_at


def _certificate(learner, course, **fields):
    return Certificate.objects.create(serial=f"QN-2026-{learner.pk:06d}", code=f"C{learner.pk:07d}", learner=learner,
                                      course_key=course.translation_key, course_title=course.title,
                                      full_name=learner.full_name, issuer_name="Sở", completed_at=timezone.now(),
                                      **fields)


def test_certificate_states(lan, course, people):
    certificate = _certificate(lan, course)
    assert standing_of(lan, course).certificate == selectors.ISSUED
    Certificate.objects.filter(pk=certificate.pk).update(pdf="2026/x.pdf", pdf_rendered_at=timezone.now())
    assert standing_of(lan, course).certificate == selectors.PDF_READY
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    assert standing_of(lan, course).certificate == selectors.REVOKED


def test_translated_course_shares_progress_and_finds_the_untranslated_quiz(lan, course, quiz):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = course.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    hand_in(lan, quiz, wrong=0)
    standing = standing_of(lan, translated)
    assert [(result.quiz.title, result.passed) for result in standing.quizzes] == [("Kiểm tra giữa khóa", True)]


def test_overall_status_across_courses(lan, course, places):
    other = make_course("Dịch vụ công", lessons=1)
    complete_lesson(learner=lan, lesson=lessons_of(other)[0])
    result = selectors.standings(learners=[lan], courses=[course, other])
    overall = result.overall(lan)
    assert [standing.status for standing in overall.courses] == [NOT_STARTED, COMPLETED]
    assert overall.status == IN_PROGRESS and overall.completed_count == 1
    assert selectors.overall_status([COMPLETED, COMPLETED]) == COMPLETED
    assert selectors.overall_status([NOT_STARTED, NOT_STARTED]) == NOT_STARTED
    assert selectors.overall_status([COMPLETED, HELP_NEEDED, NOT_STARTED]) == HELP_NEEDED


def test_summaries_agree_with_the_standings_for_many_learners_and_courses(places):
    courses = [make_course(f"Khóa {n}", lessons=2) for n in range(3)]
    quizzes = [make_quiz(course, questions=sample_questions(with_images=False), is_final=True, max_attempts=2)
               for course in courses]
    learners = _busy_learners(12, courses, quizzes)
    for learner in learners[1::6]:  # no attempt yet: both attempts at two final tests handed in all wrong
        for quiz in quizzes[:2]:
            hand_in(learner, quiz, wrong=len(right_answers(quiz)))
            hand_in(learner, quiz, wrong=len(right_answers(quiz)))
    for learner in learners[1::4]:
        for lesson in lessons_of(courses[2]):
            complete_lesson(learner=learner, lesson=lesson)
    long_ago = timezone.now() - timedelta(days=20)
    LessonProgress.objects.filter(learner__in=learners[3::5]).update(last_opened_at=long_ago)
    Enrollment.objects.filter(learner__in=learners[3::5]).update(enrolled_at=long_ago)
    later = timezone.now() + timedelta(days=3)
    result = selectors.standings(learners=learners, courses=courses, now=later)
    found = selectors.summaries(learners=learners, courses=courses, now=later)
    statuses = set()
    for learner in learners:
        overall, summary = result.overall(learner), found[learner.pk]
        assert (summary.status, summary.last_activity) == (overall.status, overall.last_activity)
        assert summary.help_needed_in == overall.help_needed_in
        statuses.add(summary.status)
    assert statuses == {HELP_NEEDED, IN_PROGRESS}


def test_summaries_in_a_constant_number_of_queries(places, django_assert_num_queries):
    courses = [make_course(f"Khóa {n}", lessons=2) for n in range(3)]
    quizzes = [make_quiz(course, questions=sample_questions(with_images=False)) for course in courses]
    learners = _busy_learners(20, courses, quizzes)
    with django_assert_num_queries(8):
        selectors.summaries(learners=learners[:2], courses=courses[:1])
    with django_assert_num_queries(8):
        selectors.summaries(learners=learners, courses=courses)


def _busy_learners(count, courses, quizzes):
    learners = [make_user(full_name=f"Học viên {n}") for n in range(count)]
    for number, learner in enumerate(learners):
        for course in courses:
            complete_lesson(learner=learner, lesson=lessons_of(course)[0])
        if number % 2 == 0:
            for quiz in quizzes:
                hand_in(learner, quiz, wrong=number % 3)
    return learners


def test_constant_number_of_queries_whatever_the_learners_and_courses(places):
    courses = [make_course(f"Khóa {n}", lessons=2) for n in range(3)]
    quizzes = [make_quiz(course, questions=sample_questions(with_images=False), is_final=True, max_attempts=3)
               for course in courses]
    learners = _busy_learners(20, courses, quizzes)

    def count(some_learners, some_courses):
        with CaptureQueriesContext(connection) as queries:
            result = selectors.standings(learners=some_learners, courses=some_courses)
            for learner in some_learners:
                result.overall(learner)
        return len(queries)

    small = count(learners[:2], courses[:1])
    assert small <= 8
    assert count(learners, courses) == small
    assert count(learners[:2], courses) == small
    assert count(learners, courses[:1]) == small


def test_constant_queries_checked_by_django_assert_num_queries(places, django_assert_num_queries):
    courses = [make_course(f"Khóa {n}", lessons=2) for n in range(3)]
    quizzes = [make_quiz(course, questions=sample_questions(with_images=False)) for course in courses]
    learners = _busy_learners(20, courses, quizzes)
    with django_assert_num_queries(8):
        selectors.standings(learners=learners[:2], courses=courses[:1])
    with django_assert_num_queries(8):
        selectors.standings(learners=learners, courses=courses)
