"""Attendance: class sessions, the sheet (all present by default), the class QR code's windows, check-in, the report
and its exports."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from attendance import selectors, services, tokens
from attendance.models import Attendance, ClassSession
from audit.models import AuditEntry
from cohorts.models import Cohort, CohortCourse
from cohorts.services import add_member
from tests.conftest import make_user
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db

PRESENT, LATE, EXCUSED, ABSENT = (Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.EXCUSED,
                                  Attendance.Status.ABSENT)
T0 = 1_800_000_000.0  # a fixed moment, on the turn of a 30-second window (1_800_000_000 = 30 × 60_000_000)


class Clock:
    def __init__(self, at: float = T0):
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(tokens, "now", fake)
    return fake


@pytest.fixture
def cohort(people, places):
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp sáng thứ Ba", place="Nhà văn hoá khu 3",
                                   created_by=people["trainer"])
    cohort.trainers.add(people["trainer"])
    add_member(cohort=cohort, learner=people["lan"], added_by=people["trainer"])
    return cohort


@pytest.fixture
def session(cohort, people):
    return ClassSession.objects.create(cohort=cohort, date=timezone.localdate(), topic="Nhận diện lừa đảo",
                                       created_by=people["trainer"])


def member(cohort, name, **fields):
    person = make_user(full_name=name, commune=cohort.commune, **fields)
    add_member(cohort=cohort, learner=person, added_by=None)
    return person


def as_trainer(client, people):
    client.force_login(people["trainer"])
    return client


def radios(response) -> dict[str, str]:
    """name → value of each checked radio button in the page."""
    import re

    html = response.content.decode()
    return dict(re.findall(r'<input type="radio" id="[^"]+" name="(m\d+)" value="(\w+)" checked>', html))


# ---- class sessions

def test_trainer_adds_a_session_with_a_lesson_and_the_cohorts_place(client, people, cohort):
    course = make_course("Phòng tránh lừa đảo", lessons=2)
    CohortCourse.objects.create(cohort=cohort, course_key=course.translation_key)
    lesson = lessons_of(course)[1]
    as_trainer(client, people)
    url = reverse("attendance:sessions", args=[cohort.pk])
    page = client.get(url).content.decode()
    assert "Bài 2" in page and 'value="Nhà văn hoá khu 3"' in page  # the lesson offered, the place pre-filled
    response = client.post(url, {"date": "2026-12-08", "starts_at": "08:00", "lesson": str(lesson.translation_key),
                                 "place": ""})
    assert response.status_code == 302
    session = ClassSession.objects.get()
    assert (session.date, session.starts_at, session.lesson_key, session.place) == (
        datetime.date(2026, 12, 8), datetime.time(8, 0), lesson.translation_key, "Nhà văn hoá khu 3")
    assert "Bài 2" in client.get(url).content.decode()  # listed by its lesson's title


def test_a_session_needs_a_topic_or_a_lesson_and_a_real_date(client, people, cohort):
    as_trainer(client, people)
    url = reverse("attendance:sessions", args=[cohort.pk])
    response = client.post(url, {"date": "2026-12-08", "topic": "  "})
    assert response.status_code == 400
    assert "Hãy ghi chủ đề hoặc chọn một bài học." in response.content.decode()
    assert client.post(url, {"date": "31/02/2026", "topic": "Zalo"}).status_code == 400
    assert client.post(url, {"date": "2026-12-08", "topic": "Zalo", "lesson": "not-a-lesson"}).status_code == 400
    assert not ClassSession.objects.exists()


def test_sessions_list_counts_each_status(client, people, cohort, session):
    others = [member(cohort, f"Học Viên {n}") for n in range(3)]
    services.save_sheet(session=session, statuses={people["lan"].pk: PRESENT, others[0].pk: LATE,
                                                   others[1].pk: EXCUSED, others[2].pk: ABSENT},
                        marked_by=people["trainer"])
    ClassSession.objects.create(cohort=cohort, date=timezone.localdate() + datetime.timedelta(days=7), topic="VNeID")
    as_trainer(client, people)
    response = client.get(reverse("attendance:sessions", args=[cohort.pk]))
    assert [s.topic for s in response.context["upcoming"]] == ["Nhận diện lừa đảo", "VNeID"]
    assert "Có mặt 1 · muộn 1 · có phép 1 · vắng 1" in response.content.decode()


def test_staff_read_the_sessions_but_cannot_add_one(client, people, cohort, session):
    client.force_login(people["staff"])
    url = reverse("attendance:sessions", args=[cohort.pk])
    response = client.get(url)
    assert response.status_code == 200 and "Nhận diện lừa đảo" in response.content.decode()
    assert 'name="topic"' not in response.content.decode()
    assert client.post(url, {"date": "2026-12-08", "topic": "Zalo"}).status_code == 404
    assert ClassSession.objects.count() == 1


def test_next_sessions_for_my_classes(people, cohort, session):
    today = timezone.localdate()
    ClassSession.objects.create(cohort=cohort, date=today - datetime.timedelta(days=1), topic="Hôm qua")
    later = ClassSession.objects.create(cohort=cohort, date=today + datetime.timedelta(days=2), topic="Sau")
    empty = Cohort.objects.create(commune=cohort.commune, name="Lớp chiều")
    assert selectors.next_session(cohort) == session
    assert selectors.next_sessions([cohort, empty]) == {cohort.pk: session}
    session.delete()
    assert selectors.next_session(cohort) == later and selectors.next_session(empty) is None


# ---- the sheet

def test_the_sheet_shows_everyone_present_by_default(client, people, cohort, session):
    others = [member(cohort, f"Học Viên {n:02}") for n in range(29)]
    as_trainer(client, people)
    response = client.get(reverse("attendance:take", args=[session.pk]))
    checked = radios(response)
    assert len(checked) == 30 and set(checked.values()) == {PRESENT}
    assert len(response.content) < 40_000  # 30 members, four choices each, on a phone's budget
    # One tap (Mai absent) and one save: 30 rows written.
    data = {**checked, f"m{others[0].pk}": ABSENT}
    assert client.post(reverse("attendance:take", args=[session.pk]), data).status_code == 302
    assert Attendance.objects.filter(session=session).count() == 30
    assert Attendance.objects.get(learner=others[0]).status == ABSENT
    session.refresh_from_db()
    assert session.attendance_taken_at is not None
    # The saved statuses are what the sheet shows next time.
    assert radios(client.get(reverse("attendance:take", args=[session.pk])))[f"m{others[0].pk}"] == ABSENT


def test_saving_the_same_sheet_again_changes_nothing(people, cohort, session):
    mai = member(cohort, "Trần Văn Bình")
    statuses = {people["lan"].pk: PRESENT, mai.pk: LATE}
    assert services.save_sheet(session=session, statuses=statuses, marked_by=people["trainer"]) == 2
    first = {mark.pk: mark.marked_at for mark in Attendance.objects.all()}
    taken = ClassSession.objects.get().attendance_taken_at
    assert services.save_sheet(session=session, statuses=statuses, marked_by=people["trainer"]) == 0
    assert {mark.pk: mark.marked_at for mark in Attendance.objects.all()} == first
    assert ClassSession.objects.get().attendance_taken_at == taken


def test_a_bad_status_is_refused_with_400_and_nothing_is_saved(client, people, cohort, session):
    binh = member(cohort, "Trần Văn Bình")
    as_trainer(client, people)
    url = reverse("attendance:take", args=[session.pk])
    response = client.post(url, {f"m{people['lan'].pk}": ABSENT, f"m{binh.pk}": "asleep"})
    assert response.status_code == 400
    assert "Hãy chọn có mặt, đi muộn, vắng có phép hoặc vắng" in response.content.decode()
    assert radios(response)[f"m{people['lan'].pk}"] == ABSENT  # what was tapped is still there
    assert not Attendance.objects.exists()
    assert ClassSession.objects.get().attendance_taken_at is None


def test_a_sheet_naming_a_non_member_is_refused_whole(people, cohort, session):
    with pytest.raises(services.SheetRefused):
        services.save_sheet(session=session, statuses={people["lan"].pk: PRESENT, people["mai"].pk: PRESENT},
                            marked_by=people["trainer"])
    assert not Attendance.objects.exists()


def test_a_checked_in_member_keeps_check_in_until_the_trainer_changes_them(clock, people, cohort, session):
    binh = member(cohort, "Trần Văn Bình")
    services.check_in(token=tokens.make_token(session.pk), learner=people["lan"])
    services.check_in(token=tokens.make_token(session.pk), learner=binh)
    services.save_sheet(session=session, statuses={people["lan"].pk: PRESENT, binh.pk: LATE},
                        marked_by=people["trainer"])
    lan, late = Attendance.objects.get(learner=people["lan"]), Attendance.objects.get(learner=binh)
    assert (lan.status, lan.via, lan.marked_by) == (PRESENT, "check_in", people["lan"])
    assert (late.status, late.via, late.marked_by) == (LATE, "trainer", people["trainer"])


def test_staff_read_the_sheet_but_cannot_save_it(client, people, cohort, session):
    client.force_login(people["staff"])
    url = reverse("attendance:take", args=[session.pk])
    response = client.get(url)
    assert response.status_code == 200 and 'type="radio"' not in response.content.decode()
    assert client.post(url, {f"m{people['lan'].pk}": ABSENT}).status_code == 404
    assert not Attendance.objects.exists()


# ---- the class QR code: windows of 30 s

def test_a_code_is_good_in_its_window_and_the_next_only(session, settings):
    settings.CHECK_IN_WINDOW_SECONDS = 30
    token = tokens.make_token(session.pk, at=T0 + 5)  # shown in the window [T0, T0 + 30)
    assert tokens.read_token(token, at=T0).fresh  # the same window, from its first second
    assert tokens.read_token(token, at=T0 + 29.999).fresh
    assert tokens.read_token(token, at=T0 + 30).fresh  # the previous window: the page's refresh lag
    assert tokens.read_token(token, at=T0 + 59.999).fresh
    assert not tokens.read_token(token, at=T0 + 60).fresh  # two windows on: refused
    assert not tokens.read_token(token, at=T0 - 0.001).fresh  # a code from a later window than now
    assert tokens.read_token(token, at=T0).session_pk == session.pk


def test_forged_and_altered_codes_are_refused(session):
    token = tokens.make_token(session.pk, at=T0)
    value, signature = token.rsplit(":", 1)
    other = ClassSession.objects.create(cohort=session.cohort, date=session.date, topic="Khác")
    window = value.split(".")[1]
    for bad in [f"{other.pk}.{window}:{signature}",  # another session's id under this session's signature
                f"{session.pk}.{int(window) + 1}:{signature}",  # a later window, same signature
                f"{value}:{'A' * len(signature)}", "12.34", "", "::", "nonsense"]:
        reading = tokens.read_token(bad, at=T0)
        assert reading.forged and not reading.fresh, bad


def test_the_page_refreshes_at_the_turn_of_the_window(clock, client, people, session):
    clock.at = T0 + 12.4
    as_trainer(client, people)
    response = client.get(reverse("attendance:qr", args=[session.pk]))
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="18">' in html
    assert "<svg" in html and "style=" not in html and "<script" not in html
    assert "0/1 học viên đã quét mã" in html
    assert response["Cache-Control"].startswith("max-age=0")
    token = tokens.make_token(session.pk)
    assert response.context["check_in_url"].endswith(reverse("attendance:check_in", args=[token]))
    clock.at = T0 + 30  # the next window: a new code
    assert client.get(reverse("attendance:qr", args=[session.pk])).context["check_in_url"] != \
        response.context["check_in_url"]


def test_staff_cannot_show_the_code(client, people, session):
    client.force_login(people["staff"])
    assert client.get(reverse("attendance:qr", args=[session.pk])).status_code == 404


# ---- check-in

def check_in_url(session, at=None):
    return reverse("attendance:check_in", args=[tokens.make_token(session.pk, at=at)])


def test_a_member_checks_in_with_the_current_or_the_previous_code(clock, client, people, session):
    client.force_login(people["lan"])
    previous = check_in_url(session, at=T0 - 1)
    response = client.get(previous)
    assert response.status_code == 200 and "Bạn đã được ghi có mặt" in response.content.decode()
    mark = Attendance.objects.get()
    assert (mark.learner, mark.status, mark.via) == (people["lan"], PRESENT, "check_in")
    assert client.get(check_in_url(session)).status_code == 200  # again, with the current code: nothing new
    assert Attendance.objects.count() == 1


def test_a_code_two_windows_old_is_refused(clock, client, people, session):
    client.force_login(people["lan"])
    response = client.get(check_in_url(session, at=T0 - 31))
    assert response.status_code == 400
    assert "Mã đã hết hạn, hãy quét lại mã trên điện thoại của cán bộ" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_forged_code_or_another_sessions_is_refused(clock, client, people, cohort, session):
    other = ClassSession.objects.create(cohort=cohort, date=session.date, topic="Khác")
    value, signature = tokens.make_token(session.pk).rsplit(":", 1)
    client.force_login(people["lan"])
    for bad in [f"{other.pk}.{value.split('.')[1]}:{signature}", f"{value}:x{signature[1:]}", "abc"]:
        response = client.get(reverse("attendance:check_in", args=[bad]))
        assert response.status_code == 400, bad
        assert "Mã đã hết hạn" in response.content.decode()
    assert not Attendance.objects.exists()


def test_someone_not_in_the_class_is_refused_with_403(clock, client, people, session):
    for person in (people["mai"], people["trainer"]):
        client.force_login(person)
        response = client.get(check_in_url(session))
        assert response.status_code == 403
        assert "Bạn không phải là học viên của lớp này" in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_never_overrides_the_trainers_mark(clock, client, people, session):
    services.save_sheet(session=session, statuses={people["lan"].pk: EXCUSED}, marked_by=people["trainer"])
    client.force_login(people["lan"])
    response = client.get(check_in_url(session))
    assert response.status_code == 200
    assert "Cán bộ đã ghi bạn: <strong>Vắng có phép</strong>" in response.content.decode()
    mark = Attendance.objects.get()
    assert (mark.status, mark.via) == (EXCUSED, "trainer")


def test_a_visitor_logs_in_first_and_the_scan_still_counts(clock, client, people, session):
    url = check_in_url(session)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={quote(url)}"
    clock.at = T0 + 5 * 60  # logging in took five minutes: the code itself is long gone
    response = client.post("/accounts/login/", {"login": people["lan"].phone, "password": "mat-khau-dai-123"})
    assert response.status_code == 302
    assert client.get(url).status_code == 200
    assert Attendance.objects.get().learner == people["lan"]


def test_a_scan_remembered_before_login_expires_after_ten_minutes(clock, client, people, session):
    url = check_in_url(session)
    client.get(url)
    clock.at = T0 + 10 * 60 + 1
    client.force_login(people["lan"])
    assert client.get(url).status_code == 400


def test_an_expired_code_scanned_before_login_is_not_remembered(clock, client, people, session):
    url = check_in_url(session, at=T0 - 60)
    assert client.get(url).status_code == 302
    client.force_login(people["lan"])
    assert client.get(url).status_code == 400


# ---- the report

def taken_sessions(cohort, count: int) -> list[ClassSession]:
    now = timezone.now()
    start = timezone.localdate() - datetime.timedelta(days=count)
    return ClassSession.objects.bulk_create([
        ClassSession(cohort=cohort, date=start + datetime.timedelta(days=n), topic=f"Buổi {n + 1}",
                     attendance_taken_at=now) for n in range(count)])


def give(learner, sessions, *statuses):
    Attendance.objects.bulk_create([Attendance(session=session, learner=learner, status=status)
                                    for session, status in zip(sessions, statuses, strict=True)])


def row_of(report, learner):
    return next(row for row in report.rows if row.learner == learner)


def test_flag_comes_after_five_sessions(people, cohort):
    sessions = taken_sessions(cohort, 5)
    binh = member(cohort, "Trần Văn Bình")
    give(people["lan"], sessions[:4], ABSENT, ABSENT, ABSENT, ABSENT)  # 0 of 4: too early to flag
    give(binh, sessions, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT)  # 0 of 5: flagged
    report = selectors.report(cohort)
    assert (row_of(report, people["lan"]).rate, row_of(report, people["lan"]).flagged) == (0, False)
    assert (row_of(report, binh).rate, row_of(report, binh).flagged) == (0, True)
    assert report.rows[0].learner == binh  # flagged first


@pytest.mark.parametrize(("attended", "flagged"), [(69, True), (70, False), (71, False)])
def test_flag_below_seventy_per_cent(people, cohort, attended, flagged):
    sessions = taken_sessions(cohort, 100)
    give(people["lan"], sessions, *[PRESENT] * attended, *[ABSENT] * (100 - attended))
    row = row_of(selectors.report(cohort), people["lan"])
    assert (row.rate, row.flagged) == (attended, flagged)


def test_the_threshold_is_exact_not_rounded():
    assert selectors.is_flagged(attended=7, counted=10) is False  # 70.0%
    assert selectors.is_flagged(attended=45, counted=65) is True  # 69.2%, shown as 69%
    assert selectors.is_flagged(attended=1399, counted=2000) is True  # 69.95%, which rounds to 70%


def test_excused_sessions_are_left_out_late_ones_count_as_attended(people, cohort):
    sessions = taken_sessions(cohort, 7)
    give(people["lan"], sessions, PRESENT, LATE, PRESENT, EXCUSED, EXCUSED, ABSENT, PRESENT)
    row = row_of(selectors.report(cohort), people["lan"])
    assert (row.attended, row.counted, row.excused, row.rate, row.flagged) == (4, 5, 2, 80, False)
    # With the two excused counted as absent she would be at 4/7 = 57%, below the line: they are not.


def test_sessions_not_taken_yet_do_not_count(clock, people, cohort, session):
    services.check_in(token=tokens.make_token(session.pk), learner=people["lan"])
    assert row_of(selectors.report(cohort), people["lan"]).counted == 0
    services.save_sheet(session=session, statuses={people["lan"].pk: PRESENT}, marked_by=people["trainer"])
    assert row_of(selectors.report(cohort), people["lan"]).counted == 1


def test_the_report_page_explains_the_rule_and_flags(client, people, cohort):
    sessions = taken_sessions(cohort, 5)
    give(people["lan"], sessions, PRESENT, ABSENT, ABSENT, ABSENT, PRESENT)
    as_trainer(client, people)
    html = client.get(reverse("attendance:report", args=[cohort.pk])).content.decode()
    assert "dưới 70%" in html and "ít nhất 5 buổi" in html
    assert "Cần chú ý" in html and "40%" in html


def test_the_report_takes_the_same_queries_for_2_or_40_members(people, cohort):
    sessions = taken_sessions(cohort, 6)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.report(cohort)
        return len(captured)

    give(people["lan"], sessions, *[PRESENT] * 6)
    small = queries()
    for n in range(39):
        give(member(cohort, f"Học Viên {n:02}"), sessions, *[ABSENT, PRESENT] * 3)
    assert queries() == small == 3


# ---- exports

def test_xlsx_has_dates_as_dates_and_numbers_as_numbers(client, people, cohort):
    sessions = taken_sessions(cohort, 5)
    give(people["lan"], sessions, PRESENT, LATE, EXCUSED, ABSENT, PRESENT)
    member(cohort, "=HYPERLINK(\"http://x\")")
    as_trainer(client, people)
    response = client.get(reverse("attendance:report_xlsx", args=[cohort.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    grid = book.worksheets[0]
    header = [cell.value for cell in grid[1]]
    assert header[0] == "Họ và tên" and header[-4:] == ["Số buổi được tính", "Vắng có phép", "Tỉ lệ chuyên cần (%)",
                                                         "Cần chú ý"]
    assert isinstance(header[1], datetime.datetime) and header[1].date() == sessions[0].date
    rows = {row[0].value: [cell.value for cell in row] for row in grid.iter_rows(min_row=2)}
    lan = rows["Nguyễn Thị Lan"]
    assert lan[1:6] == ["Có mặt", "Đi muộn", "Vắng có phép", "Vắng", "Có mặt"]
    assert lan[6:10] == [3, 4, 1, 75]  # numbers, not text
    assert grid.cell(row=3, column=1).data_type == "s"  # a name that looks like a formula stays text
    dates = [row[0].value for row in book.worksheets[1].iter_rows(min_row=2)]
    assert all(isinstance(value, datetime.datetime) for value in dates)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.commune, entry.details["format"]) == (
        "attendance.export", people["trainer"], cohort.commune, "xlsx")


def test_csv_is_utf8_with_a_bom(client, people, cohort):
    sessions = taken_sessions(cohort, 2)
    give(people["lan"], sessions, PRESENT, ABSENT)
    client.force_login(people["staff"])  # provincial staff read, and export, the province's cohorts
    response = client.get(reverse("attendance:report_csv", args=[cohort.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Họ và tên", sessions[0].date.isoformat(), sessions[1].date.isoformat()]
    assert rows[1] == ["Nguyễn Thị Lan", "Có mặt", "Vắng", "1", "2", "0", "50", ""]
    assert AuditEntry.objects.get().details["format"] == "csv"


# ---- scope

def test_outside_their_area_every_page_is_404(client, people, places, cohort, session):
    elsewhere = make_user(username="tam", full_name="Lê Văn Tâm")
    elsewhere.trainer_communes.add(places["hoan_kiem"])
    urls = [reverse("attendance:sessions", args=[cohort.pk]), reverse("attendance:take", args=[session.pk]),
            reverse("attendance:qr", args=[session.pk]), reverse("attendance:report", args=[cohort.pk]),
            reverse("attendance:report_xlsx", args=[cohort.pk]), reverse("attendance:report_csv", args=[cohort.pk])]
    for person in (elsewhere, people["lan"], people["mai"]):  # Lan is a member, but these are the trainer's pages
        client.force_login(person)
        assert [client.get(url).status_code for url in urls] == [404] * len(urls), person
    assert not AuditEntry.objects.exists()


def test_check_in_keeps_a_late_mark_and_answers_only_get(clock, client, people, session):
    services.save_sheet(session=session, statuses={people["lan"].pk: LATE}, marked_by=people["trainer"])
    client.force_login(people["lan"])
    url = check_in_url(session)
    assert client.post(url).status_code == 405
    assert "<strong>Đi muộn</strong>" in client.get(url).content.decode()
    assert Attendance.objects.get().status == LATE


def test_the_cohort_pages_link_to_each_other(client, people, cohort):
    as_trainer(client, people)
    html = client.get(reverse("attendance:report", args=[cohort.pk])).content.decode()
    assert f'href="{reverse("attendance:sessions", args=[cohort.pk])}">Buổi học<' in html
    assert f'href="{reverse("attendance:report", args=[cohort.pk])}">Điểm danh<' in html
    assert "Lớp chưa có học viên" not in html and "–" in html  # Lan, before any session counts
