"""Writes for imports: read a file into a preview, confirm it, import its rows in batches (a Celery task)."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Consent, User
from accounts.phone import normalize_phone
from accounts.scoping import visible
from accounts.validators import validate_person_name
from audit.services import record
from cohorts.services import add_members
from places.text import clean_text, search_key
from registration.services import NewResident, is_minor, register_residents

from .models import ImportJob, ImportRow
from .selectors import CommuneFinder
from .spreadsheet import read_rows

BATCH = 1000  # rows read, checked and written at a time: memory stays flat whatever the file's length
OLDEST_YEAR = 1900
YES = frozenset({"co", "x", "yes", "y", "1", "dong y", "true"})
GENDERS = {"": "", "nam": User.Gender.MALE, "male": User.Gender.MALE, "m": User.Gender.MALE,
           "nu": User.Gender.FEMALE, "female": User.Gender.FEMALE, "f": User.Gender.FEMALE,
           "khac": User.Gender.OTHER, "other": User.Gender.OTHER}
Status, Reason = ImportRow.Status, ImportRow.Reason


def preview_upload(*, uploaded_by: User, upload, commune, cohort=None, purposes: list[str],
                   contact_confirmed: bool = False) -> ImportJob:
    """Read the file and check every row, saving only the preview (the job and its rows): no account yet.

    Raises spreadsheet.BadFile, with nothing saved, for a file that is not a list we can read."""
    with transaction.atomic():
        job = ImportJob.objects.create(uploaded_by=uploaded_by, commune=commune, cohort=cohort,
                                       filename=clean_text(upload.name)[:200], purposes=list(purposes),
                                       contact_confirmed=contact_confirmed)
        finder = CommuneFinder(viewer=uploaded_by, default=commune)
        seen: dict[tuple, int] = {}  # a person's key → the first row that names them
        chunk: list[ImportRow] = []
        counts = dict.fromkeys(Status.values, 0)

        def flush():
            _compare_with_registered(chunk, viewer=uploaded_by)
            ImportRow.objects.bulk_create(chunk, batch_size=BATCH)
            for row in chunk:
                counts[row.status] += 1
            chunk.clear()

        for number, cells in read_rows(upload):
            row = _checked(job, number, cells, finder)
            if row.status == Status.NEW:
                key = (row.phone,) if row.phone else (search_key(row.full_name), row.year_of_birth, row.commune_id)
                if key in seen:
                    row.status, row.reason, row.value = Status.DUPLICATE, Reason.REPEATED, str(seen[key])
                else:
                    seen[key] = number
            chunk.append(row)
            if len(chunk) == BATCH:
                flush()
        flush()
        job.total = sum(counts.values())
        job.new, job.existing = counts[Status.NEW], counts[Status.EXISTING]
        job.duplicates, job.errors = counts[Status.DUPLICATE], counts[Status.ERROR]
        job.to_import = job.new + job.existing
        job.status = ImportJob.Status.PREVIEWED
        job.save()
    return job


def _checked(job: ImportJob, number: int, cells: dict[str, str], finder: CommuneFinder) -> ImportRow:
    """The row as read, NEW or the first ERROR found in it."""
    row = ImportRow(job=job, number=number, full_name=" ".join(cells.get("full_name", "").split())[:150],
                    wants_contact=search_key(cells.get("contact", "")) in YES, status=Status.NEW)

    def error(reason, value=""):
        row.status, row.reason, row.value = Status.ERROR, reason, value[:100]
        return row

    if not row.full_name:
        return error(Reason.MISSING_NAME)
    try:
        validate_person_name(row.full_name)
    except ValidationError:
        return error(Reason.BAD_NAME, row.full_name)
    if phone := cells.get("phone", ""):
        try:
            row.phone = normalize_phone(phone)
        except ValidationError:
            return error(Reason.BAD_PHONE, phone)
    if year := cells.get("year_of_birth", ""):
        if not (year.isdigit() and OLDEST_YEAR <= int(year) <= timezone.localdate().year):
            return error(Reason.BAD_YEAR, year)
        row.year_of_birth = int(year)
    gender = search_key(cells.get("gender", ""))
    if gender not in GENDERS:
        return error(Reason.BAD_GENDER, cells["gender"])
    row.gender = GENDERS[gender]
    commune, reason = finder.find(cells.get("commune", ""))
    if reason:
        return error(reason, cells.get("commune", ""))
    row.commune = commune
    if is_minor(row.year_of_birth):
        return error(Reason.MINOR, str(row.year_of_birth))
    return row


def _same_people(rows: list[ImportRow]) -> dict[tuple, int]:
    """(lower-case name, year, commune) → an account registered with them, for rows without that account yet."""
    names = {row.full_name for row in rows}
    if not names:
        return {}
    found = (User.objects.annotate(lower_name=Lower("full_name"))
             # Lower() for PostgreSQL; the exact names too, as SQLite lowers ASCII letters only.
             .filter(Q(lower_name__in={name.lower() for name in names}) | Q(full_name__in=names),
                     commune_id__in={row.commune_id for row in rows})
             .order_by("-pk").values_list("full_name", "year_of_birth", "commune_id", "pk"))
    return {(name.lower(), year, commune): pk for name, year, commune, pk in found}


def _compare_with_registered(rows: list[ImportRow], *, viewer: User) -> None:
    """Mark the rows of people registered already: by phone; without a phone, by name, year and commune (the
    key that keeps re-importing a file from registering anyone twice). A row with a new number but the name,
    year and commune of someone registered is a possible duplicate, left for the trainer to decide."""
    new = [row for row in rows if row.status == Status.NEW]
    by_phone = dict(User.objects.filter(phone__in={row.phone for row in new if row.phone})
                    .values_list("phone", "pk"))
    readable = set(visible(User, viewer).filter(pk__in=by_phone.values()).values_list("pk", flat=True))
    for row in new:
        if row.phone in by_phone:
            row.status, row.learner_id = Status.EXISTING, by_phone[row.phone]
            if row.learner_id not in readable:
                row.reason = Reason.ELSEWHERE
    new = [row for row in new if row.status == Status.NEW]
    same = _same_people(new)
    for row in new:
        match = same.get((row.full_name.lower(), row.year_of_birth, row.commune_id))
        if match and not row.phone:
            row.status, row.learner_id = Status.EXISTING, match
        elif match:
            row.status, row.reason, row.learner_id = Status.DUPLICATE, Reason.SAME_PERSON, match


def confirm_import(*, job: ImportJob) -> bool:
    """Start importing a previewed job, once: a second confirmation (a double tap, two tabs) starts nothing."""
    from .tasks import import_rows

    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.IMPORTING, started_at=timezone.now())
    if claimed:
        transaction.on_commit(lambda: import_rows.delay(job.pk))
    return bool(claimed)


def import_next_batch(*, job_id: int) -> bool:
    """Import the next BATCH rows of a confirmed job; True while rows remain. Safe to run twice at once or again
    after a worker died: the job's row is locked for the batch, and rows are marked imported in the same
    transaction as the accounts they made."""
    with transaction.atomic():
        job = (ImportJob.objects.select_for_update(of=("self",)).select_related("uploaded_by", "cohort")
               .get(pk=job_id))
        if job.status != ImportJob.Status.IMPORTING:
            return False
        rows = list(job.rows.filter(imported=False, status__in=[Status.NEW, Status.EXISTING])
                    .select_related("commune").order_by("number")[:BATCH])
        if rows:
            created, joined = _import(job, rows)
            job.done += len(rows)
            job.created += created
            job.joined += joined
        more = len(rows) == BATCH
        if not more:
            job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
            record(actor=job.uploaded_by, action="residents.import", subject=job.filename, commune=job.commune,
                   job=job.pk, rows=job.total, created=job.created, joined=job.joined,
                   cohort=job.cohort_id)
        job.save(update_fields=["done", "created", "joined", "status", "finished_at"])
    return more


def _import(job: ImportJob, rows: list[ImportRow]) -> tuple[int, int]:
    trainer = job.uploaded_by
    # Someone may have registered meanwhile (in person, or from another file): look again before creating.
    before = {row.pk: row.status for row in rows}
    _compare_with_registered(rows, viewer=trainer)
    changed = [row for row in rows if row.status != before[row.pk]]
    new = [row for row in rows if row.status == Status.NEW]
    cohort = job.cohort if job.cohort and not job.cohort.archived else None
    purposes = list(job.purposes)
    users = register_residents(registered_by=trainer, cohort=cohort, residents=[
        NewResident(full_name=row.full_name, phone=row.phone or None, year_of_birth=row.year_of_birth,
                    gender=row.gender, commune=row.commune,
                    purposes=purposes + ([Consent.Purpose.CONTACT] if job.contact_confirmed and row.wants_contact
                                         else []))
        for row in new])
    for row, user in zip(new, users, strict=True):
        row.learner = user
    joined = len(users) if cohort else 0
    if cohort:
        existing = [row.learner_id for row in rows if row.status == Status.EXISTING]
        joined += add_members(cohort=cohort, added_by=trainer,
                              learners=visible(User, trainer).filter(pk__in=existing).only("pk"))
    ImportRow.objects.bulk_update(changed, ["status", "reason", "learner"])  # rarely any
    _set_learners({row.pk: row.learner_id for row in new})
    ImportRow.objects.filter(pk__in=[row.pk for row in rows]).update(imported=True)
    return len(users), joined


def _set_learners(learners: dict[int, int]) -> None:
    """Each row's new account in one UPDATE … FROM (VALUES …): bulk_update's CASE of a thousand branches costs
    seconds of Python per batch."""
    if not learners:
        return
    table = ImportRow._meta.db_table
    values = ", ".join(["(%s, %s)"] * len(learners))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v(id, learner) AS (VALUES {values}) "  # noqa: S608
            f"UPDATE {table} SET learner_id = v.learner FROM v WHERE {table}.id = v.id",
            [number for pair in learners.items() for number in pair])


def fail_import(*, job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now())
