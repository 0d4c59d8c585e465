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


def test_demo_progress_gives_lan_a_certificate_and_hung_half_a_course(places, media,
                                                                      django_capture_on_commit_callbacks):
    from accounts.services import record_consents
    from certificates.models import Certificate
    from courses.models import LessonProgress
    from demo.management.commands.seed_demo import Command
    from quizzes.models import QuizAttempt
    from tests.conftest import make_user

    make_course("Lừa đảo", lessons=2, slug=SCAM_SLUG)
    make_course("VNeID", lessons=3, slug=VNEID_SLUG)
    build_demo_quizzes()
    lan = make_user(username="demo-lan", full_name="Nguyễn Thị Lan", commune=places["ha_long"])
    hung = make_user(username="demo-hung", full_name="Trần Văn Hùng", commune=places["ha_long"])
    record_consents(user=lan, purposes=["learning", "certification"], method="trainer", recorded_by=None)
    for _ in range(2):  # prepare_site runs it on every start: nothing is repeated
        with django_capture_on_commit_callbacks(execute=True):
            Command().seed_progress()
    certificate = Certificate.objects.get(learner=lan)
    assert certificate.pdf and certificate.full_name == "Nguyễn Thị Lan"
    assert QuizAttempt.objects.filter(learner=lan).count() == 1
    assert LessonProgress.objects.filter(learner=hung, completed_at__isnull=False).count() == 2
    assert not Certificate.objects.filter(learner=hung).exists()
