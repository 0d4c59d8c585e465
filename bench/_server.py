"""A throw-away copy of the site run the way `make run` runs it, for the benchmarks under bench/.

`DevSite` makes a temporary SQLite database and media folder, runs `manage.py prepare_site` with
the dev settings (DEBUG on, so the demo accounts and demo courses are created), serves the site
with `manage.py runserver 127.0.0.1:<free port>` and stops it again. Only 127.0.0.1 is used.

Run as a script inside such a site (DevSite.python does it), this file also answers questions
that need Django: which lessons there are (--describe) and how long the server takes to render a
lesson in-process (--server-time).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# What a bench must not inherit: it always runs on its own SQLite file, tasks in-process.
DROPPED_ENV = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DEBUG",
               "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "SMS_FILE_PATH",
               "SMS_BACKEND"}
DEMO_PASSWORD = "hocvuso2025"  # noqa: S105 - seed_demo's password for its demo accounts
DEMO_RESIDENTS = ["+84912000101", "+84912000102", "+84912000103", "+84912000104"]


def wait_for_gunicorn(server: subprocess.Popen, port: int, log: Path, timeout: float = 60) -> None:
    """Until the server answers /healthz with 200; its log in the error when it stops or never answers."""
    import http.client

    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + log.read_text(errors="replace"))
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s") from None
            time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DevSite:
    """prepare_site + runserver on a temporary database; use as a context manager."""

    def __init__(self, *, log=print):
        self.log = log
        self.tmp = Path(tempfile.mkdtemp(prefix="bdhvs-bench-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None
        self.env = {key: value for key, value in os.environ.items() if key not in DROPPED_ENV}
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": f"sqlite:///{self.tmp / 'db.sqlite3'}",
            "MEDIA_ROOT": str(self.tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.tmp / "private"),
            "SMS_FILE_PATH": str(self.tmp / "sms.jsonl"),
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHONUNBUFFERED": "1",
        })

    def __enter__(self) -> DevSite:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def manage(self, *args: str, timeout: float = 300, **env: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=REPO_ROOT, env={**self.env, **env}, capture_output=True,
            text=True, timeout=timeout, check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def python(self, *args: str, timeout: float = 300, **env: str) -> dict:
        """Run this file as a script inside the site; it prints one JSON object last."""
        result = subprocess.run(
            [PYTHON, __file__, *args], cwd=REPO_ROOT, env={**self.env, **env}, capture_output=True,
            text=True, timeout=timeout, check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{Path(__file__).name} {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def prepare(self) -> None:
        started = time.monotonic()
        self.manage("prepare_site")
        self.log(f"prepare_site (dev settings, DEBUG on) in {time.monotonic() - started:.1f} s, database {self.tmp}")

    def start(self, timeout: float = 60) -> None:
        # The same command as `make run`; --noreload only keeps it one process we can stop.
        with open(self.tmp / "server.log", "wb") as log:
            self.server = subprocess.Popen(
                [PYTHON, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
                cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError("runserver stopped:\n" + (self.tmp / "server.log").read_text(errors="replace"))
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        self.log(f"runserver (dev settings) listening at {self.url}")
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"runserver did not answer within {timeout} s")

    def stop(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        os.killpg(self.server.pid, signal.SIGTERM)  # its own process group, started above
        try:
            self.server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(10)


# --------------------------------------------------------------------------- inside the site

def _setup_django() -> None:
    import django

    django.setup()


def describe() -> dict:
    """The demo courses' lessons in order, as prepare_site made them (seed_demo builds them with DEBUG on)."""
    _setup_django()
    from wagtail.models import Locale

    from courses.models import CoursePage, LessonPage

    courses = []
    # Translations share their progress with the original, so one language is measured: the default one.
    for course in CoursePage.objects.live().filter(locale=Locale.get_default()).order_by("path"):
        lessons = LessonPage.objects.child_of(course).live().order_by("path")
        courses.append({
            "title": course.title, "url": course.url, "sequential": course.sequential,
            "lessons": [{"title": lesson.title, "url": lesson.url, "blocks": len(lesson.body)} for lesson in lessons],
        })
    return {"courses": courses}


def server_time(learner_url: str, anon_url: str, count: int) -> dict:
    """Render a lesson `count` times in-process after a warm-up, as an enrolled learner and anonymously.

    Wall time is the figure; the thread's CPU time is given beside it, as other processes on a
    busy machine lengthen the first and hardly the second.

    A sequential course shows later lessons to nobody but a learner who finished the ones before,
    so the anonymous figure is taken on an open lesson (anon_url).
    """
    _setup_django()
    from _figures import median
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from courses import services
    from courses.models import LessonPage

    lesson = next(page for page in LessonPage.objects.live() if page.url == learner_url)
    learner = User.objects.get(phone=DEMO_RESIDENTS[-1])
    course = lesson.get_parent().specific
    services.enroll(learner=learner, course=course)
    for earlier in LessonPage.objects.child_of(course).live().filter(path__lt=lesson.path).order_by("path"):
        services.complete_lesson(learner=learner, lesson=earlier)  # a sequential course opens it only then
    results = {}
    for who, url in (("learner", learner_url), ("anon", anon_url)):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        if who == "learner":
            client.force_login(learner)
        for _ in range(20):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code} ({who})")
        timings, cpu = [], []
        for _ in range(count):
            started, started_cpu = time.perf_counter(), time.thread_time()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        results[who] = {
            "url": url, "median_ms": median(timings), "cpu_median_ms": median(cpu),
            "p95_ms": timings[round(0.95 * (len(timings) - 1))], "queries": len(queries),
        }
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["--describe"]:
        print(json.dumps(describe()))
    elif sys.argv[1:2] == ["--server-time"]:
        print(json.dumps(server_time(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
    else:
        sys.exit(f"usage: {sys.argv[0]} --describe | --server-time LEARNER_LESSON_URL ANON_LESSON_URL COUNT")
