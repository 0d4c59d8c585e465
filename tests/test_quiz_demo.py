"""The demo final tests: 8-10 Vietnamese questions of every kind, valid, pictures drawn, built once."""

import pytest
from django.test import Client, override_settings

from courses.demo import SCAM_SLUG, VNEID_SLUG
from quizzes.demo import build_demo_quizzes
from quizzes.grading import KINDS
from quizzes.models import QuizPage
from tests.courses_factory import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield


def test_each_demo_course_gets_a_final_quiz_once(places, media):
    assert build_demo_quizzes() == []  # no demo course yet: nothing to do
    scams = make_course("Lừa đảo", lessons=1, slug=SCAM_SLUG)
    vneid = make_course("VNeID", lessons=1, slug=VNEID_SLUG)
    quizzes = build_demo_quizzes()
    assert [quiz.get_parent().pk for quiz in quizzes] == [scams.pk, vneid.pk]
    for quiz in quizzes:
        quiz = QuizPage.objects.get(pk=quiz.pk)
        assert quiz.live and quiz.is_final
        assert 8 <= len(quiz.questions) <= 10
        assert {child.value["kind"] for child in quiz.questions} == KINDS
        for child in quiz.questions:
            child.block.clean(child.value)  # every question passes the editors' checks
            if child.value["kind"] == "image":
                assert all(choice["image"] for choice in child.value["choices"])
        assert Client().get(quiz.url).status_code == 200
    again = build_demo_quizzes()
    assert [quiz.pk for quiz in again] == [quiz.pk for quiz in quizzes]
    assert QuizPage.objects.count() == 2
