"""Reads of the statistics: figures for a commune, a province or the country, from the summary rows only.

Summary rows hold what happened each day; a figure "on" a day is the sum of the rows up to that day. A province
and the country are sums of their communes. Rates are against the target population of the day's year; a
province's rate counts only its communes that have a target (a commune without one shows no rate, not zero).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, Sum

from places.models import Commune

from .models import CommuneActivityDay, CommuneCourseDay, CommuneDay, CommuneProgrammeDay, Programme, Target

LEARNER_MEASURES = ("registered", "enrolled_any", "completed_any", "certified")
ACTIVE_MEASURES = ("active_7", "active_30")
COURSE_MEASURES = ("enrolled", "completed", "certified", "quiz_attempts", "quiz_passes")
BREAKDOWNS = ("gender", "age_band", "created_via")


@dataclass
class Figures:
    """The indicators of one place on one day, and their rates against its target."""

    counts: dict[str, int] = field(default_factory=dict)  # measure → number; "achieved:<programme id>" too
    population: int | None = None  # target population of the communes that have a target
    goal: int | None = None  # head-count asked for (head-count, or rate × population)
    counted_against_target: dict[str, int] = field(default_factory=dict)  # counts of communes with a target

    def rate(self, measure: str) -> float | None:
        """The share of the target population (0–1); None without a target."""
        if not self.population:
            return None
        return self.counted_against_target.get(measure, 0) / self.population

    def progress(self, measure: str) -> float | None:
        """How far to the goal (0–1, may pass 1); None without a goal."""
        if not self.goal:
            return None
        return self.counted_against_target.get(measure, 0) / self.goal

    def add(self, other: "Figures") -> None:
        for measure, n in other.counts.items():
            self.counts[measure] = self.counts.get(measure, 0) + n
        for measure, n in other.counted_against_target.items():
            self.counted_against_target[measure] = self.counted_against_target.get(measure, 0) + n
        if other.population is not None:
            self.population = (self.population or 0) + other.population
        if other.goal is not None:
            self.goal = (self.goal or 0) + other.goal


def achieved_key(programme: Programme | int) -> str:
    return f"achieved:{getattr(programme, 'pk', programme)}"


def current_targets(*, year: int, communes: Q = Q()) -> dict[str, Target]:  # noqa: B008
    """commune code → its target for the year: the latest change (a few rows per commune and year)."""
    rows = Target.objects.filter(communes, year=year).order_by("commune_id", "changed_at", "pk")
    return {target.commune_id: target for target in rows}  # in order: the latest one stays


def _scope(*, commune: Commune | None = None, province=None) -> Q:
    if commune is not None:
        return Q(commune_id=commune.pk)
    if province is not None:
        return Q(commune__province_id=getattr(province, "pk", province))
    return Q()


def counts_by_commune(day: date, *, communes: Q = Q()) -> dict[str, dict[str, int]]:  # noqa: B008
    """commune code → measure → number on `day` (rows up to and including it): a few grouped queries."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    upto = Q(day__lte=day) & communes

    def fold(rows, measures, key=lambda row, m: m):
        for row in rows:
            for measure in measures:
                name = key(row, measure)
                counts[row["commune_id"]][name] = counts[row["commune_id"]].get(name, 0) + (row[measure] or 0)

    fold(CommuneDay.objects.filter(upto).values("commune_id").annotate(**{m: Sum(m) for m in LEARNER_MEASURES})
         .order_by(), LEARNER_MEASURES)
    fold(CommuneActivityDay.objects.filter(upto).values("commune_id")
         .annotate(**{m: Sum(m) for m in ACTIVE_MEASURES}).order_by(), ACTIVE_MEASURES)
    fold(CommuneProgrammeDay.objects.filter(upto).values("commune_id", "programme_id")
         .annotate(achieved=Sum("achieved")).order_by(), ("achieved",),
         key=lambda row, m: achieved_key(row["programme_id"]))
    return counts


def _figures(counts: dict[str, int], target: Target | None) -> Figures:
    figures = Figures(counts=dict(counts))
    if target is not None:
        figures.population = target.population
        figures.goal = target.goal
        figures.counted_against_target = dict(counts)
    return figures


def communes_table(day: date, *, province=None) -> dict[str, Figures]:
    """commune code → Figures, for every commune of the province (or the country), with or without rows."""
    scope = _scope(province=province)
    codes = Commune.objects.filter(Q(province_id=getattr(province, "pk", province)) if province else Q())
    counts = counts_by_commune(day, communes=scope)
    targets = current_targets(year=day.year, communes=scope)
    return {code: _figures(counts.get(code, {}), targets.get(code)) for code in codes.values_list("pk", flat=True)}


def commune_figures(commune: Commune, day: date) -> Figures:
    scope = _scope(commune=commune)
    counts = counts_by_commune(day, communes=scope).get(commune.pk, {})
    return _figures(counts, current_targets(year=day.year, communes=scope).get(commune.pk))


def _total(day: date, scope: Q) -> Figures:
    counts = counts_by_commune(day, communes=scope)
    targets = current_targets(year=day.year, communes=scope)
    total = Figures()
    for code in set(counts) | set(targets):
        total.add(_figures(counts.get(code, {}), targets.get(code)))
    return total


def province_figures(province, day: date) -> Figures:
    """The sum of the province's communes."""
    return _total(day, _scope(province=province))


def country_figures(day: date) -> Figures:
    return _total(day, Q())


def provinces_table(day: date) -> dict[str, Figures]:
    """province code → Figures (the national page): sums of communes, in one pass."""
    from places.models import Province

    counts = counts_by_commune(day)
    targets = current_targets(year=day.year)
    province_of = dict(Commune.objects.values_list("pk", "province_id"))
    table = {code: Figures() for code in Province.objects.values_list("pk", flat=True)}
    for code in set(counts) | set(targets):
        table[province_of[code]].add(_figures(counts.get(code, {}), targets.get(code)))
    return table


def time_series(first: date, last: date, *, commune: Commune | None = None, province=None,
                step: int = 7) -> list[dict]:
    """Periods of `step` days from `first`: what happened in each (new registrations, achievements, …) and the
    figure at its end. Active figures are the numbers on the period's last day."""
    scope = _scope(commune=commune, province=province)
    start_counts = counts_by_commune(first - timedelta(days=1), communes=scope)
    running: dict[str, int] = defaultdict(int)
    for per_commune in start_counts.values():
        for measure, n in per_commune.items():
            running[measure] += n
    window = scope & Q(day__gte=first, day__lte=last)
    daily: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (CommuneDay.objects.filter(window).values("day")
                .annotate(**{m: Sum(m) for m in LEARNER_MEASURES}).order_by()):
        for measure in LEARNER_MEASURES:
            daily[row["day"]][measure] += row[measure]
    for row in CommuneActivityDay.objects.filter(window).values("day").annotate(
            **{m: Sum(m) for m in ACTIVE_MEASURES}).order_by():
        for measure in ACTIVE_MEASURES:
            daily[row["day"]][measure] += row[measure]
    for row in CommuneProgrammeDay.objects.filter(window).values("day", "programme_id").annotate(
            n=Sum("achieved")).order_by():
        daily[row["day"]][achieved_key(row["programme_id"])] += row["n"]
    periods = []
    start = first
    while start <= last:
        end = min(start + timedelta(days=step - 1), last)
        new: dict[str, int] = defaultdict(int)
        day = start
        while day <= end:
            for measure, n in daily.get(day, {}).items():
                new[measure] += n
            day += timedelta(days=1)
        for measure, n in new.items():
            running[measure] += n
        periods.append({"first": start, "last": end, "new": dict(new), "total": dict(running)})
        start = end + timedelta(days=1)
    return periods


def per_course(day: date, *, commune: Commune | None = None, province=None) -> dict:
    """course key → enrolled, completed, certified, quiz attempts and passes up to `day`, and the pass rate."""
    rows = (CommuneCourseDay.objects.filter(_scope(commune=commune, province=province), day__lte=day)
            .values("course_key").annotate(**{m: Sum(m) for m in COURSE_MEASURES}).order_by())
    courses = {}
    for row in rows:
        figures = {m: row[m] or 0 for m in COURSE_MEASURES}
        attempts = figures["quiz_attempts"]
        figures["pass_rate"] = figures["quiz_passes"] / attempts if attempts else None
        courses[row["course_key"]] = figures
    return courses


def breakdown(day: date, by: str, *, commune: Commune | None = None, province=None,
              programme: Programme | None = None) -> dict[str, dict[str, int]]:
    """value of `by` (gender, age_band, created_via) → measure → number up to `day` (active: no breakdown)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"no breakdown by {by}")
    scope = _scope(commune=commune, province=province) & Q(day__lte=day)
    result: dict[str, dict[str, int]] = defaultdict(dict)
    sums = {m: Sum(m) for m in LEARNER_MEASURES}
    for row in CommuneDay.objects.filter(scope).values(by).annotate(**sums).order_by():
        result[row[by]].update({m: row[m] or 0 for m in LEARNER_MEASURES})
    achieved = CommuneProgrammeDay.objects.filter(scope)
    if programme is not None:
        achieved = achieved.filter(programme=programme)
    for row in achieved.values(by, "programme_id").annotate(n=Sum("achieved")).order_by():
        result[row[by]][achieved_key(row["programme_id"])] = row["n"]
    return dict(result)
