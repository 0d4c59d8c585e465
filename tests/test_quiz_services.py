"""Quiz services: the draw is reproducible, grading holds to what the learner saw, languages share attempts."""

import pytest
from wagtail.models import Locale

from courses.models import Enrollment
from courses.services import complete_lesson
from quizzes import services
from quizzes.grading import draw
from quizzes.models import QuizAttempt, QuizPage
from quizzes.selectors import attempt_questions, course_quizzes
from quizzes.testing import make_quiz, right_answers, sample_questions, wrong_answers
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan(people):
    return people["lan"]


def test_draw_n_questions_reproducible_from_the_seed(lan, places):
    questions = sample_questions(with_images=False) * 3  # nine questions
    quiz = make_quiz(make_course(lessons=1), questions=questions, draw_count=4, shuffle_choices=True)
    attempt, created = services.start_attempt(learner=lan, quiz=quiz)
    assert created and len(attempt.question_ids) == 4
    assert draw(quiz.question_keys(), seed=attempt.seed, count=4, shuffle=True) == \
        (attempt.question_ids, attempt.choice_order)
    assert set(attempt.answer_key) == set(attempt.question_ids)
    shown = attempt_questions(attempt, reveal=False)
    assert [question.id for question in shown] == attempt.question_ids
    assert [[choice.id for choice in question.choices] for question in shown] == \
        [attempt.choice_order[question_id] for question_id in attempt.question_ids]
    assert all(choice.is_correct is None for question in shown for choice in question.choices)
    with pytest.raises(ValueError, match="handed in"):
        attempt_questions(attempt, reveal=True)
    # Only the drawn questions are asked: answering them all is a complete submission.
    answers = {key: value for key, value in right_answers(quiz).items() if key in attempt.question_ids}
    submission = services.submit_attempt(learner=lan, attempt_id=attempt.pk, answers=answers)
    assert submission.attempt.score == 100


def test_an_edit_after_start_does_not_change_the_grade(lan, places):
    quiz = make_quiz(make_course(lessons=1))
    attempt, __ = services.start_attempt(learner=lan, quiz=quiz)
    answers = right_answers(quiz)
    # The editor changes which answer of the first question is right, and publishes.
    first = quiz.questions[0]
    for choice in first.value["choices"]:
        choice["is_correct"] = not choice["is_correct"]
    quiz.save_revision().publish()
    edited = QuizPage.objects.get(pk=quiz.pk)
    assert right_answers(edited) != answers
    submission = services.submit_attempt(learner=lan, attempt_id=attempt.pk, answers=answers)
    assert submission.attempt.score == 100
    # The result shows the quiz as it was when the attempt started.
    shown = attempt_questions(submission.attempt, reveal=True)
    assert shown[0].right_choices[0].id == answers[shown[0].id][0]


def test_languages_share_attempts_and_the_final_test(lan, places):
    course = make_course(lessons=1)
    quiz = make_quiz(course, is_final=True, max_attempts=1)
    english = Locale.objects.create(language_code="en")
    for page in (course.get_parent().get_parent(), course.get_parent(), course):
        page.copy_for_translation(english).save_revision().publish()
    quiz_en = quiz.copy_for_translation(english)
    quiz_en.save_revision().publish()
    quiz_en = QuizPage.objects.get(pk=quiz_en.pk)
    assert quiz_en.translation_key == quiz.translation_key
    assert [key.id for key in quiz_en.question_keys()] == [key.id for key in quiz.question_keys()]

    attempt, __ = services.start_attempt(learner=lan, quiz=quiz_en)
    services.submit_attempt(learner=lan, attempt_id=attempt.pk, answers=right_answers(quiz_en))
    with pytest.raises(services.NoAttemptsLeft):
        services.start_attempt(learner=lan, quiz=quiz)  # the one attempt was used, in English
    assert services.final_quiz_passed(learner=lan, course=course)
    complete_lesson(learner=lan, lesson=lessons_of(course)[0])
    assert Enrollment.objects.get(learner=lan).completed_at is not None


def test_the_final_test_in_one_language_counts_for_the_other(lan, places):
    course = make_course(lessons=1)
    make_quiz(course, is_final=True)
    english = Locale.objects.create(language_code="en")
    for page in (course.get_parent().get_parent(), course.get_parent(), course):
        page.copy_for_translation(english).save_revision().publish()
    course_en = course.get_translation(english)
    # The English course has no final test of its own, but its Vietnamese version does.
    assert not services.final_quiz_passed(learner=lan, course=course_en)


def test_a_simultaneous_start_gets_the_same_attempt(lan, places, monkeypatch):
    quiz = make_quiz(make_course(lessons=1))
    existing, __ = services.start_attempt(learner=lan, quiz=quiz)
    # As if another request created its attempt between our check and our insert.
    from quizzes import selectors

    real = selectors.standing

    def stale_standing(**kwargs):
        standing = real(**kwargs)
        standing.open_attempt_id = None
        return standing

    monkeypatch.setattr(selectors, "standing", stale_standing)
    attempt, created = services.start_attempt(learner=lan, quiz=quiz)
    assert not created and attempt.pk == existing.pk
    assert QuizAttempt.objects.count() == 1


def test_submit_refuses_a_malformed_attempt_id(lan):
    with pytest.raises(services.AttemptNotFound):
        services.submit_attempt(learner=lan, attempt_id="not-a-uuid", answers={})


def test_wrong_answers_fail_and_are_stored_in_the_attempts_order(lan, places):
    quiz = make_quiz(make_course(lessons=1), shuffle_choices=True)
    attempt, __ = services.start_attempt(learner=lan, quiz=quiz)
    answers = {key: list(reversed(value)) for key, value in right_answers(quiz).items()}
    submission = services.submit_attempt(learner=lan, attempt_id=attempt.pk, answers=answers)
    for answer in submission.attempt.answers.all():
        order = attempt.choice_order[answer.question_id]
        assert answer.choice_ids == sorted(answer.choice_ids, key=order.index)
    second, __ = services.start_attempt(learner=lan, quiz=quiz)
    failed = services.submit_attempt(learner=lan, attempt_id=second.pk, answers=wrong_answers(quiz))
    assert (failed.attempt.score, failed.attempt.passed) == (0, False)


def test_a_translated_course_shows_its_final_test_before_it_is_translated(lan, places):
    course = make_course(lessons=1)
    quiz = make_quiz(course, is_final=True)
    english = Locale.objects.create(language_code="en")
    for page in (course.get_parent().get_parent(), course.get_parent(), course):
        page.copy_for_translation(english).save_revision().publish()
    course_en = course.get_translation(english)
    [standing] = course_quizzes(course=course_en, learner=lan)
    assert standing.quiz.pk == quiz.pk  # the Vietnamese test, rather than none
    quiz_en = quiz.copy_for_translation(english)
    quiz_en.save_revision().publish()
    [standing] = course_quizzes(course=course_en, learner=lan)
    assert standing.quiz.pk == quiz_en.pk
    [standing] = course_quizzes(course=course, learner=lan)
    assert standing.quiz.pk == quiz.pk
