"""Benchmark: many learners hand in quiz attempts at once through the JSON API, on PostgreSQL and gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bdhvs .venv/bin/python bench/quiz_submit.py

It creates its own database next to the one named in DATABASE_URL (…/bdhvs_bench), migrates it, makes a
course with quizzes, learners with sessions and one open attempt per learner and quiz, starts gunicorn with
the production settings on 127.0.0.1, and lets concurrent keep-alive clients submit the attempts (one in ten
twice, like a double tap: the repeat must get the same answer). Then it counts rows: every acknowledged
attempt must be recorded exactly once. The database is dropped at the end. Only 127.0.0.1 is contacted.

The machine's speed varies, so the same clients also post the same bodies, in the same run, to a bare view
(bench/urls.py, mounted only by the bench's settings, bench/settings.py): one SELECT of the attempt row and one
INSERT of as many answer rows, no login, checks or grading. The two take turns in short slices, so a change of
machine speed meets both; ratio_to_bare (hand-in requests per second / bare requests per second) is the result
that does not drift with the machine.

Last line: submissions_per_s=… p50_ms=… p95_ms=… … bare_per_s=… ratio_to_bare=… lost=0 duplicated=0. Exit 1 when
anything was lost, duplicated or answered differently on a repeat; 2 when the bench itself failed.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _figures import median
from _server import wait_for_gunicorn

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

LEARNERS = int(os.environ.get("BENCH_LEARNERS", "500"))
QUIZZES = int(os.environ.get("BENCH_QUIZZES", "12"))
QUESTIONS = 10
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10"))
# The server runs with the project's gunicorn.conf.py; these override its process and thread counts.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
# Sessions as in production (docker-compose): cached in Redis, kept in PostgreSQL. BENCH_REDIS_URL="" runs without.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
DURATION_S = float(os.environ.get("BENCH_SECONDS", "15"))  # of hand-ins; as long again for the bare view
SLICES = int(os.environ.get("BENCH_SLICES", "10"))  # hand-ins and the bare view take turns this many times each
REPEAT_EVERY = 10  # one submission in ten is sent twice
CSRF = "b" * 32  # a CSRF secret, sent as cookie and header like the site's JavaScript would
KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def say(message: str) -> None:
    print(message, flush=True)


def bench_database_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise SystemExit(f"DATABASE_URL must be a PostgreSQL URL (postgres://…), not {parts.scheme or 'empty'}: "
                         "this bench measures row locks and concurrent writes, which SQLite does not have.")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the bench only talks to a database on this machine (127.0.0.1)")
    name = (parts.path.lstrip("/") or "bdhvs") + "_bench"
    return name, urlunsplit(parts._replace(path="/" + name))


def admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------- inside Django (prepare)

def prepare(out: Path) -> None:
    """Run with the bench database: a course, quizzes, learners with sessions, one open attempt each."""
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.models import User
    from courses.models import CoursePage, LessonPage
    from courses.services import ensure_catalogue
    from quizzes.grading import MULTIPLE, SINGLE, TRUE_FALSE
    from quizzes.models import QuizAttempt
    from quizzes.services import new_attempt
    from quizzes.testing import Q, make_quiz, right_answers, wrong_answers

    course = CoursePage(title="Khóa học đo tốc độ", slug="do-toc-do", summary="Để đo tốc độ nộp bài.")
    ensure_catalogue().add_child(instance=course)
    course.save_revision().publish()
    lesson = LessonPage(title="Bài 1", slug="bai-1", body=[{"type": "paragraph", "value": "<p>Nội dung.</p>"}])
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    kinds = [SINGLE, MULTIPLE, TRUE_FALSE]
    questions = [Q(kinds[n % 3], f"Câu hỏi {n + 1}?", [("Đúng", True), ("Sai", False)] if kinds[n % 3] != MULTIPLE
                   else [("A", True), ("B", True), ("C", False), ("D", False)], f"Giải thích {n + 1}.")
                 for n in range(QUESTIONS)]
    quizzes = [make_quiz(course, title=f"Bài kiểm tra {n + 1}", slug=f"kiem-tra-{n + 1}", questions=questions,
                         is_final=True, shuffle_choices=True) for n in range(QUIZZES)]
    password = make_password("bench-only-password")
    learners = User.objects.bulk_create([
        User(username=f"bench{n}", full_name=f"Học viên {n}", password=password) for n in range(LEARNERS)
    ])
    expires = timezone.now() + timedelta(hours=1)
    sessions, session_keys = [], {}
    for learner in learners:
        key = secrets.token_hex(16)
        data = SessionStore().encode({
            "_auth_user_id": str(learner.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": learner.get_session_auth_hash(),
        })
        sessions.append(Session(session_key=key, session_data=data, expire_date=expires))
        session_keys[learner.pk] = key
    Session.objects.bulk_create(sessions)
    attempts, plan = [], []
    for number, (quiz, learner) in enumerate((quiz, learner) for quiz in quizzes for learner in learners):
        attempt = new_attempt(learner=learner, quiz=quiz)
        attempts.append(attempt)
        # Half know the answers: passing a final test also runs the course-completion check.
        answers = right_answers(quiz) if number % 2 == 0 else wrong_answers(quiz)
        plan.append({"attempt": str(attempt.pk), "session": session_keys[learner.pk], "answers": answers})
    QuizAttempt.objects.bulk_create(attempts, batch_size=1000)
    out.write_text(json.dumps(plan), encoding="utf-8")


# ------------------------------------------------------------------------------------------------- the clients

class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.acknowledged: set[str] = set()
        self.statuses: dict[int, int] = {}
        self.mismatches = 0
        self.repeats = 0
        self.transport_errors = 0
        self.errors: list[str] = []  # the first few problems, to show

    def record(self, attempt: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.acknowledged.add(attempt)


def hand_in_path(attempt: str) -> str:
    return f"/api/v1/attempts/{attempt}/submit"


def bare_path(attempt: str) -> str:
    return f"/bench/bare/{attempt}/submit"


def client(port: int, work: queue.Queue, results: Results, stop_at: float, number: int,
           path_of=hand_in_path) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = 0
    try:
        while time.monotonic() < stop_at:
            try:
                item = work.get_nowait()
            except queue.Empty:
                return
            body = json.dumps({"answers": item["answers"]})
            headers = {"Content-Type": "application/json", "X-CSRFToken": CSRF,
                       "Cookie": f"sessionid={item['session']}; csrftoken={CSRF}"}
            path = path_of(item["attempt"])
            repeats = 2 if (sent + number) % REPEAT_EVERY == 0 else 1
            first = None
            for __ in range(repeats):
                started = time.perf_counter()
                try:
                    connection.request("POST", path, body=body, headers=headers)
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()  # reconnects on the next request
                    with results.lock:
                        results.transport_errors += 1
                        results.errors.append(f"{type(error).__name__}: {error}")
                    break
                results.record(item["attempt"], response.status, time.perf_counter() - started)
                with results.lock:
                    if response.status != 200 and len(results.errors) < 5:
                        results.errors.append(f"HTTP {response.status}: {payload[:200]!r}")
                    if first is None:
                        first = (response.status, payload)
                    else:
                        results.repeats += 1
                        results.mismatches += (response.status, payload) != first
            sent += 1
    finally:
        connection.close()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, to tell how much else was running."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def create_bare_table(url: str) -> None:
    """The bare view's table: the answers table's columns, defaults and indexes, no foreign key."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE bench_bare_answer (LIKE quizzes_attemptanswer "
                           "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)")


def count_rows(url: str) -> dict[str, tuple[bool, int, int]]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT a.id::text, a.submitted_at IS NOT NULL, jsonb_array_length(a.question_ids), COUNT(aa.id) "
            "FROM quizzes_quizattempt a LEFT JOIN quizzes_attemptanswer aa ON aa.attempt_id = a.id GROUP BY a.id"
        ).fetchall()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


# ---------------------------------------------------------------------------------------------------- the run

def main() -> int:
    started = time.monotonic()
    source = os.environ.get("DATABASE_URL", "")
    if not source:
        raise SystemExit("set DATABASE_URL to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/bdhvs")
    name, url = bench_database_url(source)
    tmp = Path(tempfile.mkdtemp(prefix="bdhvs-quiz-bench-"))
    env = {key: os.environ[key] for key in KEPT_ENV if key in os.environ}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": url, "DB_CONN_MAX_AGE": "600",
        "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(50)),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1", "SMS_FILE_PATH": str(tmp / "sms.jsonl"),
    })
    if REDIS_URL:
        env["REDIS_URL"] = REDIS_URL
    admin = admin_connection(source)
    server = None
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        say(f"database {name} created")
        run = {"cwd": REPO_ROOT, "env": env, "capture_output": True, "text": True, "check": False}
        step = time.monotonic()
        result = subprocess.run([PYTHON, "manage.py", "migrate", "--noinput"], timeout=300, **run)
        if result.returncode:
            raise RuntimeError(f"migrate failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        say(f"migrated in {time.monotonic() - step:.1f} s")
        create_bare_table(url)
        step = time.monotonic()
        plan_file = tmp / "plan.json"
        result = subprocess.run([PYTHON, __file__, "--prepare", str(plan_file)], timeout=300, **run)
        if result.returncode:
            raise RuntimeError(f"prepare failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
        say(f"prepared {QUIZZES} quizzes x {LEARNERS} learners = {len(plan)} open attempts of {QUESTIONS} "
            f"questions in {time.monotonic() - step:.1f} s")

        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, "--config", str(REPO_ROOT / "gunicorn.conf.py"), "cms.wsgi:application"],
            cwd=REPO_ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(WORKERS),
                                "GUNICORN_THREADS": str(THREADS), "GUNICORN_ACCESS_LOG": "",
                                "GUNICORN_LOG_LEVEL": "warning"}, stdout=open(tmp / "gunicorn.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for_gunicorn(server, port, tmp / "gunicorn.log")
        say(f"gunicorn (gunicorn.conf.py, production settings, {WORKERS} workers x {THREADS} threads) at "
            f"127.0.0.1:{port}; sessions {'cached in Redis' if REDIS_URL else 'in PostgreSQL'}; {os.cpu_count()} CPUs")

        def run_clients(queue_, results_, seconds, path_of):
            stop_at = time.monotonic() + seconds
            threads = [threading.Thread(target=client, args=(port, queue_, results_, stop_at, n, path_of))
                       for n in range(CLIENTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        # Warm-up: a few submissions per client so every worker has its database connection and code loaded.
        warm = queue.Queue()
        for item in plan[: CLIENTS * 4]:
            warm.put(item)
        warm_results = Results()
        run_clients(warm, warm_results, 20, hand_in_path)

        work = queue.Queue()
        for item in plan[CLIENTS * 4:]:
            work.put(item)
        results, bare_results = Results(), Results()
        workers = worker_pids(server.pid)
        backends = [row[0] for row in admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]).fetchall()]

        # Warm the bare view too, then alternate: bare, hand-ins, bare, hand-ins, … in equal slices.
        bare_work = queue.Queue()
        for item in plan[: CLIENTS * 4]:
            bare_work.put(item)
        run_clients(bare_work, Results(), 20, bare_path)
        elapsed = bare_elapsed = server_cpu = db_cpu = own_cpu = machine_busy = machine_total = 0.0
        bare_server_cpu = bare_db_cpu = 0.0
        for __ in range(SLICES):
            bare_work = queue.Queue()
            for item in plan:
                bare_work.put(item)
            before = (cpu_seconds(workers), cpu_seconds(backends))
            step = time.monotonic()
            run_clients(bare_work, bare_results, DURATION_S / SLICES, bare_path)
            bare_elapsed += time.monotonic() - step
            bare_server_cpu += cpu_seconds(workers) - before[0]
            bare_db_cpu += cpu_seconds(backends) - before[1]

            before = (cpu_seconds(workers), cpu_seconds(backends), time.process_time(), *machine_cpu())
            step = time.monotonic()
            run_clients(work, results, DURATION_S / SLICES, hand_in_path)
            elapsed += time.monotonic() - step
            after = (cpu_seconds(workers), cpu_seconds(backends), time.process_time(), *machine_cpu())
            server_cpu, db_cpu, own_cpu, machine_busy, machine_total = (
                total + (end - start) for total, start, end in
                zip((server_cpu, db_cpu, own_cpu, machine_busy, machine_total), before, after, strict=True))
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)

        rows = count_rows(url)
        acknowledged = results.acknowledged | warm_results.acknowledged
        lost = sum(1 for attempt in acknowledged
                   if attempt not in rows or not rows[attempt][0] or rows[attempt][2] != rows[attempt][1])
        duplicated = sum(1 for submitted, questions, answers in rows.values() if answers > questions)
        half_saved = sum(1 for submitted, questions, answers in rows.values() if not submitted and answers)
        latencies = sorted(results.latencies)
        requests = len(latencies)
        submissions = len(results.acknowledged)
        figures = {
            "submissions_per_s": submissions / elapsed,
            "requests_per_s": requests / elapsed,
            "p50_ms": median(latencies) * 1000 if latencies else 0.0,
            "p95_ms": latencies[int(0.95 * (requests - 1))] * 1000 if latencies else 0.0,
            "p99_ms": latencies[int(0.99 * (requests - 1))] * 1000 if latencies else 0.0,
            "submissions": submissions,
            "repeats": results.repeats,
            "non_200": sum(count for status, count in results.statuses.items() if status != 200),
            "transport_errors": results.transport_errors,
            "clients": CLIENTS,
            "workers": WORKERS,
            "repeat_mismatches": results.mismatches,
            "half_saved": half_saved,
            # Where the CPU went: the app server and PostgreSQL per request, and the share of the machine
            # used by anything else than them and these clients (other programs running meanwhile).
            "server_cpu_ms_per_request": 1000 * server_cpu / requests if requests else 0.0,
            "db_cpu_ms_per_request": 1000 * db_cpu / requests if requests else 0.0,
            "machine_busy_pct": 100 * machine_busy / machine_total if machine_total else 0.0,
            "other_cpu_pct": (100 * (machine_busy - server_cpu - db_cpu - own_cpu) / machine_total
                              if machine_total else 0.0),
        }
        say(f"{submissions} attempts handed in over {elapsed:.1f} s by {CLIENTS} clients "
            f"({requests} requests with the repeats); statuses {results.statuses}")
        for error in results.errors[:5]:
            say(f"  first problems: {error}")
        goal = figures["submissions_per_s"] >= 300 and figures["p95_ms"] <= 50
        say(f"goal (>= 300 submissions/s, p95 <= 50 ms on 2 cores): {'met' if goal else 'NOT met'}")
        bare_requests = len(bare_results.latencies)
        bare_non_200 = sum(count for status, count in bare_results.statuses.items() if status != 200)
        if bare_non_200 or bare_results.transport_errors:
            raise RuntimeError(f"the bare view failed: {bare_results.statuses} {bare_results.errors[:3]}")
        figures["bare_per_s"] = bare_requests / bare_elapsed if bare_elapsed else 0.0
        figures["bare_p50_ms"] = median(bare_results.latencies) * 1000 if bare_requests else 0.0
        figures["ratio_to_bare"] = figures["requests_per_s"] / figures["bare_per_s"] if bare_requests else 0.0
        figures["bare_server_cpu_ms_per_request"] = 1000 * bare_server_cpu / bare_requests if bare_requests else 0.0
        figures["bare_db_cpu_ms_per_request"] = 1000 * bare_db_cpu / bare_requests if bare_requests else 0.0
        say(f"bare view: {bare_requests} requests over {bare_elapsed:.1f} s; ratio_to_bare = hand-in requests/s "
            f"/ bare requests/s (goal >= 0.35)")
        figures["elapsed_s"] = time.monotonic() - started
        figures["lost"] = lost
        figures["duplicated"] = duplicated
        say(" ".join(f"{key}={value:.3f}" if key == "ratio_to_bare" else
                     f"{key}={value:.1f}" if isinstance(value, float) else f"{key}={value}"
                     for key, value in figures.items()))
        return 1 if lost or duplicated or results.mismatches or half_saved else 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        subprocess.run(["rm", "-rf", str(tmp)], check=False)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        prepare(Path(sys.argv[2]))
        sys.exit(0)
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001 - say what failed, on the last line too
        say(f"bench failed: {type(error).__name__}: {error}")
        say("bench_error=1")
        sys.exit(2)
