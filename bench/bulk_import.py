"""Benchmark: a trainer imports a 10,000-row XLSX list of residents — the preview, then the import — on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bdhvs_imports .venv/bin/python bench/bulk_import.py

It creates its own database next to the one named in DATABASE_URL (…_bench), migrates it (in a subprocess, so
migrating does not count in this process's memory), then, in this process: a province with ten communes, a
trainer of three of them with a cohort, 1,500 residents registered already; an XLSX of BENCH_ROWS rows built in
memory (about 1 in 10 rows bad: a wrong phone, year, commune or one outside the trainer's area, a missing name, a
repeat; about 1 in 10 already registered, by phone or, without one, by name + year + commune). It times the
preview (imports.services.preview_upload: read, check, compare, write the preview rows) and the import (the
Celery task's body, imports.services.import_next_batch, batch after batch, in this process), checks the counts,
and imports the file a second time to check that nothing changes. The database is dropped at the end.

Last line: rows=10000 preview_s=… import_s=… peak_rss_mib=… (peak RSS of this process: resource.getrusage).
Goal: preview_s + import_s ≤ 60, peak_rss_mib ≤ 250. Exit 1 when a count is wrong, 2 when the bench failed.
"""

from __future__ import annotations

import io
import os
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
REGISTERED = 1500  # residents already on the platform; some of them are on the list
KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def say(message: str) -> None:
    print(message, flush=True)


def bench_database_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise SystemExit(f"DATABASE_URL must be a PostgreSQL URL (postgres://…), not {parts.scheme or 'empty'}")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the bench only talks to a database on this machine (127.0.0.1)")
    name = (parts.path.lstrip("/") or "bdhvs") + "_bench"
    return name, urlunsplit(parts._replace(path="/" + name))


def admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kibibytes


# ------------------------------------------------------------------------------------------- inside Django

def phone(n: int) -> str:
    return f"091{n:07d}"  # 0910000000 …: valid Vietnamese mobile numbers, one per n


def letters(number: int) -> str:
    """Two letters for a number, as names have no digits: "Người Đã Có BA"."""
    return chr(65 + number % 26) + chr(65 + (number // 26) % 26)


def make_people():
    from accounts.models import User
    from cohorts.models import Cohort
    from places.models import Commune, Province

    province = Province.objects.create(code="22", name="Quảng Ninh", codename="quang_ninh", division_type="tỉnh")
    names = ["Hạ Long", "Bãi Cháy", "Hà Tu", "Cao Xanh", "Hồng Gai", "Hoành Bồ", "Việt Hưng", "Tuần Châu",
             "Hà Lầm", "Hà An"]
    communes = [Commune.objects.create(code=f"066{n:02d}", name=f"Phường {name}", codename=f"p{n}",
                                       division_type="phường", province=province) for n, name in enumerate(names)]
    trainer = User.objects.create(username="trainer", full_name="Vũ Quang Minh", phone="+84912000002")
    trainer.trainer_communes.add(*communes[:3])
    cohort = Cohort.objects.create(commune=communes[0], name="Lớp đông người", created_by=trainer)
    cohort.trainers.add(trainer)
    User.objects.bulk_create([
        User(username=f"r{n}", full_name=f"Người Đã Có {letters(n)}", phone=f"+849{n:08d}" if n % 3 else None,
             year_of_birth=1950 + n % 40, commune=communes[n % 3], password="!")  # noqa: S106
        for n in range(REGISTERED)], batch_size=1000)
    return trainer, cohort, communes


def build_xlsx(communes) -> bytes:
    import openpyxl

    from imports.spreadsheet import HEADERS

    random.seed(13)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Học viên")
    sheet.append(list(HEADERS.values()))
    mine = [communes[0].code, "bai chay", "Phường Hà Tu", ""]  # by code, by name without diacritics, blank
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    given = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Huy", "Thị Lan"]
    for n in range(ROWS):
        kind = n % 20
        name = f"{family[n % 8]} {given[(n // 8) % 8]} {letters(n)}"
        row = [name, phone(n), 1950 + n % 50, ("Nam", "Nữ", "")[n % 3], mine[n % 4], ("Có", "Không")[n % 2]]
        if kind == 1:
            row[1] = "0912 ABC " + str(n)  # a wrong phone
        elif kind == 2:
            row[2] = "196x"  # a wrong year
        elif kind == 3:
            row[4] = ("Phường Không Có", "Phường Hà Lầm")[(n // 20) % 2]  # unknown / outside the trainer's area
        elif kind == 4 and n % 40 == 4:
            row[0] = ""  # a missing name
        elif kind == 5:
            registered = (n // 20) % REGISTERED
            if registered % 3:  # already registered, found by phone
                row[1] = f"09{registered:08d}"
            else:  # … or, without a phone, by name + year + commune
                row = [f"Người Đã Có {letters(registered)}", "", 1950 + registered % 40, "",
                       communes[registered % 3].code, ""]
        elif kind == 6 and n > 20:
            row[1] = phone(n - 13)  # a repeat of an earlier row of the file
        elif kind in (7, 8):
            row[1] = ""  # no phone of their own
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_inside() -> int:
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from accounts.models import Consent, User
    from cohorts.models import Membership
    from imports import services, tasks

    tasks.import_rows.delay = lambda job_id: None  # the confirmation queues nothing: the loop below is the task
    trainer, cohort, communes = make_people()
    content = build_xlsx(communes)
    say(f"{ROWS} rows, {len(content) / 1024:.0f} KiB of XLSX; {REGISTERED} residents registered already")
    rss_before = peak_rss_mib()

    def preview():
        upload = SimpleUploadedFile("danh-sach.xlsx", content)
        return services.preview_upload(uploaded_by=trainer, upload=upload, commune=communes[0], cohort=cohort,
                                       purposes=["learning"], contact_confirmed=True)

    def run_import(job):
        with transaction.atomic():
            services.confirm_import(job=job)
        while services.import_next_batch(job_id=job.pk):  # the task's body, batch after batch
            pass
        job.refresh_from_db()
        return job

    started = time.perf_counter()
    job = preview()
    preview_s = time.perf_counter() - started
    say(f"preview: {job.total} rows — {job.new} new, {job.existing} already registered, "
        f"{job.duplicates} possible duplicates, {job.errors} errors in {preview_s:.2f} s")
    reasons = Counter(job.rows.exclude(reason="").values_list("reason", flat=True))
    say("  reasons: " + ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items())))
    users_before = User.objects.count()
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        job = profile.runcall(run_import, job)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    else:
        job = run_import(job)
    import_s = time.perf_counter() - started
    say(f"import: {job.created} accounts created, {job.joined} added to the cohort in {import_s:.2f} s "
        f"({job.status})")
    problems = []
    if job.total != ROWS or job.status != "done" or job.done != job.to_import:
        problems.append(f"job: total={job.total} status={job.status} done={job.done}/{job.to_import}")
    if User.objects.count() - users_before != job.new or job.created != job.new:
        problems.append(f"accounts: {User.objects.count() - users_before} made for {job.new} new rows")
    counts = (User.objects.count(), Consent.objects.count(), Membership.objects.count())
    again = run_import(preview())
    if (again.new, again.created, again.joined) != (0, 0, 0) or counts != (
            User.objects.count(), Consent.objects.count(), Membership.objects.count()):
        problems.append(f"re-import changed something: new={again.new} created={again.created} "
                        f"joined={again.joined}")
    else:
        say("re-importing the same file: nothing changed")
    say(f"peak RSS {rss_before:.0f} MiB before the preview")
    for problem in problems:
        say(f"PROBLEM: {problem}")
    say(f"rows={ROWS} preview_s={preview_s:.2f} import_s={import_s:.2f} peak_rss_mib={peak_rss_mib():.0f}")
    return 1 if problems else 0


def main() -> int:
    source = os.environ.get("DATABASE_URL", "")
    if not source:
        raise SystemExit("set DATABASE_URL to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/bdhvs_imports")
    name, url = bench_database_url(source)
    env = {key: value for key, value in os.environ.items() if key in KEPT_ENV or key.startswith("BENCH_")}
    env.update({"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATABASE_URL": url, "DEBUG": "0",
                "CELERY_BROKER_URL": "", "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"})
    admin = admin_connection(source)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        step = time.monotonic()
        run = {"cwd": REPO_ROOT, "env": env, "capture_output": True, "text": True, "check": False}
        result = subprocess.run([PYTHON, "manage.py", "migrate", "--noinput"], timeout=300, **run)  # noqa: S603
        if result.returncode:
            raise RuntimeError(f"migrate failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        say(f"database {name} migrated in {time.monotonic() - step:.1f} s")
        # A fresh process for the measured part: its peak RSS is the import's, not migrate's.
        result = subprocess.run([PYTHON, __file__, "--inside"], cwd=REPO_ROOT, env=env, timeout=600,  # noqa: S603
                                check=False)
        return result.returncode
    except Exception as error:  # noqa: BLE001
        say(f"bench failed: {error}")
        return 2
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    sys.exit(run_inside() if sys.argv[1:] == ["--inside"] else main())
