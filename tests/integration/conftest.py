"""Integration fixtures: skip unless RUN_INTEGRATION=1, and a real Celery worker process.

`make test` skips everything marked `integration`. With RUN_INTEGRATION=1 the tests need
CELERY_BROKER_URL (and a result backend) pointing at a live Redis; the worker is started once
per session as a subprocess of this pytest run and stopped at the end.

Celery reads the Django settings live (through `config_from_object("django.conf:settings")`),
but two things can hide a settings change: a value set directly on `app.conf` and, for
broker_url / result_backend, the environment variables CELERY_BROKER_URL / CELERY_RESULT_BACKEND,
which Celery's conf properties prefer over any setting. The fixtures below patch all three.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = os.environ.get("RUN_INTEGRATION") == "1"
WORKER_START_TIMEOUT = 60


def pytest_collection_modifyitems(config, items):
    if INTEGRATION:
        return
    skip = pytest.mark.skip(reason="integration test: set RUN_INTEGRATION=1 (needs Redis + worker)")
    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(skip)


def _require_broker() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        pytest.fail("RUN_INTEGRATION=1 needs CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/14)")
    return url


def _worker_database_url() -> str | None:
    """The URL of the test database pytest-django created, so tasks see the tests' data."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if connection.vendor != "postgresql" or not url:
        return url or None  # SQLite test databases live in memory: nothing to share
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class WorkerProcess:
    def __init__(self, proc: subprocess.Popen, name: str, sms_file: Path, log_file: Path, mail_dir: Path):
        self.proc = proc
        self.name = name
        self.sms_file = sms_file
        self.log_file = log_file
        self.mail_dir = mail_dir  # one file per mail the worker sent

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")[-5000:]


def _set_conf(app, key, value, saved):
    saved.append((key, key in app.conf.changes, app.conf.changes.get(key)))
    app.conf[key] = value


def _restore_conf(app, saved):
    for key, existed, value in reversed(saved):
        if existed:
            app.conf.changes[key] = value
        else:
            app.conf.changes.pop(key, None)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real `celery -A cms worker` (solo pool) consuming the `celery` queue over the broker."""
    if not INTEGRATION:
        pytest.skip("RUN_INTEGRATION=1 not set")
    _require_broker()
    from cms.celery import app

    workdir = tmp_path_factory.mktemp("celery-worker")
    sms_file = workdir / "sms.jsonl"
    log_file = workdir / "worker.log"
    mail_dir = workdir / "mail"
    name = f"integration-{uuid.uuid4().hex[:8]}@localhost"

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        SMS_BACKEND="accounts.sms.FileBackend",
        SMS_FILE_PATH=str(sms_file),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        CELERY_EAGER="0",
        PYTHONUNBUFFERED="1",
    )
    with django_db_blocker.unblock():
        database_url = _worker_database_url()
    if database_url:
        env["DATABASE_URL"] = database_url
    env["EMAIL_FILE_PATH"] = str(mail_dir)

    # Messages left in the queue by an earlier, interrupted run would run first: drop them.
    app.control.purge()

    cmd = [
        sys.executable, "-m", "celery", "-A", "cms", "worker",
        "--pool=solo", "--concurrency=1", "-Q", "celery", "-n", name,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with open(log_file, "wb") as log:
        proc = subprocess.Popen(  # noqa: S603
            cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    worker = WorkerProcess(proc, name, sms_file, log_file, mail_dir)
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"celery worker exited with {proc.returncode}:\n{worker.log()}")
            if app.control.ping(destination=[name], timeout=1.0):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"celery worker did not answer ping in {WORKER_START_TIMEOUT}s:\n"
                            f"{worker.log()}")
            time.sleep(0.5)
        yield worker
    finally:
        proc.terminate()  # SIGTERM: warm shutdown
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture
def celery_worker(celery_worker_process, settings):
    """The session's worker, with `.delay()` publishing to it instead of running in-process."""
    from cms.celery import app

    saved = []
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _set_conf(app, "task_always_eager", False, saved)
    try:
        yield celery_worker_process
    finally:
        _restore_conf(app, saved)


@pytest.fixture
def live_broker_url():
    """The live broker of this run (CELERY_BROKER_URL); fails loudly if it is not set."""
    if not INTEGRATION:
        pytest.skip("RUN_INTEGRATION=1 not set")
    return _require_broker()


@pytest.fixture
def point_broker_at(settings, monkeypatch):
    """Point Django settings, the Celery conf and the environment at another broker URL."""
    from cms.celery import app

    saved = []

    def point(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery prefers it over app.conf
        _set_conf(app, "broker_url", url, saved)
        assert app.conf.broker_write_url == url

    try:
        yield point
    finally:
        _restore_conf(app, saved)
