"""Benchmark: the cohort report (the trainer's main screen) for a cohort of 200 members following 10 courses.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bdhvs .venv/bin/python bench/cohort_report.py

It creates its own database next to the one named in DATABASE_URL (…/bdhvs_cohort_bench), migrates it, makes 10
courses (6 lessons, a practice quiz and a final test of 10 questions with 3 attempts each) and a cohort of 200
residents with realistic progress: some not started, most under way, some finished with a certificate, some stuck
(many wrong answers, every attempt of the final test used, or idle for weeks); and a second cohort of 20 of them.
Then it serves the site with gunicorn (the project's gunicorn.conf.py, production settings, one worker so the
figures are one request's own time) and times, warm and one request at a time as the trainer, the overview and
one course's page; a trivial page of the same server (bench/urls.py) is timed in the same run as the floor.

Last line: p50_ms=… p95_ms=… kb=… queries=… queries_20=… bare_p95_ms=… cpu_ms=… bare_cpu_ms=…  (p50/p95 of the
slower of the two pages, kb the larger page gzip-compressed as served, queries per page for 200 members and for
the cohort of 20, the more of the two pages; cpu_ms the server's and database's CPU time per request of the slower
page, which a busy machine lengthens much less than wall time). Goal: p95_ms ≤ 150, kb ≤ 40,
queries == queries_20. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import signal
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _figures import median
from _server import wait_for_gunicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quiz_submit import KEPT_ENV, admin_connection, cpu_seconds, free_port, worker_pids  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "200"))
COURSES = int(os.environ.get("BENCH_COURSES", "10"))
LESSONS = 6
QUESTIONS = 10
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))  # timed requests per page, after the warm-up
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def say(message: str) -> None:
    print(message, flush=True)


def bench_database_url(url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise SystemExit("DATABASE_URL must be a PostgreSQL URL (postgres://…): the report's aggregate queries are "
                         "measured on the database production uses.")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the bench only talks to a database on this machine (127.0.0.1)")
    name = (parts.path.lstrip("/") or "bdhvs") + "_cohort_bench"
    return name, urlunsplit(parts._replace(path="/" + name))


# --------------------------------------------------------------------------------------- inside Django (prepare)

def prepare(out: Path) -> None:
    """The courses, the cohorts and their members' progress, and a session for the trainer."""
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.models import User
    from certificates.models import Certificate
    from cohorts.models import Cohort, CohortCourse, Membership
    from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
    from courses.services import ensure_catalogue
    from places.models import Commune, Province
    from quizzes.grading import MULTIPLE, SINGLE, TRUE_FALSE
    from quizzes.models import AttemptAnswer, QuizAttempt
    from quizzes.services import new_attempt
    from quizzes.testing import Q, make_quiz

    rng = random.Random(2026)
    now = timezone.now()
    province = Province.objects.create(code="22", name="Quảng Ninh", codename="quang_ninh", division_type="tỉnh")
    commune = Commune.objects.create(code="06688", name="Phường Hạ Long", codename="phuong_ha_long",
                                     division_type="phường", province=province)
    trainer = User.objects.create(username="trainer", full_name="Vũ Quang Minh")
    trainer.trainer_communes.add(commune)

    kinds = [SINGLE, MULTIPLE, TRUE_FALSE]

    def questions(count):
        return [Q(kinds[n % 3], f"Câu hỏi số {n + 1} về kỹ năng số?",
                  [("Đúng", True), ("Sai", False)] if kinds[n % 3] == TRUE_FALSE
                  else [("Câu trả lời A", True), ("Câu trả lời B", kinds[n % 3] == MULTIPLE),
                        ("Câu trả lời C", False), ("Câu trả lời D", False)], f"Giải thích {n + 1}.")
                for n in range(count)]

    courses, quizzes = [], []
    for number in range(COURSES):
        course = CoursePage(title=f"Khóa học kỹ năng số {number + 1}", slug=f"khoa-{number + 1}", summary="Tóm tắt.")
        ensure_catalogue().add_child(instance=course)
        course.save_revision().publish()
        for lesson_number in range(LESSONS):
            lesson = LessonPage(title=f"Bài {lesson_number + 1}", slug=f"bai-{lesson_number + 1}",
                                body=[{"type": "paragraph", "value": "<p>Nội dung.</p>"}])
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        practice = make_quiz(course, title="Luyện tập", slug="luyen-tap", questions=questions(5))
        final = make_quiz(course, title="Bài kiểm tra cuối", slug="kiem-tra-cuoi", questions=questions(QUESTIONS),
                          is_final=True, max_attempts=3)
        courses.append(course)
        quizzes.append((practice, final))
    lessons = {course.pk: list(LessonPage.objects.child_of(course).order_by("path")) for course in courses}

    learners = User.objects.bulk_create([
        User(username=f"hv{n}", full_name=f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'])} Thị "
             f"{rng.choice(['Lan', 'Hoa', 'Mai', 'Hương', 'Hạnh', 'Thu'])} {n:03d}",
             commune=commune, year_of_birth=rng.randint(1950, 2005)) for n in range(MEMBERS)
    ])
    big = Cohort.objects.create(commune=commune, name="Lớp 200 học viên", created_by=trainer)
    small = Cohort.objects.create(commune=commune, name="Lớp 20 học viên", created_by=trainer)
    for cohort in (big, small):
        cohort.trainers.add(trainer)
        CohortCourse.objects.bulk_create([CohortCourse(cohort=cohort, course_key=course.translation_key, position=n)
                                          for n, course in enumerate(courses)])
    Membership.objects.bulk_create([Membership(cohort=big, learner=learner, added_by=trainer) for learner in learners]
                                   + [Membership(cohort=small, learner=learner, added_by=trainer)
                                      for learner in learners[:20]])

    enrollments, progress, attempts, answers, certificates, idle = [], [], [], [], [], []

    def attempt(learner, quiz, right_share):
        item = new_attempt(learner=learner, quiz=quiz)
        right = 0
        for question_id in item.question_ids:
            correct = rng.random() < right_share
            right += correct
            chosen = item.answer_key[question_id]["correct"] if correct else [
                next(c for c in item.choice_order[question_id] if c not in item.answer_key[question_id]["correct"])]
            answers.append(AttemptAnswer(attempt=item, question_id=question_id, choice_ids=chosen, is_correct=correct))
        item.score = round(100 * right / len(item.question_ids))
        item.passed = item.score >= item.pass_mark
        item.submitted_at = now - timedelta(days=rng.randint(0, 10))
        attempts.append(item)
        return item.passed

    for learner in learners:
        for course, (practice, final) in zip(courses, quizzes, strict=True):
            kind = rng.choices(["none", "some", "done", "stuck", "idle"], [15, 45, 20, 12, 8])[0]
            if kind == "none":
                continue
            enrollment = Enrollment(learner=learner, course_key=course.translation_key, commune=commune)
            enrollments.append(enrollment)
            done = LESSONS if kind == "done" else rng.randint(1, LESSONS - 1)
            for lesson in lessons[course.pk][:done]:
                progress.append(LessonProgress(learner=learner, course_key=course.translation_key,
                                               lesson_key=lesson.translation_key, completed_at=now))
            if kind == "idle":
                idle.append((learner.pk, course.translation_key))
                continue
            for __ in range(rng.randint(1, 2)):
                attempt(learner, practice, 0.4 if kind == "stuck" else 0.85)
            if kind == "done":
                for share in (0.9, 0.9, 1.0):  # passed within the three attempts allowed
                    if attempt(learner, final, share):
                        break
                enrollment.completed_at = now - timedelta(days=rng.randint(0, 10))
                if rng.random() < 0.7:
                    certificates.append(Certificate(
                        serial=f"QN-2026-{len(certificates) + 1:06d}", code=secrets.token_hex(6), learner=learner,
                        course_key=course.translation_key, course_title=course.title, full_name=learner.full_name,
                        issuer_name="Sở Khoa học và Công nghệ", completed_at=enrollment.completed_at))
            elif kind == "stuck":
                for __ in range(3):
                    attempt(learner, final, 0.3)
    Enrollment.objects.bulk_create(enrollments, batch_size=2000)
    LessonProgress.objects.bulk_create(progress, batch_size=2000)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    AttemptAnswer.objects.bulk_create(answers, batch_size=5000)
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    # The clocks set by auto_now: spread activity over the last days, and weeks ago for the idle ones.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE courses_lessonprogress SET last_opened_at = last_opened_at - "
                       "(random() * interval '10 days')")
        cursor.execute("UPDATE quizzes_quizattempt SET started_at = submitted_at - interval '5 minutes'")
    for learner_id, course_key in idle:
        LessonProgress.objects.filter(learner_id=learner_id, course_key=course_key).update(
            last_opened_at=now - timedelta(days=rng.randint(15, 40)))
        Enrollment.objects.filter(learner_id=learner_id, course_key=course_key).update(
            enrolled_at=now - timedelta(days=45))
    session = SessionStore()
    session.update({"_auth_user_id": str(trainer.pk), "_auth_user_hash": trainer.get_session_auth_hash(),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"})
    session.create()
    assert Session.objects.filter(session_key=session.session_key).exists()
    out.write_text(json.dumps({
        "session": session.session_key, "big": big.pk, "small": small.pk,
        "course": str(courses[0].translation_key), "trainer": trainer.pk,
        "rows": {"attempts": len(attempts), "answers": len(answers), "lesson_progress": len(progress),
                 "enrollments": len(enrollments), "certificates": len(certificates)},
    }), encoding="utf-8")


def count_queries(plan_file: Path) -> None:
    """Queries per page (overview and course page) for the cohort of 200 and the cohort of 20, in-process."""
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(pk=plan["trainer"]))
    counts = {}
    for name in ("big", "small"):
        most = 0
        for path in (f"/trainer/cohorts/{plan[name]}/", f"/trainer/cohorts/{plan[name]}/courses/{plan['course']}/"):
            client.get(path, secure=True)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, secure=True)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            most = max(most, len(queries))
        counts[name] = most
    print(json.dumps(counts))


# ---------------------------------------------------------------------------------------------------- the run

def get(connection, path, session):
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={session}", "Accept-Encoding": "gzip",
                                             "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}: {body[:300]!r}")
    return elapsed, body, response.getheader("Content-Encoding")


def main() -> int:
    source = os.environ.get("DATABASE_URL", "")
    if not source:
        raise SystemExit("set DATABASE_URL to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/bdhvs")
    name, url = bench_database_url(source)
    tmp = Path(tempfile.mkdtemp(prefix="bdhvs-cohort-bench-"))
    env = {key: os.environ[key] for key in KEPT_ENV if key in os.environ}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": url, "DB_CONN_MAX_AGE": "600",
        "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(50)),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"), "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1",
        "SMS_FILE_PATH": str(tmp / "sms.jsonl"),
    })
    if REDIS_URL:
        env["REDIS_URL"] = REDIS_URL
    admin = admin_connection(source)
    server = None
    run = {"cwd": REPO_ROOT, "env": env, "capture_output": True, "text": True, "check": False}

    def step(args, what, timeout=600):
        started = time.monotonic()
        result = subprocess.run(args, timeout=timeout, **run)
        if result.returncode:
            raise RuntimeError(f"{what} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        say(f"{what} in {time.monotonic() - started:.1f} s")
        return result.stdout

    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        say(f"database {name} created")
        step([PYTHON, "manage.py", "migrate", "--noinput"], "migrate")
        if not (REPO_ROOT / "var" / "static" / "staticfiles.json").exists():
            step([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], "collectstatic")
        plan_file = tmp / "plan.json"
        step([PYTHON, __file__, "--prepare", str(plan_file)], f"{COURSES} courses, {MEMBERS} members' progress")
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
        say(f"rows: {plan['rows']}")
        counts = json.loads(step([PYTHON, __file__, "--queries", str(plan_file)], "queries counted").splitlines()[-1])

        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, "--config", str(REPO_ROOT / "gunicorn.conf.py"), "cms.wsgi:application"],
            cwd=REPO_ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1",
                                "GUNICORN_THREADS": "1", "GUNICORN_ACCESS_LOG": "", "GUNICORN_LOG_LEVEL": "warning"},
            stdout=open(tmp / "gunicorn.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True,  # noqa: SIM115
        )
        wait_for_gunicorn(server, port, tmp / "gunicorn.log")
        say(f"gunicorn (production settings, 1 worker x 1 thread) at 127.0.0.1:{port}; {os.cpu_count()} CPUs")

        pages = {
            "overview": f"/trainer/cohorts/{plan['big']}/",
            "course": f"/trainer/cohorts/{plan['big']}/courses/{plan['course']}/",
            "bare": "/bench/bare-page/",
        }
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sizes, timings, cpu = {}, {page: [] for page in pages}, dict.fromkeys(pages, 0.0)
        for __ in range(10):  # warm-up: code loaded, connections open, caches filled
            for page, path in pages.items():
                __, body, encoding = get(connection, path, plan["session"])
                sizes[page] = (len(body), encoding)
        workers = worker_pids(server.pid)
        backends = [row[0] for row in admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]).fetchall()]
        # In turns of ten requests per page, so a change of machine speed meets all three; the server's and the
        # database's CPU time per request is counted too, as a busy machine lengthens wall time far more.
        for __ in range(max(REQUESTS // 10, 1)):
            for page, path in pages.items():
                before = cpu_seconds(workers) + cpu_seconds(backends)
                for __ in range(10):
                    timings[page].append(get(connection, path, plan["session"])[0])
                cpu[page] += cpu_seconds(workers) + cpu_seconds(backends) - before
        connection.close()
        figures = {}
        for page, values in timings.items():
            values.sort()
            figures[page] = (median(values), values[round(0.95 * (len(values) - 1))],
                             1000 * cpu[page] / len(values))
            say(f"{page:9s} {pages[page]}: p50 {figures[page][0]:.1f} ms, p95 {figures[page][1]:.1f} ms, "
                f"CPU {figures[page][2]:.1f} ms per request (server + database), "
                f"{sizes[page][0] / 1024:.1f} KiB as served ({sizes[page][1] or 'not compressed'})")
        slower = max(("overview", "course"), key=lambda page: figures[page][1])
        kb = max(sizes["overview"][0], sizes["course"][0]) / 1024
        say(f"queries per page (the more of overview and course): {counts['big']} for {MEMBERS} members, "
            f"{counts['small']} for 20")
        goal = figures[slower][1] <= 150 and kb <= 40 and counts["big"] == counts["small"]
        say(f"goal (p95 <= 150 ms, <= 40 KB, queries constant): {'met' if goal else 'NOT met'}")
        say(f"p50_ms={figures[slower][0]:.1f} p95_ms={figures[slower][1]:.1f} kb={kb:.1f} queries={counts['big']} "
            f"queries_20={counts['small']} bare_p95_ms={figures['bare'][1]:.1f} cpu_ms={figures[slower][2]:.1f} "
            f"bare_cpu_ms={figures['bare'][2]:.1f}")
        return 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(20)
        if not os.environ.get("BENCH_KEEP"):  # BENCH_KEEP=1 keeps the database, to profile a page
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--prepare"]:
        prepare(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--queries"]:
        count_queries(Path(sys.argv[2]))
    else:
        sys.exit(main())
