"""Participation statistics on PostgreSQL: the rollup against plain GROUP BY scans of the raw tables.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bdhvs_reports_bench .venv/bin/python bench/participation_stats.py \
        [--learners 1000000] [--seed 14]

Uses the database named in DATABASE_URL (created if missing, migrated, its learning data replaced), loads the
real communes (`manage.py load_places`), and generates with COPY, over a year up to yesterday: N learners over
the 3,321 communes, 2N enrolments, 10N lesson-progress rows (and the activity days the lesson pages would have
written), N quiz attempts and 0.3N certificates (1 % revoked), 3 % of learners enrolled in another commune than
theirs (they moved). Measures in the same run:

- raw_scan_s: plain GROUP BY scans computing the same figures from the raw tables (what a page would cost
  without summary rows);
- full_rollup_s: reports.services.roll_up(full=True) from nothing; rollup_ratio_to_raw = full / raw;
- increment_s: the incremental run after a day of new activity (N/50 new learners enrolled today, N/5 lesson
  rows, N/50 quiz hand-ins, N/100 completions, N/300 certificates; 20,000 and 200,000 at 1,000,000);
- increment_quarter_s: the same increment (same size) on a data set of N/4 learners.
The increment is one run, as beat would make it after that day. There is no dashboard yet, so
no dashboard_p95_ms / national_p95_ms. Goals (issue #14): rollup_ratio_to_raw ≤ 2, increment_s ≤ 1,
increment_s ≤ 1.5 × increment_quarter_s. Readable lines first, then key=value pairs on the last line.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's name is also the standard library's `statistics`: keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import io  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

COURSES = 5
LESSONS_PER_COURSE = 10
GENDERS = ["female", "male", "female", "male", "other", ""]
VIA = ["self", "self", "trainer", "import"]


def say(text: str) -> None:
    print(text, flush=True)


def ensure_database(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django():
    import django

    django.setup()
    logging.disable(logging.INFO)  # the page tree's and tasks' log lines
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from places.models import Commune

    if Commune.objects.count() < 3000:
        call_command("load_places", verbosity=0)


# ------------------------------------------------------------------------------------------- the data set

class Copier:
    """COPY rows into a table through psycopg's copy (text format)."""

    def __init__(self, cursor):
        self.cursor = cursor

    def copy(self, table: str, columns: list[str], rows) -> int:
        n = 0
        with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(r"\N" if v is None else str(v) for v in row))
                buffer.write("\n")
                n += 1
                if n % 50_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        return n


def content():
    """Five real courses with ten lessons and a quiz each (the rollup maps quizzes to courses by the page tree)."""
    from courses.models import CoursePage
    from quizzes.models import QuizPage
    from reports.models import Programme

    if CoursePage.objects.count() < COURSES:
        from quizzes.testing import make_quiz
        from tests.courses_factory import make_course

        for number in range(COURSES):
            make_quiz(make_course(f"Khóa học {number + 1}", lessons=2, slug=f"bench-course-{number + 1}"),
                      slug=f"bench-quiz-{number + 1}")
    courses = list(CoursePage.objects.order_by("pk").values_list("translation_key", flat=True))[:COURSES]
    quizzes = {}
    for quiz in QuizPage.objects.order_by("pk"):
        quizzes[quiz.get_parent().specific.translation_key] = (quiz.pk, quiz.translation_key)
    Programme.objects.update_or_create(name="Kỹ năng số cơ bản", defaults={"course_keys": [str(k) for k in
                                                                                            courses[:3]]})
    return courses, quizzes


def wipe(cursor) -> None:
    cursor.execute("TRUNCATE reports_communeday, reports_communeprogrammeday, reports_communecourseday, "
                   "reports_communeactivityday, reports_learneractivityday, reports_pendingday, reports_rollupstate, "
                   "certificates_certificate, quizzes_attemptanswer, quizzes_quizattempt, courses_lessonprogress, "
                   "courses_enrollment RESTART IDENTITY CASCADE")
    cursor.execute("DELETE FROM accounts_user WHERE username LIKE 'bench%%'")


def generate(cursor, *, learners: int, rng: random.Random, courses, quizzes, communes, today) -> None:
    """The year before `today` (local): learners, enrolments, lesson rows, activity days, attempts, certificates."""
    from django.utils import timezone

    tz = timezone.get_default_timezone()
    start = datetime.combine(today - timedelta(days=365), datetime.min.time(), tz)
    end = datetime.combine(today, datetime.min.time(), tz) - timedelta(seconds=1)
    span = (end - start).total_seconds()
    copier = Copier(cursor)
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_user")
    first_id = cursor.fetchone()[0] + 1
    lesson_keys = {course: [uuid.uuid5(course, str(n)) for n in range(LESSONS_PER_COURSE)] for course in courses}

    joined = {}
    commune_of = {}

    def users():
        for i in range(learners):
            pk = first_id + i
            at = start + timedelta(seconds=rng.random() * span * 0.9)
            joined[pk] = at
            commune_of[pk] = rng.choice(communes)
            yield (pk, "!", "f", f"bench{pk}", "f", "t", at.isoformat(), "Người Học", "f", "",
                   rng.choice([None, *range(1940, 2012)]), rng.choice(GENDERS), commune_of[pk], rng.choice(VIA))

    n = copier.copy("accounts_user", ["id", "password", "is_superuser", "username", "is_staff", "is_active",
                                      "date_joined", "full_name", "phone_verified", "email", "year_of_birth",
                                      "gender", "commune_id", "created_via"], users())
    cursor.execute("SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), (SELECT MAX(id) FROM accounts_user))")
    say(f"  {n:,} learners")

    enrolments = []  # (learner, course, enrolled_at, completed_at, commune)

    def enrolment_rows():
        pk = 0
        for learner, at in joined.items():
            k = min(COURSES, max(0, round(rng.gauss(2, 1))))
            for course in rng.sample(courses, k):
                enrolled = min(end, at + timedelta(seconds=rng.random() * 30 * 86400))
                completed = None
                if rng.random() < 0.5:
                    completed = min(end, enrolled + timedelta(seconds=rng.random() * 20 * 86400))
                commune = commune_of[learner] if rng.random() > 0.03 else rng.choice(communes)
                pk += 1
                enrolments.append((learner, course, enrolled, completed, commune))
                yield (pk, learner, course, commune, enrolled.isoformat(), completed and completed.isoformat())

    n = copier.copy("courses_enrollment", ["id", "learner_id", "course_key", "commune_id", "enrolled_at",
                                           "completed_at"], enrolment_rows())
    cursor.execute("SELECT setval(pg_get_serial_sequence('courses_enrollment', 'id'), "
                   "(SELECT MAX(id) FROM courses_enrollment))")
    say(f"  {n:,} enrolments")

    def lesson_rows():
        pk = 0
        for learner, course, enrolled, completed, _ in enrolments:
            for lesson in rng.sample(lesson_keys[course], 5):
                opened = min(end, enrolled + timedelta(seconds=rng.random() * 25 * 86400))
                last = min(end, opened + timedelta(seconds=rng.random() * 10 * 86400))
                done = last.isoformat() if completed or rng.random() < 0.5 else None
                pk += 1
                yield (pk, learner, course, lesson, opened.isoformat(), last.isoformat(), done)

    n = copier.copy("courses_lessonprogress", ["id", "learner_id", "course_key", "lesson_key", "first_opened_at",
                                               "last_opened_at", "completed_at"], lesson_rows())
    cursor.execute("SELECT setval(pg_get_serial_sequence('courses_lessonprogress', 'id'), "
                   "(SELECT MAX(id) FROM courses_lessonprogress))")
    say(f"  {n:,} lesson-progress rows")

    def attempt_rows():
        for _ in range(learners):
            learner, course, enrolled, completed, _ = rng.choice(enrolments)
            quiz_id, quiz_key = quizzes[course]
            submitted = min(end, enrolled + timedelta(seconds=rng.random() * 20 * 86400))
            passed = rng.random() < 0.7
            yield (uuid.uuid4(), learner, quiz_id, quiz_key, 1, "[]", "{}", "{}", 80, submitted.isoformat(),
                   submitted.isoformat(), 90 if passed else 50, "t" if passed else "f")

    n = copier.copy("quizzes_quizattempt", ["id", "learner_id", "quiz_id", "quiz_key", "seed", "question_ids",
                                            "choice_order", "answer_key", "pass_mark", "started_at", "submitted_at",
                                            "score", "passed"], attempt_rows())
    say(f"  {n:,} quiz attempts")

    def certificate_rows():
        done = [e for e in enrolments if e[3] is not None]
        for number, (learner, course, _, completed, _) in enumerate(rng.sample(done, min(len(done),
                                                                                       int(learners * 0.3)))):
            revoked = completed.isoformat() if rng.random() < 0.01 else None
            yield (number + 1, f"BN-{number + 1:09d}", f"C{number + 1:011d}", learner, course, "Khóa học",
                   "Người Học", "", "", "Sở KH&CN", "", "", completed.isoformat(), completed.isoformat(), revoked, "",
                   "")

    n = copier.copy("certificates_certificate", ["id", "serial", "code", "learner_id", "course_key", "course_title",
                                                 "full_name", "commune_name", "province_name", "issuer_name",
                                                 "signer_name", "signer_title", "completed_at", "issued_at",
                                                 "revoked_at", "revoke_reason", "pdf"], certificate_rows())
    cursor.execute("SELECT setval(pg_get_serial_sequence('certificates_certificate', 'id'), "
                   "(SELECT MAX(id) FROM certificates_certificate))")
    say(f"  {n:,} certificates")
    # The activity days the lesson pages and quiz hand-ins would have written (one per learner and local day),
    # marked as the rollups of that year would have left them: counted (folded_in = 0, "an earlier run").
    cursor.execute(
        "INSERT INTO reports_learneractivityday (learner_id, commune_id, day, folded_in) "
        "SELECT DISTINCT a.learner_id, u.commune_id, a.day, 0 FROM ("
        "  SELECT learner_id, (first_opened_at AT TIME ZONE %(tz)s)::date AS day FROM courses_lessonprogress"
        "  UNION ALL SELECT learner_id, (last_opened_at AT TIME ZONE %(tz)s)::date FROM courses_lessonprogress"
        "  UNION ALL SELECT learner_id, (submitted_at AT TIME ZONE %(tz)s)::date FROM quizzes_quizattempt) a "
        "JOIN accounts_user u ON u.id = a.learner_id ON CONFLICT DO NOTHING", {"tz": str(tz)})
    say(f"  {cursor.rowcount:,} activity days")
    cursor.execute("ANALYZE")


def a_day_of_activity(cursor, *, size: int, rng: random.Random, courses, quizzes, communes, offset: int) -> None:
    """What a day brings (`size` = new learners): they join and enrol, 10 × size lesson rows, size hand-ins,
    size / 2 completions and size / 6 certificates; the activity days as the services write them."""
    from django.utils import timezone

    now = timezone.now()
    copier = Copier(cursor)
    cursor.execute("SELECT MAX(id) FROM accounts_user")
    first_id = cursor.fetchone()[0] + 1
    new = list(range(first_id, first_id + size))
    communes_of = {pk: rng.choice(communes) for pk in new}
    copier.copy("accounts_user", ["id", "password", "is_superuser", "username", "is_staff", "is_active",
                                  "date_joined", "full_name", "phone_verified", "email", "year_of_birth", "gender",
                                  "commune_id", "created_via"],
                ((pk, "!", "f", f"bench{pk}", "f", "t", now.isoformat(), "Người Học", "f", "",
                  rng.choice([None, *range(1940, 2012)]), rng.choice(GENDERS), communes_of[pk], rng.choice(VIA))
                 for pk in new))
    cursor.execute("SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), (SELECT MAX(id) FROM accounts_user))")
    copier.copy("courses_enrollment", ["learner_id", "course_key", "commune_id", "enrolled_at"],
                ((pk, rng.choice(courses), communes_of[pk], now.isoformat()) for pk in new))
    cursor.execute("SELECT MAX(id) FROM courses_enrollment")
    top = cursor.fetchone()[0]
    cursor.execute("SELECT learner_id, course_key FROM courses_enrollment WHERE id = ANY(%s)",
                   [[rng.randint(1, top) for _ in range(size * 9)]])
    existing = cursor.fetchall()
    rows = [(pk, course) for pk, course in existing] + [(pk, rng.choice(courses)) for pk in new]
    copier.copy("courses_lessonprogress", ["learner_id", "course_key", "lesson_key", "first_opened_at",
                                           "last_opened_at"],
                ((pk, course, uuid.uuid4(), now.isoformat(), now.isoformat()) for pk, course in rows))
    today = timezone.localdate(now)
    cursor.execute("SELECT u.id, u.commune_id FROM accounts_user u WHERE u.id = ANY(%s)",
                   [list({pk for pk, _ in rows})])
    actives = [(pk, commune) for pk, commune in cursor.fetchall() if commune]
    cursor.execute("INSERT INTO reports_learneractivityday (learner_id, commune_id, day) "
                   "SELECT l, c, %s FROM unnest(%s::bigint[], %s::varchar[]) AS a(l, c) ON CONFLICT DO NOTHING",
                   [today, [pk for pk, _ in actives], [c for _, c in actives]])
    copier.copy("quizzes_quizattempt", ["id", "learner_id", "quiz_id", "quiz_key", "seed", "question_ids",
                                        "choice_order", "answer_key", "pass_mark", "started_at", "submitted_at",
                                        "score", "passed"],
                ((uuid.uuid4(), pk, *quizzes[course], 1, "[]", "{}", "{}", 80, now.isoformat(), now.isoformat(), 90,
                  "t") for pk, course in rows[:size]))
    cursor.execute("UPDATE courses_enrollment SET completed_at = %s WHERE id IN (SELECT id FROM courses_enrollment "
                   "WHERE completed_at IS NULL AND id = ANY(%s))", [now, [rng.randint(1, top) for _ in range(size)]])
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM certificates_certificate")
    base = cursor.fetchone()[0]
    cursor.execute("SELECT e.learner_id, e.course_key FROM courses_enrollment e WHERE e.completed_at >= %s "
                   "AND NOT EXISTS (SELECT 1 FROM certificates_certificate c WHERE c.learner_id = e.learner_id "
                   "AND c.course_key = e.course_key) LIMIT %s", [now, size // 6])
    copier.copy("certificates_certificate", ["serial", "code", "learner_id", "course_key", "course_title",
                                             "full_name", "commune_name", "province_name", "issuer_name",
                                             "signer_name", "signer_title", "completed_at", "issued_at",
                                             "revoke_reason", "pdf"],
                ((f"BN-{base + i + 1:09d}", f"C{base + i + 1:011d}", pk, course, "Khóa học", "Người Học", "", "",
                  "Sở KH&CN", "", "", now.isoformat(), now.isoformat(), "", "")
                 for i, (pk, course) in enumerate(cursor.fetchall())))


# --------------------------------------------------------------------------------------- the measurements

def raw_scan(cursor, courses, quizzes) -> float:
    """The same figures from the raw tables, written as plain GROUP BY queries (no summary rows)."""
    from django.conf import settings
    from django.utils import timezone

    tz = str(timezone.get_default_timezone())

    def band(day_sql: str, born: str) -> str:
        whens = " ".join(f"WHEN extract(year FROM {day_sql}) - {born} <= {high} THEN '{key}'"
                         for key, _, high in settings.STATS_AGE_BANDS if high is not None)
        return f"CASE WHEN {born} IS NULL THEN '' {whens} ELSE '60+' END"

    def local(col: str) -> str:
        return f"({col} AT TIME ZONE '{tz}')::date"

    programme = "', '".join(str(k) for k in courses[:3])
    quiz_course = " ".join(f"WHEN '{key}' THEN '{course}'::uuid" for course, (_, key) in quizzes.items())
    queries = [
        f"SELECT commune_id, {local('date_joined')}, gender, {band(local('date_joined'), 'year_of_birth')}, "  # noqa: S608 (the bench's own text)
        f"created_via, count(*) FROM accounts_user WHERE commune_id IS NOT NULL AND NOT is_staff "
        f"GROUP BY 1, 2, 3, 4, 5",
        *(f"SELECT c, d, g, b, v, count(*) FROM (SELECT DISTINCT ON (e.learner_id) "  # noqa: S608 (the bench's own text)
          f"COALESCE(e.commune_id, u.commune_id) c, {local(f'e.{col}')} d, u.gender g, "
          f"{band(local(f'e.{col}'), 'u.year_of_birth')} b, u.created_via v FROM courses_enrollment e "
          f"JOIN accounts_user u ON u.id = e.learner_id WHERE e.{col} IS NOT NULL ORDER BY e.learner_id, e.{col}, e.id"
          f") f GROUP BY 1, 2, 3, 4, 5" for col in ("enrolled_at", "completed_at")),
        f"SELECT c, d, g, b, v, count(*) FROM (SELECT DISTINCT ON (x.learner_id) "  # noqa: S608 (the bench's own text)
        f"COALESCE(e.commune_id, u.commune_id) c, {local('x.issued_at')} d, u.gender g, "
        f"{band(local('x.issued_at'), 'u.year_of_birth')} b, u.created_via v FROM certificates_certificate x "
        f"JOIN accounts_user u ON u.id = x.learner_id LEFT JOIN courses_enrollment e ON e.learner_id = x.learner_id "
        f"AND e.course_key = x.course_key WHERE x.revoked_at IS NULL ORDER BY x.learner_id, x.issued_at, x.id) f "
        f"GROUP BY 1, 2, 3, 4, 5",
        f"SELECT c, d, g, b, v, count(*) FROM (SELECT DISTINCT ON (e.learner_id) "  # noqa: S608 (the bench's own text)
        f"COALESCE(e.commune_id, u.commune_id) c, {local('e.completed_at')} d, u.gender g, "
        f"{band(local('e.completed_at'), 'u.year_of_birth')} b, u.created_via v FROM courses_enrollment e "
        f"JOIN accounts_user u ON u.id = e.learner_id JOIN (SELECT learner_id FROM courses_enrollment "
        f"WHERE course_key IN ('{programme}') AND completed_at IS NOT NULL GROUP BY learner_id HAVING count(*) = 3) a "
        f"ON a.learner_id = e.learner_id WHERE e.course_key IN ('{programme}') "
        f"ORDER BY e.learner_id, e.completed_at DESC, e.id DESC) f GROUP BY 1, 2, 3, 4, 5",
        *(f"SELECT COALESCE(e.commune_id, u.commune_id), e.course_key, {local(f'e.{col}')}, count(*) "  # noqa: S608 (the bench's own text)
          f"FROM courses_enrollment e JOIN accounts_user u ON u.id = e.learner_id WHERE e.{col} IS NOT NULL "
          f"GROUP BY 1, 2, 3" for col in ("enrolled_at", "completed_at")),
        f"SELECT COALESCE(e.commune_id, u.commune_id), x.course_key, {local('x.issued_at')}, count(*) "  # noqa: S608 (the bench's own text)
        f"FROM certificates_certificate x JOIN accounts_user u ON u.id = x.learner_id LEFT JOIN courses_enrollment e "
        f"ON e.learner_id = x.learner_id AND e.course_key = x.course_key WHERE x.revoked_at IS NULL GROUP BY 1, 2, 3",
        f"SELECT COALESCE(e.commune_id, u.commune_id), q.course, {local('q.submitted_at')}, count(*), "  # noqa: S608 (the bench's own text)
        f"count(*) FILTER (WHERE q.passed) FROM (SELECT *, CASE quiz_key::text {quiz_course} END course "
        f"FROM quizzes_quizattempt WHERE submitted_at IS NOT NULL) q JOIN accounts_user u ON u.id = q.learner_id "
        f"LEFT JOIN courses_enrollment e ON e.learner_id = q.learner_id AND e.course_key = q.course GROUP BY 1, 2, 3",
        "WITH s AS (SELECT commune_id, day, LAG(day) OVER (PARTITION BY learner_id, commune_id ORDER BY day) prev "
        "FROM reports_learneractivityday) SELECT commune_id, d, sum(a7), sum(a30) FROM ("
        "SELECT commune_id, CASE WHEN prev IS NULL THEN day ELSE GREATEST(day, prev + 7) END d, 1 a7, 0 a30 FROM s "
        "UNION ALL SELECT commune_id, day + 7, -1, 0 FROM s "
        "UNION ALL SELECT commune_id, CASE WHEN prev IS NULL THEN day ELSE GREATEST(day, prev + 30) END, 0, 1 FROM s "
        "UNION ALL SELECT commune_id, day + 30, 0, -1 FROM s) t GROUP BY 1, 2",
    ]
    started = time.perf_counter()
    for query in queries:
        cursor.execute(f"SELECT count(*) FROM ({query}) q")  # noqa: S608 (the bench's own text)
        cursor.fetchone()
    return time.perf_counter() - started


def timed_rollup(**kwargs) -> float:
    from reports import services

    started = time.perf_counter()
    services.roll_up(**kwargs)
    return time.perf_counter() - started


def increments(cursor, *, size, rng, courses, quizzes, communes, runs=1) -> float:
    # What autovacuum does after the full rollup has filled the summary tables, long before the next day's runs.
    cursor.execute("ANALYZE")
    times = []
    for offset in range(runs):
        a_day_of_activity(cursor, size=size, rng=rng, courses=courses, quizzes=quizzes, communes=communes,
                          offset=offset)
        times.append(timed_rollup())
    return sorted(times)[len(times) // 2]


def data_set(connection, *, learners, rng, courses, quizzes, communes, today) -> None:
    with connection.cursor() as cursor:
        wipe(cursor.cursor)
        started = time.perf_counter()
        generate(cursor.cursor, learners=learners, rng=rng, courses=courses, quizzes=quizzes, communes=communes,
                 today=today)
        say(f"  generated in {time.perf_counter() - started:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        say("DATABASE_URL must name a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/bdhvs_reports_bench)")
        return 2
    ensure_database(url)
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from places.models import Commune

    connection.ensure_connection()
    rng = random.Random(args.seed)
    courses, quizzes = content()
    communes = list(Commune.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    size = max(1, args.learners // 50)
    say(f"{len(communes):,} communes; increment: {size:,} new learners, {size * 10:,} lesson rows")

    say(f"quarter data set: {args.learners // 4:,} learners")
    data_set(connection, learners=args.learners // 4, rng=rng, courses=courses, quizzes=quizzes, communes=communes,
             today=today)
    timed_rollup(full=True)
    increment_quarter = increments(connection.cursor().cursor, size=size, rng=rng, courses=courses, quizzes=quizzes,
                                   communes=communes)
    say(f"  increment at a quarter: {increment_quarter:.3f} s")

    say(f"data set: {args.learners:,} learners")
    data_set(connection, learners=args.learners, rng=rng, courses=courses, quizzes=quizzes, communes=communes,
             today=today)
    with connection.cursor() as cursor:
        raw_scan(cursor.cursor, courses, quizzes)  # warm the cache: both measurements read warm tables
        raw = min(raw_scan(cursor.cursor, courses, quizzes) for _ in range(2))
    say(f"  raw scans: {raw:.2f} s")
    full = timed_rollup(full=True)
    say(f"  full rollup: {full:.2f} s")
    increment = increments(connection.cursor().cursor, size=size, rng=rng, courses=courses, quizzes=quizzes,
                           communes=communes)
    say(f"  increment: {increment:.3f} s")
    say(f"raw_scan_s={raw:.2f} full_rollup_s={full:.2f} rollup_ratio_to_raw={full / raw:.2f} "
        f"increment_s={increment:.3f} increment_quarter_s={increment_quarter:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
