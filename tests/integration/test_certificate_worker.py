"""Certificates with a real Celery worker on Redis and PostgreSQL: end to end, a worker killed mid-render,
and two simultaneous issuers."""

import os
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection, transaction

from accounts.services import record_consents
from certificates import services
from certificates.models import Certificate, CertificateSequence
from certificates.tasks import render_certificate, sweep_missing_pdfs
from courses import services as course_services
from tests.courses_factory import lessons_of, make_course
from tests.integration.waiting import wait_for

from .conftest import REPO_ROOT, WORKER_START_TIMEOUT, _worker_database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

KILL_QUEUE = "certificates-kill-test"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a SQLite test database lives in this process's memory, "
                    "so a worker process cannot see it (set DATABASE_URL=postgres://…)")


def pdf_files(certificate) -> list[str]:
    folder = Path(certificate.pdf.storage.path(certificate.pdf_name())).parent
    return sorted(path.name for path in folder.glob(f"{certificate.serial}*")) if folder.exists() else []


def finish_course(learner, course):
    for lesson in lessons_of(course):
        course_services.complete_lesson(learner=learner, lesson=lesson)  # each call commits


def test_end_to_end_the_worker_renders_the_pdf(celery_worker, people):
    lan = people["lan"]
    record_consents(user=lan, purposes=["certification"], method="online", recorded_by=None)
    course = make_course("Thanh toán không dùng tiền mặt", lessons=2)
    finish_course(lan, course)  # the receiver issues; on commit the render goes to the worker

    def rendered():
        certificate = Certificate.objects.filter(learner=lan).first()
        return certificate if certificate and certificate.pdf_rendered_at else None

    certificate = wait_for(rendered, what="the worker to render the PDF", log=celery_worker.log)
    assert Certificate.objects.filter(learner=lan).count() == 1
    assert pdf_files(certificate) == [f"{certificate.serial}.pdf"]
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


BOOTSTRAP = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from certificates import pdf, storage

real_render = pdf.render

def slow_render(data, **options):
    content = real_render(data, **options)
    # Half a file where the PDF goes, as a write cut short would leave it; then wait to be killed.
    target = Path(storage.certificate_storage().path(f"{data.serial.split('-')[1]}/{data.serial}.pdf"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content[: len(content) // 2])
    Path(os.environ["CERT_KILL_MARKER"]).write_text("rendering")
    time.sleep(300)
    return content

pdf.render = slow_render
from celery.__main__ import main
sys.argv = ["celery", "-A", "cms", "worker", "--pool=solo", "--concurrency=1", "-Q", os.environ["CERT_KILL_QUEUE"],
            "-n", os.environ["CERT_KILL_NAME"], "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel=INFO"]
sys.exit(main())
"""


@pytest.fixture
def killable_worker(celery_worker, tmp_path):
    """A second worker on its own queue whose renders hang half-way, so the test can kill it there."""
    from cms.celery import app

    name = f"killable-{uuid.uuid4().hex[:8]}@localhost"
    marker = tmp_path / "rendering"
    log_file = tmp_path / "killable.log"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.test", CELERY_EAGER="0", PYTHONUNBUFFERED="1",
               CERT_KILL_MARKER=str(marker), CERT_KILL_QUEUE=KILL_QUEUE, CERT_KILL_NAME=name)
    env["DATABASE_URL"] = _worker_database_url()
    with open(log_file, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-c", BOOTSTRAP], cwd=REPO_ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    proc.marker, proc.log = marker, lambda: log_file.read_text(errors="replace")[-5000:]
    try:
        wait_for(lambda: proc.poll() is not None or app.control.ping(destination=[name], timeout=1.0),
                 timeout=WORKER_START_TIMEOUT, what="the killable worker", log=proc.log)
        assert proc.poll() is None, proc.log()
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_a_worker_killed_mid_render_still_ends_with_one_certificate_and_one_pdf(
        celery_worker, killable_worker, people):
    lan = people["lan"]
    record_consents(user=lan, purposes=["certification"], method="online", recorded_by=None)
    course = make_course("Phòng tránh lừa đảo", lessons=1)
    with mock.patch.object(render_certificate, "delay"):  # issue now, send the render ourselves below
        finish_course(lan, course)
    certificate = Certificate.objects.get(learner=lan)

    render_certificate.apply_async((certificate.pk,), queue=KILL_QUEUE)
    wait_for(killable_worker.marker.exists, what="the render to start", log=killable_worker.log)
    killable_worker.send_signal(signal.SIGKILL)  # no warm shutdown: the machine lost power
    killable_worker.wait(timeout=10)

    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at is None
    assert pdf_files(certificate) == [f"{certificate.serial}.pdf"]  # half a file

    # The beat sweeper finds it (0 minutes here instead of 10) and the healthy worker renders it.
    assert sweep_missing_pdfs(older_than_minutes=0) == 1

    def rendered():
        certificate.refresh_from_db()
        return certificate.pdf_rendered_at

    first = wait_for(rendered, what="the healthy worker to render", log=celery_worker.log)
    # The broker may also redeliver the killed worker's message later (acks_late): harmless.
    render_certificate.delay(certificate.pk).get(timeout=60)
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at > first
    assert Certificate.objects.filter(learner=lan).count() == 1
    assert pdf_files(certificate) == [f"{certificate.serial}.pdf"]
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")


def test_two_simultaneous_issuers_make_one_certificate(people):
    lan = people["lan"]
    record_consents(user=lan, purposes=["certification"], method="online", recorded_by=None)
    course = make_course("Trí tuệ nhân tạo cơ bản", lessons=1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results.append(services.issue_certificate(learner=lan, course=course))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(render_certificate, "delay"):
        threads = [threading.Thread(target=issue) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors, errors
    assert sorted(created for _, created in results) == [False, True]
    assert len({certificate.pk for certificate, _ in results}) == 1
    assert Certificate.objects.filter(learner=lan).count() == 1
    assert CertificateSequence.objects.get().last == 1  # the loser's number was rolled back: no gap
