"""A course re-render runs in slices shorter than the broker's visibility timeout; a slice handed out twice
(its worker died before acknowledging it) renders nothing twice and counts nothing twice."""

from unittest import mock

import pytest

from accounts.services import record_consents
from certificates import services
from certificates.models import Certificate
from certificates.tasks import render_course_job
from courses import services as course_services
from tests.conftest import make_user
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificates(people, django_capture_on_commit_callbacks):
    course = make_course("Phòng tránh lừa đảo trực tuyến", lessons=1)
    for name in ("lan", "mai", "hoa"):
        record_consents(user=people[name], purposes=["certification"], method="online", recorded_by=None)
        with django_capture_on_commit_callbacks(execute=True):
            course_services.complete_lesson(learner=people[name], lesson=lessons_of(course)[0])
    return list(Certificate.objects.order_by("pk"))


def new_job(certificates, capture):
    # A superuser's job covers every certificate of the course (a staff member's, only their area).
    admin = make_user(username="admin", email="admin@example.org", is_staff=True, is_superuser=True)
    with capture():  # the job's first slice is queued on commit: run by hand below
        return services.start_course_rerender(course_key=certificates[0].course_key,
                                              course_title=certificates[0].course_title, requested_by=admin)


def run_slice(job, after, capture):
    """One slice as a worker runs it; returns the job and what it queued next."""
    with mock.patch.object(render_course_job, "delay") as queued, capture(execute=True):
        job = services.run_render_job(job_id=job.pk, after=after)
    return job, [call.args for call in queued.call_args_list]


def test_each_slice_queues_the_rest_and_a_repeated_slice_skips_what_is_rendered(
        certificates, settings, django_capture_on_commit_callbacks):
    settings.CERTIFICATES_RENDER_SLICE_SECONDS = 0  # one certificate per slice
    first, second, third = certificates
    job = new_job(certificates, django_capture_on_commit_callbacks)

    job, queued = run_slice(job, 0, django_capture_on_commit_callbacks)
    assert queued == [(job.pk, first.pk)]
    assert (job.total, job.done, job.failed, job.finished_at) == (3, 1, 0, None)
    first.refresh_from_db()
    rendered_at = first.pdf_rendered_at
    assert rendered_at >= job.started_at

    # The first slice again, as the broker redelivers it: the first certificate is not rendered again.
    job, queued = run_slice(job, 0, django_capture_on_commit_callbacks)
    assert queued == [(job.pk, second.pk)]
    first.refresh_from_db()
    assert first.pdf_rendered_at == rendered_at
    assert (job.done, job.failed) == (2, 0)

    job, queued = run_slice(job, second.pk, django_capture_on_commit_callbacks)
    assert queued == []
    assert (job.total, job.done, job.failed) == (3, 3, 0) and job.finished_at is not None
    job, queued = run_slice(job, second.pk, django_capture_on_commit_callbacks)  # the last one again
    assert queued == [] and (job.total, job.done, job.failed) == (3, 3, 0)


def test_the_slices_follow_each_other_to_the_end(certificates, settings, django_capture_on_commit_callbacks):
    settings.CERTIFICATES_RENDER_SLICE_SECONDS = 0
    admin = make_user(username="admin", email="admin@example.org", is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):  # tasks run in-process: each slice runs the next
        job = services.start_course_rerender(course_key=certificates[0].course_key,
                                              course_title=certificates[0].course_title, requested_by=admin)
    job.refresh_from_db()
    assert (job.total, job.done, job.failed) == (3, 3, 0) and job.finished_at is not None
    assert all(certificate.pdf_rendered_at >= job.started_at for certificate in Certificate.objects.all())
