"""The rollup: raw rows (accounts, enrolments, certificates, quiz attempts, activity days) folded into summary rows.

Every summary figure of a day is a pure function of the raw rows of that day (and of the learners' earlier rows),
plus the frozen contribution of erased accounts. So the rollup recomputes whole days, idempotently: a run finds
the days whose raw rows changed since its watermark (today, as a rule), deletes their live summary rows and
inserts them again with INSERT … SELECT … GROUP BY; the nightly reconciliation does the same for the last days
whatever the timestamps say. Activity is the exception (a learner-day counts for the next 7 and 30 days): its
changes are folded in once per activity row (LearnerActivityDay.folded_in), and the reconciliation recomputes them.

Counting rules (say them on the pages):
- days are local days (settings.TIME_ZONE, Asia/Ho_Chi_Minh); age = the year of the day counted − year of birth;
- registered: accounts with a commune (not staff accounts), by their *current* commune, on the day they joined;
- enrolled_any / completed_any: a learner's first enrolment / first completed course, in the commune of that
  enrolment (Enrollment.commune, the commune at enrolment; the current commune if none was known then);
- achieved: the day the last course of the programme was completed, in that enrolment's commune;
- certified: the learner's first certificate that is not revoked, in the commune of that course's enrolment;
- per course: enrolments, completions, certificates not revoked, quiz hand-ins and passes (the quiz's course),
  all in the commune of the enrolment in that course;
- active in the last 7/30 days: opened a lesson or handed in a quiz on one of those days, in the commune they
  lived in that day; no breakdown by gender or age (the rows would multiply by 72).
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from courses.models import Enrollment
from quizzes.models import QuizAttempt

from .models import (
    CommuneActivityDay,
    CommuneCourseDay,
    CommuneDay,
    CommuneProgrammeDay,
    LearnerActivityDay,
    PendingDay,
    Programme,
    RollupState,
)

STATE = "participation"
EVERYONE = Q()
LOCK_KEY = 1_4014_0001  # pg_advisory_xact_lock: one rollup at a time (#14)
WINDOWS = (7, 30)


# ------------------------------------------------------------------------------------------------ time and ages

@dataclass(frozen=True)
class Days:
    """Local days [first, last]; None for no bound."""

    first: date | None = None
    last: date | None = None

    def filter(self, field: str) -> Q:
        """The rows whose timestamp `field` falls on one of these days (an index range, not a function of it)."""
        q = Q()
        if self.first is not None:
            q &= Q(**{f"{field}__gte": start_of(self.first)})
        if self.last is not None:
            q &= Q(**{f"{field}__lt": start_of(self.last + timedelta(days=1))})
        return q

    def day_filter(self, field: str = "day") -> Q:
        q = Q()
        if self.first is not None:
            q &= Q(**{f"{field}__gte": self.first})
        if self.last is not None:
            q &= Q(**{f"{field}__lte": self.last})
        return q


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def age_band_case(*, year: str, born: str) -> Case:
    """The age band (a key of settings.STATS_AGE_BANDS) in the year annotated `year` of someone born in `born`."""
    whens = [When(**{f"{born}__isnull": True}, then=Value(""))]
    last = ""
    for key, _low, high in settings.STATS_AGE_BANDS:  # in order: the first band whose upper bound fits
        if high is None:
            last = key
            break
        whens.append(When(**{f"{year}__lte": F(born) + high}, then=Value(key)))
    return Case(*whens, default=Value(last), output_field=CharField())


def age_band(year_of_birth: int | None, day: date) -> str:
    """The same rule in Python (tests, the bench)."""
    if year_of_birth is None:
        return ""
    age = day.year - year_of_birth
    for key, _low, high in settings.STATS_AGE_BANDS:
        if high is None or age <= high:
            return key
    return ""


# ------------------------------------------------------------------------------- the figures, as grouped queries
# Each returns a queryset of dicts whose keys are the summary table's columns (k_*) and `n`.

def _breakdown(qs: QuerySet, *, day: str, commune, gender: str, born: str, via: str) -> QuerySet:
    return (qs.annotate(k_day=TruncDate(day), k_year=ExtractYear(day))
            .annotate(k_commune=commune, k_gender=F(gender), k_band=age_band_case(year="k_year", born=born),
                      k_via=F(via))
            .values("k_commune", "k_day", "k_gender", "k_band", "k_via")
            .annotate(n=Count("pk")).order_by())


def enrolment_commune(learner: str = "learner", course: str = "course_key"):
    """The commune at enrolment of the learner's enrolment in that course, else their current commune."""
    at_enrolment = Enrollment.objects.filter(learner=OuterRef(learner), course_key=OuterRef(course))
    return Coalesce(Subquery(at_enrolment.values("commune_id")[:1]), F(f"{learner}__commune_id"),
                    output_field=CharField())


def at_enrolment() -> Coalesce:
    """An enrolment's commune at enrolment, else (none was known then) the learner's current commune."""
    return Coalesce(F("commune_id"), F("learner__commune_id"), output_field=CharField())


def registered(days: Days, learners: Q = EVERYONE) -> QuerySet:
    qs = User.objects.filter(days.filter("date_joined"), learners, commune__isnull=False, is_staff=False)
    return _breakdown(qs, day="date_joined", commune=F("commune_id"), gender="gender", born="year_of_birth",
                      via="created_via")


def _first(model, field: str, days: Days, learners: Q, **only) -> QuerySet:
    """Rows of `model` that are the learner's first by `field` (ties by id), with `field` on these days."""
    earlier = model.objects.filter(learner=OuterRef("learner"), **only).filter(
        Q(**{f"{field}__lt": OuterRef(field)}) | Q(**{field: OuterRef(field), "pk__lt": OuterRef("pk")}))
    return model.objects.filter(days.filter(field), learners, ~Exists(earlier), **only)


def _learner_breakdown(qs: QuerySet, *, day: str, commune) -> QuerySet:
    return _breakdown(qs, day=day, commune=commune, gender="learner__gender", born="learner__year_of_birth",
                      via="learner__created_via")


def enrolled_any(days: Days, learners: Q = EVERYONE) -> QuerySet:
    qs = _first(Enrollment, "enrolled_at", days, learners)
    return _learner_breakdown(qs, day="enrolled_at", commune=at_enrolment())


def completed_any(days: Days, learners: Q = EVERYONE) -> QuerySet:
    qs = _first(Enrollment, "completed_at", days, learners, completed_at__isnull=False)
    return _learner_breakdown(qs, day="completed_at", commune=at_enrolment())


def certified(days: Days, learners: Q = EVERYONE) -> QuerySet:
    qs = _first(Certificate, "issued_at", days, learners, revoked_at__isnull=True)
    return _learner_breakdown(qs, day="issued_at", commune=enrolment_commune())


def achieved(programme: Programme, days: Days, learners: Q = EVERYONE) -> QuerySet | None:
    keys = sorted({str(key) for key in programme.course_keys})
    if not keys:
        return None
    done = Enrollment.objects.filter(learner=OuterRef("learner"), course_key__in=keys, completed_at__isnull=False)
    later = done.filter(Q(completed_at__gt=OuterRef("completed_at"))
                        | Q(completed_at=OuterRef("completed_at"), pk__gt=OuterRef("pk")))
    count_done = done.order_by().values("learner").annotate(c=Count("pk")).values("c")
    qs = (Enrollment.objects.filter(days.filter("completed_at"), learners, course_key__in=keys,
                                    completed_at__isnull=False)
          .filter(~Exists(later)).annotate(courses_done=Subquery(count_done)).filter(courses_done=len(keys)))
    return _learner_breakdown(qs, day="completed_at", commune=at_enrolment())


def _per_course(qs: QuerySet, *, day: str, commune, course="course_key", passes: bool = False) -> QuerySet:
    qs = (qs.annotate(k_day=TruncDate(day), k_commune=commune, k_course=F(course) if isinstance(course, str)
                      else course)
          .values("k_commune", "k_course", "k_day"))
    counts = {"n": Count("pk")}
    if passes:
        counts["passes"] = Count("pk", filter=Q(passed=True))
    return qs.annotate(**counts).order_by()


def course_enrolled(days: Days, learners: Q = EVERYONE) -> QuerySet:
    qs = Enrollment.objects.filter(days.filter("enrolled_at"), learners)
    return _per_course(qs, day="enrolled_at", commune=at_enrolment())


def course_completed(days: Days, learners: Q = EVERYONE) -> QuerySet:
    qs = Enrollment.objects.filter(days.filter("completed_at"), learners, completed_at__isnull=False)
    return _per_course(qs, day="completed_at", commune=at_enrolment())


def course_certified(days: Days, learners: Q = EVERYONE) -> QuerySet:
    qs = Certificate.objects.filter(days.filter("issued_at"), learners, revoked_at__isnull=True)
    return _per_course(qs, day="issued_at", commune=enrolment_commune())


def quiz_courses() -> dict:
    """quiz key → course key (the quiz's parent course page), for every quiz in every language."""
    from wagtail.models import Page

    from courses.models import CoursePage
    from quizzes.models import QuizPage

    courses = dict(CoursePage.objects.values_list("path", "translation_key"))
    return {key: courses[path[:-Page.steplen]] for path, key in QuizPage.objects.values_list("path", "translation_key")
            if path[:-Page.steplen] in courses}


def course_quiz_attempts(days: Days, learners: Q = EVERYONE, quizzes: dict | None = None) -> QuerySet | None:
    quizzes = quiz_courses() if quizzes is None else quizzes
    if not quizzes:
        return None
    course = Case(*[When(quiz_key=quiz, then=Value(course)) for quiz, course in quizzes.items()],
                  output_field=UUIDField())
    qs = (QuizAttempt.objects.filter(days.filter("submitted_at"), learners, quiz_key__in=list(quizzes),
                                     submitted_at__isnull=False)
          .annotate(k_course=course))
    return _per_course(qs, day="submitted_at", commune=enrolment_commune(course="k_course"), course="k_course",
                       passes=True)


# --------------------------------------------------------------------------------------- writing summary rows

def _insert_adding(model, parts: list[tuple[QuerySet | None, dict[str, str]]], *, erased: bool,
                   extra: dict[str, object] | None = None) -> None:
    _insert(model, parts, erased=erased, extra=extra, adding=erased)


def _insert(model, parts: list[tuple[QuerySet | None, dict[str, str]]], *, erased: bool,
            extra: dict[str, object] | None = None, adding: bool = True) -> None:
    """INSERT INTO model SELECT the grouped queries' sums, adding to a row that exists: one statement per table,
    no Python rows. Each part maps its query's keys to the table's columns (the key columns and its measures);
    `extra` are constants (the programme). Live rows are written where the recompute removed them (a plain
    INSERT: an upsert checks every row twice); erased rows are added to."""
    parts = [(qs, columns) for qs, columns in parts if qs is not None]
    if not parts:
        return
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    unique = next(c for c in model._meta.constraints if getattr(c, "fields", None))
    conflict = [model._meta.get_field(name).column for name in unique.fields]
    extra = dict(extra or {})
    keys = [col for col in conflict if col not in extra and col != "erased"]
    measures = list(dict.fromkeys(col for _, columns in parts for col in columns.values() if col not in keys))
    selects, params = [], []
    for qs, columns in parts:
        sql, part_params = qs.query.get_compiler(connection=connection).as_sql()
        by_column = {col: f"m.{q(key)}" for key, col in columns.items()}
        projected = [f"{by_column[col]} AS {col}" for col in keys]
        projected += [f"{by_column.get(col, '0')} AS {col}" for col in measures]
        selects.append(f"SELECT {', '.join(projected)} FROM ({sql}) m")  # noqa: S608 (our own compiled queries)
        params.extend(part_params)
    constants = [*extra, *(["erased"] if "erased" in conflict else [])]
    constant_values = [*extra.values(), *([erased] if "erased" in conflict else [])]
    target = [*keys, *measures, *constants]
    outer = [*keys, *(f"SUM({col})" for col in measures), *(["%s"] * len(constants))]
    updates = ", ".join(f"{col} = {table}.{col} + excluded.{col}" for col in measures)
    statement = (f"INSERT INTO {table} ({', '.join(target)}) SELECT {', '.join(outer)} "  # noqa: S608
                 f"FROM ({' UNION ALL '.join(selects)}) u WHERE commune_id IS NOT NULL GROUP BY {', '.join(keys)}")
    if adding:
        statement += f" ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        # The constants are in the select list, before the grouped queries' own parameters.
        cursor.execute(statement, [*constant_values, *params])


LEARNER_KEYS = {"k_commune": "commune_id", "k_day": "day", "k_gender": "gender", "k_band": "age_band",
                "k_via": "created_via"}
COURSE_KEYS = {"k_commune": "commune_id", "k_course": "course_key", "k_day": "day"}


def write_figures(days: Days, *, learner_id: int | None = None, erased: bool = False) -> None:
    """Add the figures of these days (of one learner only, when given) to the summary rows."""
    own = Q(learner_id=learner_id) if learner_id is not None else EVERYONE
    himself = Q(pk=learner_id) if learner_id is not None else EVERYONE
    _insert_adding(CommuneDay, [
        (registered(days, himself), {**LEARNER_KEYS, "n": "registered"}),
        (enrolled_any(days, own), {**LEARNER_KEYS, "n": "enrolled_any"}),
        (completed_any(days, own), {**LEARNER_KEYS, "n": "completed_any"}),
        (certified(days, own), {**LEARNER_KEYS, "n": "certified"}),
    ], erased=erased)
    for programme in Programme.objects.all():
        _insert_adding(CommuneProgrammeDay, [(achieved(programme, days, own), {**LEARNER_KEYS, "n": "achieved"})],
                       erased=erased, extra={"programme_id": programme.pk})
    _insert_adding(CommuneCourseDay, [
        (course_enrolled(days, own), {**COURSE_KEYS, "n": "enrolled"}),
        (course_completed(days, own), {**COURSE_KEYS, "n": "completed"}),
        (course_certified(days, own), {**COURSE_KEYS, "n": "certified"}),
        (course_quiz_attempts(days, own), {**COURSE_KEYS, "n": "quiz_attempts", "passes": "quiz_passes"}),
    ], erased=erased)


def recompute_days(days: Days) -> None:
    """Replace the live summary rows of these days by the figures computed from the raw rows."""
    for model in (CommuneDay, CommuneProgrammeDay, CommuneCourseDay):
        if days.first is None and days.last is None:
            _empty(model)
        else:
            model.objects.filter(days.day_filter(), erased=False).delete()
    write_figures(days)


def _empty(model) -> None:
    """Remove every live row. On PostgreSQL by TRUNCATE (inside the transaction), putting the erased rows back:
    rows deleted in the same transaction stay in the unique index, and each new row would be checked against
    them (a full recompute took eight times longer)."""
    if connection.vendor != "postgresql":
        model.objects.filter(erased=False).delete() if hasattr(model, "erased") else model.objects.all().delete()
        return
    kept = list(model.objects.filter(erased=True)) if hasattr(model, "erased") else []
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(model._meta.db_table)}")
    model.objects.bulk_create(kept)


# ------------------------------------------------------------------------------------------------ activity

def _sql_add_days(expr: str, n: int) -> str:
    if connection.vendor == "sqlite":
        return f"date({expr}, '{n:+d} days')"
    return f"({expr} + {int(n)})"


def _sql_greatest(a: str, b: str) -> str:
    return f"MAX({a}, {b})" if connection.vendor == "sqlite" else f"GREATEST({a}, {b})"


def _activity_terms(name: str, facts_where: str, sign: int) -> tuple[str, str]:
    """A CTE `name` over the activity days chosen by `facts_where`, and a query of the changes each makes to the
    numbers active: +1 where it starts to count (its own day, or where the window of the learner's previous
    day ends if that one still covers it), -1 where its own window ends; times `sign`."""
    table = LearnerActivityDay._meta.db_table
    cte = (f"{name} AS (SELECT commune_id, day, LAG(day) OVER (PARTITION BY learner_id, commune_id ORDER BY day) "  # noqa: S608
           f"AS prev FROM {table} WHERE {facts_where})")
    parts = []
    for w in WINDOWS:
        a7, a30 = (sign, 0) if w == 7 else (0, sign)
        start = f"CASE WHEN prev IS NULL THEN day ELSE {_sql_greatest('day', _sql_add_days('prev', w))} END"
        parts.append(f"SELECT commune_id, {start} AS d, {a7} AS a7, {a30} AS a30 FROM {name}")  # noqa: S608
        parts.append(f"SELECT commune_id, {_sql_add_days('day', w)} AS d, {-a7} AS a7, {-a30} AS a30 FROM {name}")  # noqa: S608
    return cte, " UNION ALL ".join(parts)


def _add_activity(terms: list[tuple[str, str]], params: list, since: date | None, adding: bool = True) -> None:
    """Add the summed changes to CommuneActivityDay (on days from `since` on only, when given)."""
    table = connection.ops.quote_name(CommuneActivityDay._meta.db_table)
    ctes = ", ".join(cte for cte, _ in terms)
    unions = " UNION ALL ".join(body for _, body in terms)
    where = "WHERE d >= %s" if since else "WHERE 1 = 1"
    statement = (f"WITH {ctes} INSERT INTO {table} (commune_id, day, active_7, active_30) "  # noqa: S608
                 f"SELECT commune_id, d, SUM(a7), SUM(a30) FROM ({unions}) t {where} GROUP BY commune_id, d")
    if adding:
        statement += (f" ON CONFLICT (commune_id, day) DO UPDATE SET active_7 = {table}.active_7 + excluded.active_7, "
                      f"active_30 = {table}.active_30 + excluded.active_30")
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *([since] if since else [])])


def fold_new_activity(run: int) -> int:
    """Count the activity days noted since the last run: mark them with this run's number, then add, for their
    learners, (the changes with them) − (the changes without them). Returns how many were folded."""
    table = LearnerActivityDay._meta.db_table
    with connection.cursor() as cursor:
        # Marking and reading in one statement: a day noted meanwhile waits for the next run, unmarked.
        cursor.execute(f"UPDATE {table} SET folded_in = %s WHERE folded_in IS NULL RETURNING learner_id, day",  # noqa: S608
                       [run])
        new = cursor.fetchall()
    if not new:
        return 0
    learners = sorted({learner for learner, _ in new})
    first = min(date.fromisoformat(day) if isinstance(day, str) else day for _, day in new)
    # Changes before `first` are the same with or without the new days; the previous day of a day from
    # `first` on that matters lies at most one window before it.
    horizon = first - timedelta(days=max(WINDOWS))
    if connection.vendor == "postgresql":
        dirty, learner_params = "learner_id = ANY(%s)", [learners]
    else:
        dirty, learner_params = f"learner_id IN (SELECT learner_id FROM {table} WHERE folded_in = %s)", [run]  # noqa: S608
    dirty += " AND day >= %s AND folded_in IS NOT NULL"
    # One pass over the learners' days: each day's previous day with the new days (prev_all) and without them
    # (prev_old). With them, every day starts to count at start(prev_all) and each new day stops at its window's
    # end; without them, the old days started at start(prev_old) (their ends are the same both ways).
    cte = (f"seq AS (SELECT commune_id, day, folded_in <> %s AS old, LAG(day) OVER w AS prev_all, "  # noqa: S608
           f"MAX(CASE WHEN folded_in <> %s THEN day END) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) "
           f"AS prev_old FROM {table} WHERE {dirty} WINDOW w AS (PARTITION BY learner_id, commune_id ORDER BY day))")
    parts = []
    for w in WINDOWS:
        a7, a30 = (1, 0) if w == 7 else (0, 1)
        for prev, sign, where in (("prev_all", 1, ""), ("prev_old", -1, " WHERE old")):
            start = f"CASE WHEN {prev} IS NULL THEN day ELSE {_sql_greatest('day', _sql_add_days(prev, w))} END"
            parts.append(f"SELECT commune_id, {start} AS d, {sign * a7} AS a7, {sign * a30} AS a30 "  # noqa: S608
                         f"FROM seq{where}")
        parts.append(f"SELECT commune_id, {_sql_add_days('day', w)} AS d, {-a7} AS a7, {-a30} AS a30 "  # noqa: S608
                     f"FROM seq WHERE NOT old")
    _add_activity([(cte, " UNION ALL ".join(parts))], [run, run, *learner_params, horizon], since=first)
    return len(new)


def recompute_activity(first: date | None, run: int) -> None:
    """Recompute the activity changes from `first` on (all of them when None) from every activity day."""
    table = LearnerActivityDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET folded_in = %s WHERE folded_in IS NULL", [run])  # noqa: S608
    if first is None:
        _empty(CommuneActivityDay)
        _add_activity([_activity_terms("facts", "folded_in IS NOT NULL", +1)], [], since=None, adding=False)
        return
    CommuneActivityDay.objects.filter(day__gte=first).delete()
    # A change on a day from `first` on comes from a day at most a window before, whose previous day lies at
    # most a window before that.
    horizon = first - timedelta(days=2 * max(WINDOWS))
    _add_activity([_activity_terms("facts", "folded_in IS NOT NULL AND day >= %s", +1)], [horizon], since=first,
                  adding=False)


# --------------------------------------------------------------------------------------------- the runs

def _lock() -> RollupState:
    """One rollup at a time: the others wait here, then find little or nothing left to do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            # Sorts and hash aggregates of a recompute fit in memory (the default 4 MB spills to disk).
            cursor.execute("SET LOCAL work_mem = '256MB'")
    RollupState.objects.get_or_create(name=STATE)
    return RollupState.objects.select_for_update().get(name=STATE)


def _now() -> datetime:
    return timezone.now()


def changed_days(since: datetime) -> set[date]:
    """The local days whose figures rows stamped since `since` may change (an index range per timestamp)."""
    def days_of(qs: QuerySet, field: str) -> set[date]:
        return set(qs.annotate(d=TruncDate(field)).values_list("d", flat=True).distinct().order_by())

    found = days_of(User.objects.filter(date_joined__gte=since), "date_joined")
    found |= days_of(Enrollment.objects.filter(enrolled_at__gte=since), "enrolled_at")
    found |= days_of(Enrollment.objects.filter(completed_at__gte=since), "completed_at")
    found |= days_of(Certificate.objects.filter(issued_at__gte=since), "issued_at")
    found |= days_of(QuizAttempt.objects.filter(submitted_at__gte=since), "submitted_at")
    # A revoked certificate: its day, and the days of the learner's other certificates (the next one counts).
    revoked = Certificate.objects.filter(revoked_at__gte=since).values("learner_id")
    found |= days_of(Certificate.objects.filter(learner_id__in=revoked), "issued_at")
    return found


def learner_days(user) -> set[date]:
    """Every day a learner's rows count on (for a learner who moved or was erased)."""
    def days_of(qs: QuerySet, field: str) -> set[date]:
        return set(qs.exclude(**{field: None}).annotate(d=TruncDate(field)).values_list("d", flat=True)
                   .distinct().order_by())

    found = {timezone.localdate(user.date_joined)}
    found |= days_of(Enrollment.objects.filter(learner=user), "enrolled_at")
    found |= days_of(Enrollment.objects.filter(learner=user), "completed_at")
    found |= days_of(Certificate.objects.filter(learner=user), "issued_at")
    found |= days_of(QuizAttempt.objects.filter(learner=user), "submitted_at")
    return found


def mark_days(days: Iterable[date]) -> None:
    PendingDay.objects.bulk_create([PendingDay(day=day) for day in set(days)], ignore_conflicts=True)


def _ranges(days: Iterable[date]) -> list[Days]:
    """Consecutive days grouped, so that a week costs one query per figure, not seven."""
    ranges: list[Days] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1].last + timedelta(days=1) == day:
            ranges[-1] = Days(ranges[-1].first, day)
        else:
            ranges.append(Days(day, day))
    return ranges


@dataclass
class RunResult:
    full: bool
    days: int
    activity_folded: int


@transaction.atomic
def roll_up(*, full: bool = False) -> RunResult:
    """Fold what changed since the last run into the summary rows (everything on the first run, or `full`)."""
    state = _lock()
    started = _now()
    state.runs += 1
    full = full or state.watermark is None or state.needs_full
    if full:
        pending = list(PendingDay.objects.values_list("pk", flat=True))
        recompute_days(Days())
        recompute_activity(None, state.runs)
        days, folded = 0, 0
        state.needs_full = False
    else:
        since = state.watermark - timedelta(seconds=settings.STATS_ROLLUP_OVERLAP_SECONDS)
        marked = list(PendingDay.objects.values_list("pk", "day"))
        pending = [pk for pk, _ in marked]
        todo = changed_days(since) | {day for _, day in marked}
        for days in _ranges(todo):
            recompute_days(days)
        days = len(todo)
        folded = fold_new_activity(state.runs)
    PendingDay.objects.filter(pk__in=pending).delete()
    state.watermark = started
    state.last_run_at = started
    state.days_recomputed = days
    state.save()
    return RunResult(full=full, days=days, activity_folded=folded)


@transaction.atomic
def reconcile(*, days: int | None = None) -> RunResult:
    """Recompute the last `days` days (settings.STATS_RECONCILE_DAYS) from the raw rows, whatever the
    timestamps say: corrects drift (a row written with an old timestamp, an edit made in the database)."""
    days = settings.STATS_RECONCILE_DAYS if days is None else days
    state = _lock()
    started = _now()
    state.runs += 1
    first = timezone.localdate(started) - timedelta(days=days - 1)
    recompute_days(Days(first, None))
    recompute_activity(first, state.runs)
    state.last_reconciled_at = started
    state.save()
    return RunResult(full=False, days=days, activity_folded=0)


# ----------------------------------------------------------------------------------------- erasure, moves

def freeze_contribution(*, user) -> None:
    """Before an account is erased: its figures become erased rows (counts only), its activity days anonymous;
    the days it counted on are recomputed by the next run, without it. Called by the pre_delete signal."""
    days = learner_days(user)
    write_figures(Days(), learner_id=user.pk, erased=True)
    anonymous = -random.randint(1, 2**62)  # noqa: S311 (not a secret: only keeps the person's days apart)
    LearnerActivityDay.objects.filter(learner_id=user.pk).update(learner_id=anonymous)
    mark_days(days)


def learner_changed(*, user) -> None:
    """A learner's commune, gender, year of birth or way of sign-up changed: recompute every day they count on."""
    mark_days(learner_days(user))


def programme_changed() -> None:
    RollupState.objects.update_or_create(name=STATE, defaults={"needs_full": True})
