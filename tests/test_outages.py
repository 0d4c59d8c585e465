"""Real outages: the site runs under gunicorn with Redis, the broker or the database at a closed port."""

import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.db import connection

from accounts.services import record_consents
from certificates.models import Certificate
from courses.models import LessonProgress
from quizzes.models import QuizAttempt
from quizzes.testing import make_quiz, right_answers
from tests.conftest import make_user
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db(transaction=True)

REPO_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-dai-123"
SERVICE_VARIABLES = {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}  # each test sets its own


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port() -> int:
    """A port nothing listens on: connections to it are refused at once, as to a stopped service."""
    return free_port()


def shared_database_url(tmp_path: Path) -> str:
    """A URL by which another process sees this test's committed data (SQLite: a copy of the in-memory database)."""
    if connection.vendor == "postgresql":
        parts = urlsplit(os.environ["DATABASE_URL"])
        return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    path = tmp_path / "site.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    return f"sqlite:///{path}"


@contextmanager
def site(tmp_path: Path, **env):
    """The site under gunicorn (gunicorn.conf.py) with the given environment; yields its base URL and log file."""
    port = free_port()
    log = tmp_path / "site.log"
    environment = {
        **{k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES},
        "DJANGO_SETTINGS_MODULE": "cms.settings.test", "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2", "GUNICORN_ACCESS_LOG": "", "PYTHONUNBUFFERED": "1",
        **env,
    }
    with open(log, "w") as out:
        proc = subprocess.Popen(
            # No control socket: its one path per user would be shared with any other gunicorn on the machine.
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket",
             "cms.wsgi:application"],
            cwd=REPO_ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + log.read_text()[-3000:])
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Visitor:
    """A browser in miniature: cookies, CSRF token from forms or the cookie, every answer kept whatever its status."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path, data=None, *, json_body=None, headers=None):
        headers = {"Accept-Language": "vi", **(headers or {})}
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers |= {"Content-Type": "application/json", "X-CSRFToken": self.cookie("csrftoken"),
                        "Referer": self.base + "/"}
        elif data is not None:
            body = urlencode(data).encode()
            headers |= {"Referer": self.base + path}
        started = time.monotonic()
        try:
            request = urllib.request.Request(self.base + path, body, headers)  # noqa: S310 - http://127.0.0.1 only
            with self.opener.open(request, timeout=20) as response:
                answer = response.status, dict(response.headers), response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            answer = error.code, dict(error.headers), error.read().decode(), error.url
        self.last_duration = time.monotonic() - started
        return answer

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")

    def form_post(self, path, data):
        """GET the page, then POST its form with the CSRF token it carries."""
        status, _, body, _ = self.request(path)
        assert status == 200, body[:2000]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        return self.request(path, {"csrfmiddlewaretoken": token, **data})


def test_with_redis_and_broker_down_pages_sign_in_and_hand_ins_keep_working(tmp_path, places, settings):
    """Redis (cache, sessions' cache, broker, results) at a closed port: everything a learner does still works."""
    learner = make_user(full_name="Nguyễn Thị Lan", phone="+84912000101", commune=places["ha_long"], password=PASSWORD)
    make_user(full_name="Phạm Thị Mai", phone="+84912000103", commune=places["bai_chay"], password=PASSWORD)
    record_consents(user=learner, purposes=["certification"], method="online", recorded_by=None)
    course = make_course(lessons=2)
    first, second = lessons_of(course)
    quiz = make_quiz(make_course(lessons=1, title="VNeID"), is_final=True)
    dead_redis = f"redis://127.0.0.1:{closed_port()}"
    sms_file = tmp_path / "sms.jsonl"
    with site(tmp_path, DATABASE_URL=shared_database_url(tmp_path), REDIS_URL=f"{dead_redis}/1",
              CELERY_BROKER_URL=f"{dead_redis}/0", CELERY_RESULT_BACKEND=f"{dead_redis}/2", CELERY_EAGER="0",
              SMS_BACKEND="accounts.sms.FileBackend", SMS_FILE_PATH=str(sms_file)) as (base, log):
        # An SMS code asked for while the broker is down is sent from the web process.
        status, _, body, url = Visitor(base).form_post("/accounts/password/forgot/", {"phone": "0912 000 101"})
        assert status == 200 and urlsplit(url).path == "/accounts/password/forgot/code/", (status, url, body[:2000])
        sent = [json.loads(line) for line in sms_file.read_text().splitlines()]
        assert len(sent) == 1 and sent[0]["to"] == "+84912000101" and re.search(r"\b\d{6}\b", sent[0]["body"])

        visitor = Visitor(base)
        # The certificate check counts its requests in the cache: while it is down, on the process's stand-in.
        for path, expected in (("/", 200), ("/accounts/login/", 200), ("/accounts/signup/", 200),
                               ("/certificates/verify/NOPE2345/", 404)):
            status, _, body, _ = visitor.request(path)
            assert status == expected, (path, body[:2000])
            assert visitor.last_duration < 2, (path, visitor.last_duration)

        # A real password login: the session is written to the database while its cache is down.
        status, _, body, url = visitor.form_post("/accounts/login/", {"login": "0912 000 101", "password": PASSWORD})
        assert status == 200 and urlsplit(url).path == "/", (status, url, body[:2000])
        status, _, body, url = visitor.request("/my-learning/")
        assert status == 200 and urlsplit(url).path == "/my-learning/", (status, url)

        status, _, body, _ = visitor.request(urlsplit(first.full_url).path)
        assert status == 200 and "Bài 1" in body
        # The second lesson completes the course: its certificate is queued on the dead broker.
        for lesson, shown in ((first, "Đã xong bài"), (second, "2 trên 2 bài đã xong")):
            status, _, body, _ = visitor.request(urlsplit(lesson.full_url).path + "done/",
                                                 {"csrfmiddlewaretoken": visitor.cookie("csrftoken")})
            assert status == 200 and shown in body, body[:2000]
            assert visitor.last_duration < 5, visitor.last_duration

        status, _, body, _ = visitor.request(f"/api/v1/quizzes/{quiz.pk}/attempts", json_body={})
        assert status == 201, body[:2000]
        attempt = json.loads(body)["id"]
        status, _, body, _ = visitor.request(f"/api/v1/attempts/{attempt}/submit",
                                             json_body={"answers": right_answers(quiz)})
        assert status == 200, body[:2000]
        assert json.loads(body)["passed"] is True

        status, headers, body, _ = visitor.request("/healthz")
        assert status == 200  # degraded, not out of rotation: pages work
        assert json.loads(body) == {"status": "degraded", "database": True, "cache": False, "broker": False,
                                    "failed": ["cache", "broker"]}

        # Rate limits still hold while Redis is down: a password guesser on Mai's number is locked out.
        guesser = Visitor(base)
        for _ in range(5):
            status, _, body, _ = guesser.form_post("/accounts/login/", {"login": "0912 000 103", "password": "sai"})
            assert status == 400, body[:2000]
        right = {"login": "0912 000 103", "password": PASSWORD}
        status, headers, body, _ = guesser.form_post("/accounts/login/", right)
        assert status == 429 and headers["Retry-After"], body[:2000]
        server_log = log.read_text()

    assert "Traceback" not in server_log, server_log[-5000:]
    # The outage is logged, not once a request: one line for the cache in this one process.
    assert server_log.count("cache: Redis is unreachable") == 1, server_log[-5000:]
    assert "could not queue certificates.tasks.render_certificate" in server_log
    assert "could not queue accounts.tasks.send_sms" in server_log and "running it here" in server_log
    assert re.search(r"\b\d{6}\b", sent[0]["body"]).group() not in server_log
    if connection.vendor == "postgresql":  # SQLite ran on a copy: the site's writes are checked through its pages
        assert LessonProgress.objects.filter(learner=learner, completed_at__isnull=False).count() == 2
        assert QuizAttempt.objects.get(pk=attempt).submitted_at is not None
        assert Certificate.objects.filter(learner=learner).count() == 1  # issued; beat's sweep renders it later


API_UNAVAILABLE = {"code": "unavailable", "details": None}


def test_with_the_database_down_every_page_answers_a_vietnamese_503(tmp_path):
    dead_database = f"postgres://postgres@127.0.0.1:{closed_port()}/bdhvs"
    with site(tmp_path, DATABASE_URL=dead_database) as (base, log):
        visitor = Visitor(base)
        # Pages, a page of the tree, a form post (CSRF failure page), a session cookie (read by middleware).
        for path, data in (("/", None), ("/accounts/login/", None), ("/accounts/signup/", None),
                           ("/khoa-hoc/bai-1/", None), ("/accounts/login/", {"login": "x", "password": "y"})):
            status, headers, body, _ = visitor.request(path, data)
            assert status == 503, (path, status, body[:2000])
            assert headers["Retry-After"] == "30"
            assert "Hệ thống tạm thời gián đoạn" in body, body[:2000]
        visitor.cookies.set_cookie(http.cookiejar.Cookie(
            0, "sessionid", "abcdefghijklmnopqrstuvwxyz012345", None, False, "127.0.0.1", False, False, "/", True,
            False, None, False, None, None, {}))
        status, headers, body, _ = visitor.request("/my-learning/")
        assert status == 503 and "Hệ thống tạm thời gián đoạn" in body, body[:2000]

        status, headers, body, _ = visitor.request("/api/v1/me/courses")
        assert status == 503 and headers["Retry-After"] == "30"
        error = json.loads(body)["error"]
        assert {k: error[k] for k in API_UNAVAILABLE} == API_UNAVAILABLE and error["message"]

        status, headers, body, _ = visitor.request("/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "unavailable", "database": False, "cache": True, "failed": ["database"]}
        server_log = log.read_text()
    assert "Service Unavailable" in server_log  # each outage answer is still logged as an error
