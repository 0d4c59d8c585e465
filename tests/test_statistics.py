"""Participation statistics: the summary rows give the figures computed independently from the raw rows, on a
data set with the awkward cases; an incremental run gives what a full recompute gives; a second run changes
nothing; an erased account still counts; days are local days."""

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from cohorts.models import Cohort, Membership
from courses.models import Enrollment
from places.models import Commune
from quizzes.models import QuizAttempt
from reports import selectors, services
from reports.models import (
    CommuneActivityDay,
    CommuneCourseDay,
    CommuneDay,
    CommuneProgrammeDay,
    LearnerActivityDay,
    Programme,
    Target,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

COURSE_A, COURSE_B, COURSE_C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
QUIZ_A = uuid.uuid4()
D0 = date(2026, 3, 2)  # a Monday


def at(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """A moment on a local (Asia/Ho_Chi_Minh) day."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute, second)), timezone.get_default_timezone())


def enrol(learner, course, when, *, commune=None, completed=None) -> Enrollment:
    enrolment = Enrollment.objects.create(learner=learner, course_key=course,
                                          commune=commune or learner.commune)
    Enrollment.objects.filter(pk=enrolment.pk).update(enrolled_at=when, completed_at=completed)
    return enrolment


serials = iter(range(1, 1000))


def certify(learner, course, when, *, revoked=None) -> Certificate:
    number = next(serials)
    certificate = Certificate.objects.create(
        serial=f"QN-2026-{number:06d}", code=f"CODE{number:06d}", learner=learner, course_key=course,
        course_title="Khóa học", full_name=learner.full_name, issuer_name="Sở KH&CN", completed_at=when)
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=when, revoked_at=revoked)
    return certificate


def hand_in(learner, when, *, passed):
    attempt = QuizAttempt.objects.create(learner=learner, quiz_key=QUIZ_A, seed=1)
    QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=when, score=90 if passed else 40, passed=passed)


def active(learner, day, commune=None):
    LearnerActivityDay.objects.create(learner_id=learner.pk, commune=commune or learner.commune, day=day)


@pytest.fixture
def quiz_of_a(monkeypatch):
    """The quiz belongs to course A (the page tree is not needed for the figures)."""
    monkeypatch.setattr(services, "quiz_courses", lambda: {QUIZ_A: COURSE_A})


@pytest.fixture
def programme():
    return Programme.objects.create(name="Kỹ năng số cơ bản cho người dân", course_keys=[str(COURSE_A),
                                                                                         str(COURSE_B)])


@pytest.fixture
def data(places, people, programme):
    """The awkward cases, over two weeks from D0."""
    ha_long, bai_chay, hoan_kiem = places["ha_long"], places["bai_chay"], places["hoan_kiem"]
    lan, mai, hoa = people["lan"], people["mai"], people["hoa"]
    User.objects.filter(pk__in=[lan.pk, mai.pk, hoa.pk]).update(date_joined=at(D0))
    User.objects.filter(pk=lan.pk).update(gender="female", created_via="trainer")
    User.objects.filter(pk=mai.pk).update(gender="female")
    User.objects.filter(pk=hoa.pk).update(gender="male", created_via="import")
    for user in (lan, mai, hoa):
        user.refresh_from_db()
    # Lan achieves the programme in Hạ Long, is certified, then moves to Bãi Cháy.
    enrol(lan, COURSE_A, at(D0, 10), completed=at(D0 + timedelta(days=2), 15))
    enrol(lan, COURSE_B, at(D0 + timedelta(days=1), 8), completed=at(D0 + timedelta(days=4), 20))
    certify(lan, COURSE_A, at(D0 + timedelta(days=2), 16))
    hand_in(lan, at(D0 + timedelta(days=2), 14), passed=False)
    hand_in(lan, at(D0 + timedelta(days=2), 14, 30), passed=True)
    for day in (D0, D0 + timedelta(days=2), D0 + timedelta(days=4)):
        active(lan, day, ha_long)
    # Mai: a certificate revoked, then a second course certified later.
    enrol(mai, COURSE_A, at(D0 + timedelta(days=1)), completed=at(D0 + timedelta(days=3)))
    enrol(mai, COURSE_C, at(D0 + timedelta(days=5)), completed=at(D0 + timedelta(days=8)))
    certify(mai, COURSE_A, at(D0 + timedelta(days=3)), revoked=at(D0 + timedelta(days=6)))
    certify(mai, COURSE_C, at(D0 + timedelta(days=8)))
    # Midnight in Asia/Ho_Chi_Minh: one second before and at 00:00 are two days.
    enrol(hoa, COURSE_A, at(D0 + timedelta(days=2), 23, 59, 59))
    enrol(hoa, COURSE_C, at(D0 + timedelta(days=3), 0, 0, 0), completed=at(D0 + timedelta(days=6), 23, 59, 59))
    hand_in(hoa, at(D0 + timedelta(days=3), 0, 0, 0), passed=True)
    active(hoa, D0 + timedelta(days=2))
    active(hoa, D0 + timedelta(days=3))
    # A learner in two cohorts counts once; a learner with no year of birth is of no age band; a minor.
    tuan = make_user(full_name="Trần Văn Tuấn", commune=bai_chay, year_of_birth=2011, gender="male",
                     date_joined=at(D0 + timedelta(days=1)))
    tam = make_user(full_name="Lê Thị Tâm", commune=hoan_kiem, date_joined=at(D0 + timedelta(days=7)))
    for name in ("Lớp sáng", "Lớp chiều"):
        Membership.objects.create(cohort=Cohort.objects.create(commune=bai_chay, name=name), learner=tuan)
    enrol(tuan, COURSE_A, at(D0 + timedelta(days=1), 9), completed=at(D0 + timedelta(days=9)))
    enrol(tuan, COURSE_B, at(D0 + timedelta(days=9)), completed=at(D0 + timedelta(days=10)))
    enrol(tam, COURSE_B, at(D0 + timedelta(days=8)))
    for offset in (1, 5, 9, 10):
        active(tuan, D0 + timedelta(days=offset))
    # Targets: Hạ Long changed its target (the latest counts), Bãi Cháy has a head-count, Hoàn Kiếm none.
    Target.objects.create(commune=ha_long, year=2026, population=100, rate=Decimal("50"),
                          changed_at=at(D0 - timedelta(days=30)))
    Target.objects.create(commune=ha_long, year=2026, population=200, rate=Decimal("80"), changed_at=at(D0))
    Target.objects.create(commune=bai_chay, year=2026, population=50, head_count=40, changed_at=at(D0))
    return {"lan": lan, "mai": mai, "hoa": hoa, "tuan": tuan, "tam": tam, "places": places}


def move(user, commune):
    user.commune = commune
    user.save()


# ------------------------------------------------------------------------- the figures computed independently

def local_day(moment):
    return timezone.localtime(moment).date()


def expected_counts(day: date, programme: Programme) -> dict[str, dict[str, int]]:
    """commune → measure → number on `day`, from the raw rows, in plain Python (no summary row read)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    learners = {u.pk: u for u in User.objects.filter(is_staff=False)}
    for user in learners.values():
        if user.commune_id and local_day(user.date_joined) <= day:
            counts[user.commune_id]["registered"] += 1
    enrolments = defaultdict(list)
    for e in Enrollment.objects.all():
        enrolments[e.learner_id].append(e)
    for learner_id, rows in enrolments.items():
        user = learners[learner_id]

        def commune_of(e, user=user):
            return e.commune_id or user.commune_id

        first = min(rows, key=lambda e: (e.enrolled_at, e.pk))
        if local_day(first.enrolled_at) <= day:
            counts[commune_of(first)]["enrolled_any"] += 1
        done = [e for e in rows if e.completed_at]
        if done:
            first_done = min(done, key=lambda e: (e.completed_at, e.pk))
            if local_day(first_done.completed_at) <= day:
                counts[commune_of(first_done)]["completed_any"] += 1
        keys = {uuid.UUID(k) for k in programme.course_keys}
        in_programme = [e for e in done if e.course_key in keys]
        if {e.course_key for e in in_programme} == keys:
            last = max(in_programme, key=lambda e: (e.completed_at, e.pk))
            if local_day(last.completed_at) <= day:
                counts[commune_of(last)][selectors.achieved_key(programme)] += 1
    certificates = defaultdict(list)
    for c in Certificate.objects.filter(revoked_at__isnull=True):
        certificates[c.learner_id].append(c)
    for learner_id, rows in certificates.items():
        first = min(rows, key=lambda c: (c.issued_at, c.pk))
        if local_day(first.issued_at) <= day:
            enrolment = Enrollment.objects.filter(learner_id=learner_id, course_key=first.course_key).first()
            commune = (enrolment and enrolment.commune_id) or learners[learner_id].commune_id
            counts[commune]["certified"] += 1
    for window, measure in ((7, "active_7"), (30, "active_30")):
        seen = {(a.commune_id, a.learner_id) for a in LearnerActivityDay.objects.filter(
            day__gt=day - timedelta(days=window), day__lte=day)}
        for commune, _ in seen:
            counts[commune][measure] += 1
    return {commune: dict(measures) for commune, measures in counts.items()}


def figures_of_summary(day: date) -> dict[str, dict[str, int]]:
    found = {}
    for commune in Commune.objects.all():
        counts = {m: n for m, n in selectors.commune_figures(commune, day).counts.items() if n}
        if counts:
            found[commune.pk] = counts
    return found


def summary_snapshot() -> dict:
    """Every summary row's numbers by its key, live and erased rows summed (what the pages would read)."""
    snapshot = {}
    for model, measures, keys in (
        (CommuneDay, selectors.LEARNER_MEASURES, ("commune_id", "day", "gender", "age_band", "created_via")),
        (CommuneProgrammeDay, ("achieved",), ("commune_id", "day", "programme_id", "gender", "age_band",
                                              "created_via")),
        (CommuneCourseDay, selectors.COURSE_MEASURES, ("commune_id", "course_key", "day")),
        (CommuneActivityDay, selectors.ACTIVE_MEASURES, ("commune_id", "day")),
    ):
        for row in model.objects.values(*keys, *measures):
            key = (model.__name__, *(row[k] for k in keys))
            numbers = snapshot.setdefault(key, defaultdict(int))
            for measure in measures:
                numbers[measure] += row[measure]
    return {key: dict(numbers) for key, numbers in snapshot.items() if any(numbers.values())}


DAYS = [D0 - timedelta(days=1), *(D0 + timedelta(days=n) for n in range(0, 16)), D0 + timedelta(days=40)]


def test_the_figures_are_those_computed_from_the_raw_rows(data, programme):
    move(data["lan"], data["places"]["bai_chay"])  # registration follows her, enrolments stay in Hạ Long
    services.roll_up()
    for day in DAYS:
        assert figures_of_summary(day) == expected_counts(day, programme), day


def test_the_counting_rules_on_the_awkward_cases(data, programme, quiz_of_a):
    ha_long, bai_chay, hoan_kiem = (data["places"][k] for k in ("ha_long", "bai_chay", "hoan_kiem"))
    move(data["lan"], bai_chay)
    services.roll_up()
    day = D0 + timedelta(days=12)
    lan_moved = selectors.commune_figures(bai_chay, day).counts
    assert lan_moved["registered"] == 3  # Mai, Tuấn, and Lan who moved here
    ha_long_counts = selectors.commune_figures(ha_long, day).counts
    assert ha_long_counts["registered"] == 0
    assert ha_long_counts["enrolled_any"] == 1 and ha_long_counts[selectors.achieved_key(programme)] == 1
    assert ha_long_counts["certified"] == 1
    # Mai's revoked certificate does not count; her later one does, on its own day.
    assert selectors.commune_figures(bai_chay, D0 + timedelta(days=7)).counts.get("certified", 0) == 0
    assert selectors.commune_figures(bai_chay, D0 + timedelta(days=8)).counts["certified"] == 1
    # Tuấn is in two cohorts and counts once.
    assert selectors.commune_figures(bai_chay, day).counts["enrolled_any"] == 2
    # Hoa enrolled at 23:59:59 on day 2 and at 00:00:00 on day 3: she counts from day 2, course C from day 3.
    assert selectors.commune_figures(hoan_kiem, D0 + timedelta(days=1)).counts.get("enrolled_any", 0) == 0
    assert selectors.commune_figures(hoan_kiem, D0 + timedelta(days=2)).counts["enrolled_any"] == 1
    courses_day_2 = selectors.per_course(D0 + timedelta(days=2), commune=hoan_kiem)
    assert COURSE_C not in courses_day_2
    assert selectors.per_course(D0 + timedelta(days=3), commune=hoan_kiem)[COURSE_C]["enrolled"] == 1
    # Quiz pass rate of course A: Lan failed once then passed; Hoa's attempt is for course A too.
    course_a = selectors.per_course(day)[COURSE_A]
    assert (course_a["quiz_attempts"], course_a["quiz_passes"]) == (3, 2)
    assert course_a["pass_rate"] == pytest.approx(2 / 3)


def test_rates_against_targets_and_a_commune_without_one(data, programme):
    ha_long, bai_chay, hoan_kiem = (data["places"][k] for k in ("ha_long", "bai_chay", "hoan_kiem"))
    services.roll_up()
    day = D0 + timedelta(days=12)
    ha_long_figures = selectors.commune_figures(ha_long, day)
    assert ha_long_figures.population == 200  # the latest target, not the first
    assert ha_long_figures.goal == 160  # 80 % of 200
    assert ha_long_figures.rate("registered") == pytest.approx(1 / 200)
    assert ha_long_figures.progress(selectors.achieved_key(programme)) == pytest.approx(1 / 160)
    no_target = selectors.commune_figures(hoan_kiem, day)
    assert no_target.counts["registered"] == 2
    assert no_target.population is None and no_target.rate("registered") is None
    assert no_target.progress("registered") is None
    assert selectors.commune_figures(bai_chay, day).goal == 40  # a head-count
    province = selectors.province_figures(data["places"]["quang_ninh"], day)
    assert province.population == 250 and province.goal == 200
    assert province.counts["registered"] == 3
    assert province.rate("registered") == pytest.approx(3 / 250)
    country = selectors.country_figures(day)
    assert country.counts["registered"] == 5  # Hoàn Kiếm counts, without a rate
    assert country.population == 250
    assert country.rate("registered") == pytest.approx(3 / 250)
    assert selectors.provinces_table(day)[data["places"]["ha_noi"].pk].rate("registered") is None
    table = selectors.communes_table(day, province=data["places"]["quang_ninh"])
    assert set(table) == {ha_long.pk, bai_chay.pk}


def test_targets_keep_their_history(data):
    ha_long = data["places"]["ha_long"]
    assert Target.objects.filter(commune=ha_long, year=2026).count() == 2
    assert selectors.current_targets(year=2026)[ha_long.pk].population == 200
    assert selectors.current_targets(year=2025) == {}


def test_an_incremental_run_gives_what_a_full_recompute_gives(data, programme, quiz_of_a):
    lan, mai, hoa, tam = data["lan"], data["mai"], data["hoa"], data["tam"]
    services.roll_up()
    # After the first run: a move, a revocation, new enrolments and activity, an erased account.
    move(lan, data["places"]["hoan_kiem"])
    Certificate.objects.filter(learner=mai, course_key=COURSE_C).update(revoked_at=timezone.now())
    enrol(tam, COURSE_A, timezone.now(), completed=timezone.now())
    active(tam, timezone.localdate())
    active(mai, D0 + timedelta(days=9))  # late, between earlier days
    hoa.delete()
    services.roll_up()
    incremental = summary_snapshot()
    services.roll_up(full=True)
    assert summary_snapshot() == incremental


def test_running_twice_changes_nothing(data):
    services.roll_up()
    first = summary_snapshot()
    services.roll_up()
    assert summary_snapshot() == first
    services.reconcile(days=30)
    assert summary_snapshot() == first


def test_an_erased_account_still_counts(data, programme, quiz_of_a):
    hoan_kiem = data["places"]["hoan_kiem"]
    services.roll_up()
    day = D0 + timedelta(days=12)
    before = selectors.commune_figures(hoan_kiem, day).counts
    courses_before = selectors.per_course(day)
    active_before = selectors.commune_figures(hoan_kiem, D0 + timedelta(days=3)).counts["active_7"]
    hoa_id = data["hoa"].pk
    data["hoa"].delete()
    services.roll_up()
    assert selectors.commune_figures(hoan_kiem, day).counts == before
    assert selectors.per_course(day) == courses_before
    assert selectors.commune_figures(hoan_kiem, D0 + timedelta(days=3)).counts["active_7"] == active_before
    services.roll_up(full=True)
    services.reconcile(days=60)
    assert selectors.commune_figures(hoan_kiem, day).counts == before
    # Nothing leads back to her: no summary row names a person, her activity days are anonymous.
    assert not LearnerActivityDay.objects.filter(learner_id=hoa_id).exists()
    assert LearnerActivityDay.objects.filter(learner_id__lt=0).count() == 2


def test_the_nightly_reconciliation_corrects_drift(data):
    services.roll_up()
    right = summary_snapshot()
    CommuneDay.objects.filter(erased=False).update(registered=99)  # drift, whatever its cause
    CommuneActivityDay.objects.update(active_7=5)
    services.reconcile(days=10_000)
    assert summary_snapshot() == right


def test_a_day_is_a_local_day(places, people):
    lan = people["lan"]
    User.objects.filter(pk=lan.pk).update(date_joined=at(D0, 23, 59, 59))
    mai = people["mai"]
    User.objects.filter(pk=mai.pk).update(date_joined=at(D0 + timedelta(days=1), 0, 0, 0))
    services.roll_up()
    rows = dict(CommuneDay.objects.filter(commune__in=[places["ha_long"], places["bai_chay"]])
                .values_list("commune_id", "day"))
    assert rows == {places["ha_long"].pk: D0, places["bai_chay"].pk: D0 + timedelta(days=1)}


@pytest.mark.parametrize(("born", "band"), [(2011, "0-15"), (2010, "16-29"), (1997, "16-29"), (1996, "30-44"),
                                            (1967, "45-59"), (1966, "60+"), (None, "")])
def test_age_bands_at_their_bounds(places, born, band):
    make_user(full_name="Người Học", commune=places["ha_long"], year_of_birth=born, date_joined=at(D0))
    services.roll_up()
    assert list(CommuneDay.objects.values_list("age_band", flat=True)) == [band]
    assert services.age_band(born, D0) == band
    assert set(selectors.breakdown(D0, "age_band")) == {band}


@pytest.mark.parametrize(("window", "offset", "counted"), [(7, 6, 1), (7, 7, 0), (30, 29, 1), (30, 30, 0)])
def test_active_in_the_last_days_at_the_bounds(places, people, window, offset, counted):
    active(people["lan"], D0)
    active(people["lan"], D0 - timedelta(days=1))
    services.roll_up()
    figures = selectors.commune_figures(places["ha_long"], D0 + timedelta(days=offset)).counts
    assert figures.get(f"active_{window}", 0) == counted


def test_staff_accounts_and_accounts_without_a_commune_are_not_residents(places, people):
    make_user(full_name="Không Xã", date_joined=at(D0))
    make_user(full_name="Biên Tập", commune=places["ha_long"], is_staff=True, date_joined=at(D0))
    services.roll_up()
    assert selectors.country_figures(timezone.localdate()).counts["registered"] == 3  # Lan, Mai, Hoa


def test_breakdowns_by_gender_and_way_of_sign_up(data):
    services.roll_up()
    day = D0 + timedelta(days=12)
    by_gender = selectors.breakdown(day, "gender", province=data["places"]["quang_ninh"])
    assert {g: f["registered"] for g, f in by_gender.items()} == {"female": 2, "male": 1}
    by_way = selectors.breakdown(day, "created_via")
    assert {w: f["registered"] for w, f in by_way.items()} == {"trainer": 1, "self": 3, "import": 1}
    with pytest.raises(ValueError):
        selectors.breakdown(day, "phone")


def test_weekly_time_series(data, programme):
    services.roll_up()
    weeks = selectors.time_series(D0, D0 + timedelta(days=13))
    assert [(w["first"], w["last"]) for w in weeks] == [(D0, D0 + timedelta(days=6)),
                                                        (D0 + timedelta(days=7), D0 + timedelta(days=13))]
    assert [w["new"].get("registered", 0) for w in weeks] == [4, 1]
    assert weeks[1]["total"]["registered"] == 5
    assert [w["new"].get(selectors.achieved_key(programme), 0) for w in weeks] == [1, 1]


def test_a_changed_programme_recomputes_its_figures(data, programme):
    services.roll_up()
    day = D0 + timedelta(days=12)
    assert selectors.country_figures(day).counts[selectors.achieved_key(programme)] == 2
    programme.course_keys = [str(COURSE_A)]
    programme.save()
    services.roll_up()
    assert selectors.country_figures(day).counts[selectors.achieved_key(programme)] == 3  # Lan, Mai, Tuấn


def test_opening_a_lesson_notes_one_activity_day(people):
    from courses import services as courses
    from tests.courses_factory import lessons_of, make_course

    course = make_course(lessons=2)
    first, second = lessons_of(course)[:2]
    lan = people["lan"]
    courses.record_opened(learner=lan, lesson=first, course=course, opened_before=False)
    courses.record_opened(learner=lan, lesson=second, course=course, opened_before=False)
    assert list(LearnerActivityDay.objects.values_list("learner_id", "commune_id", "day")) == [
        (lan.pk, lan.commune_id, timezone.localdate())]


def test_the_tasks_run_the_services(data):
    from reports import tasks

    assert tasks.roll_up.delay().get() == {"full": True, "days": 0, "activity_folded": 0}
    assert tasks.roll_up.delay().get()["full"] is False
    assert tasks.reconcile.delay(days=3).get() == {"days": 3}
    assert selectors.country_figures(D0 + timedelta(days=12)).counts["registered"] == 5


def test_a_login_marks_nothing_a_move_marks_the_learners_days(data):
    from reports.models import PendingDay

    services.roll_up()
    lan = data["lan"]
    lan.last_login = timezone.now()
    lan.save(update_fields=["last_login"])
    assert not PendingDay.objects.exists()
    move(lan, data["places"]["hoan_kiem"])
    assert set(PendingDay.objects.values_list("day", flat=True)) == {
        D0, D0 + timedelta(days=1), D0 + timedelta(days=2), D0 + timedelta(days=4)}
    services.roll_up()
    assert not PendingDay.objects.exists()


def test_an_account_erased_before_any_run_still_counts(data, programme):
    before = expected_counts(D0 + timedelta(days=12), programme)
    data["hoa"].delete()
    services.roll_up()
    assert figures_of_summary(D0 + timedelta(days=12)) == before
