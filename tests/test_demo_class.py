"""The demo class shows the trainer every state a member can be in, and seeding it twice changes nothing."""

import pytest

from attendance import selectors as attendance
from cohorts.models import Cohort
from courses.demo import SCAM_SLUG, VNEID_SLUG
from demo.classes import seed_class
from progress import selectors as progress
from quizzes.demo import build_demo_quizzes
from tests.conftest import make_user
from tests.courses_factory import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_the_demo_class_has_a_member_in_every_state(places, media, django_capture_on_commit_callbacks):
    from demo.management.commands.seed_demo import Command

    make_course("Lừa đảo", lessons=2, slug=SCAM_SLUG)
    make_course("VNeID", lessons=3, slug=VNEID_SLUG)
    build_demo_quizzes()
    make_user(username="demo-lan", full_name="Nguyễn Thị Lan", commune=places["ha_long"])
    make_user(username="demo-hung", full_name="Trần Văn Hùng", commune=places["ha_long"])
    trainer = make_user(username="demo-trainer", full_name="Vũ Quang Minh")
    trainer.trainer_communes.add(places["ha_long"])
    for _ in range(2):  # prepare_site runs it on every start
        with django_capture_on_commit_callbacks(execute=True):
            Command().seed_progress()
            seed_class(trainer=trainer, scams_slug=SCAM_SLUG, vneid_slug=VNEID_SLUG, password="x")
    cohort = Cohort.objects.get()
    assert cohort.memberships.count() == 6 and cohort.sessions.count() == 6

    report = progress.cohort_report(cohort=cohort, viewer=trainer)
    status = {learner.username: overall.status for learner, overall in report.overview()}
    assert status["demo-sau"] == status["demo-tam"] == progress.HELP_NEEDED
    assert status["demo-bay"] == progress.NOT_STARTED
    assert status["demo-hung"] == status["demo-chin"] == progress.IN_PROGRESS
    reasons = {learner.username: {reason.code for standing in overall.courses for reason in standing.reasons}
               for learner, overall in report.overview()}
    assert progress.WRONG_ANSWERS in reasons["demo-sau"] and progress.IDLE in reasons["demo-tam"]
    scams = next(course for course in report.courses if course.slug == SCAM_SLUG)
    lan = next(learner for learner in report.members if learner.username == "demo-lan")
    assert report.standings.of(lan, scams).status == progress.COMPLETED
    assert [row.learner.username for row in attendance.report(cohort).rows if row.flagged] == ["demo-tam"]
    minor = next(learner for learner in report.members if learner.username == "demo-chin")
    assert minor.guardian.relationship == "bà nội" and minor.consents.filter(method="guardian").exists()
