"""The statistics rollup with a real Celery worker on Redis and PostgreSQL: the beat entries name tasks the worker
runs, and two runs at the same time give the figures of one."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cms.celery import app
from reports import services
from reports.models import RollupState
from tests.integration.waiting import wait_for
from tests.test_statistics import COURSE_A, D0, active, data, enrol, programme, summary_snapshot  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a SQLite test database lives in this process's memory, "
                    "so a worker process cannot see it (set DATABASE_URL=postgres://…)")


def beat_task(entry: str) -> str:
    return settings.CELERY_BEAT_SCHEDULE[entry]["task"]


def send(entry: str, **kwargs):
    """What beat does: send the task by the name in the schedule."""
    return app.send_task(beat_task(entry), kwargs=kwargs)


def runs() -> int:
    state = RollupState.objects.filter(name=services.STATE).first()
    return state.runs if state else 0


def test_the_worker_runs_the_beat_tasks(celery_worker, data):  # noqa: F811 (the fixture imported above)
    result = send("reports-roll-up")
    assert result.get(timeout=60) == {"full": True, "days": 0, "activity_folded": 0}
    figures = summary_snapshot()
    assert figures  # the data set's days are there
    enrol(data["tam"], COURSE_A, timezone.now())
    active(data["tam"], timezone.localdate())
    assert send("reports-roll-up").get(timeout=60) == {"full": False, "days": 1, "activity_folded": 1}
    assert send("reports-reconcile").get(timeout=60) == {"days": settings.STATS_RECONCILE_DAYS}
    after = summary_snapshot()
    services.roll_up(full=True)
    assert summary_snapshot() == after != figures


def waiting_for_the_rollup_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s",
                       [services.LOCK_KEY & 0xFFFFFFFF])
        return cursor.fetchone()[0] > 0


def test_two_runs_at_once_give_the_figures_of_one(celery_worker, data):  # noqa: F811 (the fixture imported above)
    services.roll_up()
    enrol(data["tam"], COURSE_A, timezone.now(), completed=timezone.now())
    active(data["tam"], timezone.localdate())
    active(data["mai"], D0 + timedelta(days=9))
    before = runs()
    # A run in this process holds the lock while the worker's run starts and has to wait for it.
    with transaction.atomic():
        services._lock()
        queued = send("reports-roll-up")
        wait_for(waiting_for_the_rollup_lock, what="the worker's run to wait for the lock", log=celery_worker.log)
        mine = services.roll_up()
    theirs = queued.get(timeout=60)
    assert runs() == before + 2
    assert mine.activity_folded == 2 and theirs["activity_folded"] == 0  # the second found nothing new
    together = summary_snapshot()
    services.roll_up(full=True)
    assert summary_snapshot() == together


def test_parallel_runs_from_two_processes(celery_worker, data):  # noqa: F811 (the fixture imported above)
    """Without any help from the test: the worker's run and one here, started together, on a day of changes."""
    services.roll_up()
    for day in range(3):
        active(data["tuan"], timezone.localdate() - timedelta(days=day))
    enrol(data["tam"], COURSE_A, timezone.now())
    queued = send("reports-roll-up")
    here = threading.Thread(target=lambda: (services.roll_up(), connection.close()))
    here.start()
    here.join(timeout=60)
    queued.get(timeout=60)
    together = summary_snapshot()
    services.roll_up(full=True)
    assert summary_snapshot() == together
