"""A trainer on a 360 px phone without JavaScript creates a cohort, finds a resident typed without accents, adds
her and sends the class a message; every page fits the screen."""

import pytest
from playwright.sync_api import expect

from cohorts.models import Cohort, CohortMessage
from tests.browser.test_lesson_journey import log_in, vi

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_trainer_creates_a_cohort_adds_a_member_and_sends_a_message(live_server, people, no_js_page, tmp_path):
    page = no_js_page
    log_in(page, live_server, phone="0912 000 002")
    page.get_by_role("navigation", name=vi("Main menu")).get_by_role("link", name=vi("Classes")).click()
    fits(page)
    page.get_by_role("link", name=vi("Create a new cohort")).click()
    page.get_by_label(vi("Name of the cohort")).fill("Lớp sáng thứ Ba")
    page.get_by_label(vi("Meeting place")).fill("Nhà văn hoá khu 3")
    fits(page)
    page.get_by_role("button", name=vi("Create the cohort")).click()

    cohort = Cohort.objects.get()
    page.get_by_label(vi("Name or phone number")).fill("nguyen thi lan")
    page.get_by_role("button", name=vi("Search")).click()
    page.get_by_role("button", name=vi("Add %(name)s", name="Nguyễn Thị Lan")).click()
    expect(page.get_by_role("cell", name="Nguyễn Thị Lan sinh năm 1962")).to_be_visible()
    fits(page)
    page.screenshot(path=str(tmp_path / "members.png"), full_page=True)

    page.get_by_role("link", name=vi("Messages")).click()
    page.get_by_label(vi("Message")).fill("Lớp học sáng mai 8:00 tại nhà văn hoá khu 3")
    page.get_by_role("button", name=vi("Send")).click()
    expect(page.get_by_text("Lớp học sáng mai 8:00 tại nhà văn hoá khu 3", exact=True)).to_be_visible()
    fits(page)
    assert CohortMessage.objects.get().cohort == cohort
    assert list(cohort.memberships.values_list("learner__full_name", flat=True)) == ["Nguyễn Thị Lan"]
