"""A render lost with its worker is redelivered by the broker within the configured bound, not after an hour:
a whole worker killed with `kill -9` (main process and pool), and only its pool process killed."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection

from accounts.services import record_consents
from certificates.models import Certificate
from certificates.tasks import render_certificate
from courses import services as course_services
from tests.courses_factory import lessons_of, make_course
from tests.integration.waiting import wait_for

from .conftest import REPO_ROOT, WORKER_START_TIMEOUT, _worker_database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Short, through the same settings production reads (cms/settings/base.py): a message handed out this long ago
# and not acknowledged is restored by the next sweep of a live worker.
VISIBILITY_TIMEOUT = 6
RESTORE_SECONDS = 1

# A worker whose first render (of all its processes) hangs after writing a marker file, so that the test can kill
# it there; the renders after it run normally. Test-only: it wraps the renderer in this bootstrap alone.
BOOTSTRAP = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from certificates import pdf

real_render = pdf.render

def render_once_slowly(data, **options):
    marker = Path(os.environ["LOST_MARKER"])
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        time.sleep(300)
    return real_render(data, **options)

pdf.render = render_once_slowly
from celery.__main__ import main
sys.argv = ["celery", "-A", "cms", "worker", "--pool=prefork", "--concurrency=1", "-Q", os.environ["LOST_QUEUE"],
            "-n", os.environ["LOST_NAME"], "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel=INFO"]
sys.exit(main())
"""


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker processes must see the test database (DATABASE_URL=postgres://…)")


class Workers:
    """Start prefork workers on one queue of their own, each in its own process group; kill them all at the end."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.queue = f"worker-lost-{uuid.uuid4().hex[:8]}"
        self.marker = tmp_path / "rendering"
        self.started: list[subprocess.Popen] = []

    def start(self, **env) -> subprocess.Popen:
        from cms.celery import app

        name = f"lost-{len(self.started)}-{uuid.uuid4().hex[:6]}@localhost"
        log_file = self.tmp_path / f"{name}.log"
        environment = dict(
            os.environ, DJANGO_SETTINGS_MODULE="cms.settings.test", CELERY_EAGER="0", PYTHONUNBUFFERED="1",
            DATABASE_URL=_worker_database_url(), LOST_MARKER=str(self.marker), LOST_QUEUE=self.queue, LOST_NAME=name,
            **env)
        with open(log_file, "wb") as log:
            proc = subprocess.Popen([sys.executable, "-c", BOOTSTRAP], cwd=REPO_ROOT, env=environment, stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        proc.log = lambda: log_file.read_text(errors="replace")[-4000:]
        self.started.append(proc)
        wait_for(lambda: proc.poll() is not None or app.control.ping(destination=[name], timeout=1.0),
                 timeout=WORKER_START_TIMEOUT, what=f"worker {name}", log=proc.log)
        assert proc.poll() is None, proc.log()
        return proc

    def logs(self) -> str:
        return "\n".join(proc.log() for proc in self.started)

    def kill_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)  # the group this fixture started: main process and pool
                proc.wait(timeout=10)


@pytest.fixture
def workers(celery_worker, tmp_path):
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.kill_all()


def pool_children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.fixture
def certificate(people):
    lan = people["lan"]
    record_consents(user=lan, purposes=["certification"], method="online", recorded_by=None)
    course = make_course("Phòng tránh lừa đảo", lessons=1)
    with mock.patch.object(render_certificate, "delay"):  # issued now; the test sends the render itself
        course_services.complete_lesson(learner=lan, lesson=lessons_of(course)[0])
    return Certificate.objects.get(learner=lan)


def rendered(certificate):
    certificate.refresh_from_db()
    return certificate.pdf_rendered_at


def test_a_render_lost_with_its_whole_worker_is_redelivered_to_a_fresh_worker_within_the_bound(
        workers, certificate):
    short = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
             "CELERY_UNACKED_RESTORE_SECONDS": str(RESTORE_SECONDS)}
    doomed = workers.start(**short)
    render_certificate.apply_async((certificate.pk,), queue=workers.queue)
    wait_for(workers.marker.exists, timeout=30, what="the render to start", log=workers.logs)
    handed_out = time.monotonic()
    os.killpg(doomed.pid, signal.SIGKILL)  # main process and pool process at once: nobody is left to give it back
    doomed.wait(timeout=10)
    assert rendered(certificate) is None

    workers.start(**short)
    # Handed out, never acknowledged: back in the queue once the visibility timeout has passed, at the next sweep
    # (one at the worker's start, then every RESTORE_SECONDS), plus the render itself.
    wait_for(lambda: rendered(certificate), timeout=VISIBILITY_TIMEOUT + RESTORE_SECONDS + 20,
             what="the fresh worker to render the lost certificate", log=workers.logs)
    assert time.monotonic() - handed_out >= VISIBILITY_TIMEOUT  # the broker's redelivery, not a lucky retry
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_render_whose_pool_process_is_killed_is_redelivered_at_once(workers, certificate):
    worker = workers.start()  # the default visibility timeout (minutes): only the worker itself can requeue it
    render_certificate.apply_async((certificate.pk,), queue=workers.queue)
    wait_for(workers.marker.exists, timeout=30, what="the render to start", log=workers.logs)
    child = int(workers.marker.read_text())
    assert child in pool_children(worker.pid)
    killed = time.monotonic()
    os.kill(child, signal.SIGKILL)  # only the pool process: the main process sees it lost and rejects the task
    wait_for(lambda: rendered(certificate), timeout=30, what="the worker to render it again in a new pool process",
             log=workers.logs)
    assert time.monotonic() - killed < 30
    assert worker.poll() is None
