"""Self check-in with two phones: the trainer shows the class QR code, a member scans it and is marked present.

The member's "camera" is pyzbar reading a screenshot of the code on the trainer's page, so the test follows the
same path as a real phone: what the QR code says, not a link the page might also carry.
"""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from attendance import tokens
from attendance.models import Attendance, ClassSession
from cohorts.models import Cohort
from cohorts.services import add_member
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

T0 = 1_800_000_000.0


class Clock:
    at = T0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(tokens, "now", fake)  # the live server runs in this process: it reads the same clock
    return fake


@pytest.fixture
def session(people, places):
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp sáng thứ Ba", created_by=people["trainer"])
    cohort.trainers.add(people["trainer"])
    add_member(cohort=cohort, learner=people["lan"], added_by=people["trainer"])
    return ClassSession.objects.create(cohort=cohort, date=timezone.localdate(), topic="Nhận diện lừa đảo",
                                       place="Nhà văn hoá khu 3", created_by=people["trainer"])


def phone(browser, live_server, user=None, *, javascript=True):
    """A phone-sized browser context, logged in as `user` (through the login page) when one is given."""
    context = browser.new_context(viewport={"width": 360, "height": 760}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="vi-VN", java_script_enabled=javascript)
    page = context.new_page()
    if user is not None:
        log_in(page, live_server, user)
    return context, page


def log_in(page, live_server, user, *, start=True):
    if start:
        page.goto(live_server.url + reverse("account_login"))
    page.fill("input[name=login]", user.phone)
    page.fill("input[name=password]", "mat-khau-dai-123")
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def scan(page) -> str:
    """What a phone camera reads from the QR code on the page."""
    from pyzbar.pyzbar import decode

    image = Image.open(io.BytesIO(page.locator(".qr-code svg").screenshot())).convert("L")
    found = decode(image)
    assert found, "no QR code could be read from the page"
    return found[0].data.decode()


def test_a_member_checks_in_from_the_trainers_qr_code(browser, live_server, people, session, clock):
    trainer, trainer_page = phone(browser, live_server, people["trainer"], javascript=False)
    member, member_page = phone(browser, live_server, people["lan"])
    try:
        trainer_page.goto(live_server.url + reverse("attendance:qr", args=[session.pk]))
        expect(trainer_page.locator("meta[http-equiv=refresh]")).to_have_attribute("content", "30")
        expect(trainer_page.get_by_text("0/1 học viên đã quét mã")).to_be_visible()
        url = scan(trainer_page)
        assert url.startswith(live_server.url + "/checkin/")

        member_page.goto(url)
        expect(member_page.get_by_role("heading", name="Bạn đã điểm danh")).to_be_visible()
        expect(member_page.get_by_text("Nhận diện lừa đảo")).to_be_visible()
        mark = Attendance.objects.get()
        assert (mark.learner, mark.status, mark.via) == (people["lan"], "present", "check_in")

        trainer_page.reload()
        expect(trainer_page.get_by_text("1/1 học viên đã quét mã")).to_be_visible()
        trainer_page.goto(live_server.url + reverse("attendance:take", args=[session.pk]))
        lan = trainer_page.get_by_role("group", name=re.compile("Nguyễn Thị Lan"))
        expect(lan).to_contain_text("đã quét mã")
        expect(lan.get_by_role("radio", name="Có mặt")).to_be_checked()

        # Two windows later the same code is refused, and a fresh scan works again.
        clock.at = T0 + 60
        response = member_page.goto(url)
        assert response.status == 400
        expect(member_page.get_by_text("Mã đã hết hạn, hãy quét lại mã trên điện thoại của cán bộ")).to_be_visible()
        trainer_page.goto(live_server.url + reverse("attendance:qr", args=[session.pk]))
        fresh = scan(trainer_page)
        assert fresh != url
        assert member_page.goto(fresh).status == 200
        assert Attendance.objects.count() == 1
    finally:
        trainer.close()
        member.close()


def test_a_member_not_logged_in_scans_logs_in_and_is_checked_in(browser, live_server, people, session, clock):
    trainer, trainer_page = phone(browser, live_server, people["trainer"])
    member, member_page = phone(browser, live_server)
    try:
        trainer_page.goto(live_server.url + reverse("attendance:qr", args=[session.pk]))
        url = scan(trainer_page)
        member_page.goto(url)
        expect(member_page).to_have_url(re.compile(r"/accounts/login/\?next=/checkin/"))
        clock.at = T0 + 90  # typing a phone number and a password on a phone takes a while
        log_in(member_page, live_server, people["lan"], start=False)
        expect(member_page.get_by_role("heading", name="Bạn đã điểm danh")).to_be_visible()
        assert Attendance.objects.get().learner == people["lan"]
    finally:
        trainer.close()
        member.close()


def test_the_trainer_takes_attendance_without_javascript(browser, live_server, people, session):
    others = []
    for number in range(5):
        person = make_user(full_name=f"Học Viên {number}", commune=session.cohort.commune)
        add_member(cohort=session.cohort, learner=person, added_by=people["trainer"])
        others.append(person)
    trainer, page = phone(browser, live_server, people["trainer"], javascript=False)
    try:
        page.goto(live_server.url + reverse("attendance:take", args=[session.pk]))
        expect(page.get_by_role("radio", name="Có mặt")).to_have_count(6)
        for radio in page.get_by_role("radio", name="Có mặt").all():
            expect(radio).to_be_checked()
        absent = page.get_by_role("group", name="Học Viên 2").locator("label", has_text="Vắng").last
        box = absent.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44  # a big target for a thumb
        absent.tap()
        page.get_by_role("button", name="Lưu điểm danh").click()
        expect(page.get_by_text("Đã lưu điểm danh.")).to_be_visible()
        assert dict(Attendance.objects.values_list("learner__full_name", "status")) == {
            "Nguyễn Thị Lan": "present", **{p.full_name: "present" for p in others}, "Học Viên 2": "absent"}
    finally:
        trainer.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    from tests.browser.test_accessibility import AXE

    return AXE.read_text(encoding="utf-8")


def test_attendance_pages_meet_wcag_21_aa_and_reflow_at_200_percent_text(browser, live_server, people, session,
                                                                         clock, axe_source):
    from attendance import services
    from tests.browser.test_accessibility import check_page

    services.save_sheet(session=session, statuses={people["lan"].pk: "late"}, marked_by=people["trainer"])
    cohort = session.cohort
    trainer, page = phone(browser, live_server, people["trainer"])
    member, member_page = phone(browser, live_server, people["lan"])
    try:
        problems = []
        for url in (reverse("attendance:sessions", args=[cohort.pk]), reverse("attendance:take", args=[session.pk]),
                    reverse("attendance:qr", args=[session.pk]), reverse("attendance:report", args=[cohort.pk])):
            problems += check_page(page, live_server.url + url, axe_source)
        # The QR page refreshes itself to show the next code: WCAG 2.2.1's real-time exception (a live display,
        # nothing to read or type that a refresh could take away). axe cannot know that; every other rule holds.
        problems = [problem for problem in problems if not re.search(r"/qr/: meta-refresh \(", problem)]
        problems += check_page(member_page, live_server.url + reverse(
            "attendance:check_in", args=[tokens.make_token(session.pk)]), axe_source)
        assert not problems, "\n".join(problems)
    finally:
        trainer.close()
        member.close()
