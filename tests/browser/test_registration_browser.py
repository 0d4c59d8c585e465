"""A trainer on a 360 px phone registers a resident, without JavaScript, and prints their login card; the
resident then signs in with the card's code."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from cohorts.models import Cohort, Membership
from tests.browser.test_accessibility import axe_source, check_page  # noqa: F401  (a fixture and its check)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-dai-123"  # tests.conftest.make_user


def log_in(page, live_server, phone):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill(phone)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name="Việc học của tôi")).to_be_visible()


@pytest.fixture
def cohort(people, places):
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp sáng thứ Ba")
    cohort.trainers.add(people["trainer"])
    return cohort


def test_a_trainer_registers_a_resident_and_prints_a_card_without_javascript(live_server, people, cohort,
                                                                              no_js_page, browser):
    page = no_js_page
    log_in(page, live_server, "0912 000 002")
    page.goto(f"{live_server.url}/trainer/register/?cohort={cohort.pk}")
    page.fill("#id_full_name", "Trần Văn Bình")
    page.fill("#id_year_of_birth", "1950")
    page.check("#id_consent_learning")
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đã đăng ký Trần Văn Bình")
    person = User.objects.get(full_name="Trần Văn Bình")
    assert person.phone is None and Membership.objects.filter(cohort=cohort, learner=person).exists()
    printed = []

    def keep_the_pdf(route):  # the browser's PDF viewer shows the card; keep the bytes it was sent
        response = route.fetch()
        printed.append((response.headers["content-type"], response.body()))
        route.fulfill(response=response)

    page.route(f"**/trainer/learners/{person.pk}/card/", keep_the_pdf)
    page.get_by_role("button", name="In thẻ đăng nhập").click()
    page.wait_for_load_state()
    content_type, content = printed[0]
    assert content_type == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Trần Văn Bình" in text
    code = re.search(r"\b([2-9A-Z]{6}-[2-9A-Z]{6})\b", text).group(1)

    # The resident, on a borrowed phone, types the code from the card.
    context = browser.new_context(viewport={"width": 360, "height": 760}, java_script_enabled=False, locale="vi-VN")
    resident = context.new_page()
    resident.goto(live_server.url + "/card/")
    resident.fill("#id_code", code)
    resident.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(resident).to_have_url(live_server.url + "/my-learning/")
    resident.goto(live_server.url + "/accounts/me/delete/")
    expect(resident.get_by_text("Đăng nhập bằng thẻ chỉ dùng để học")).to_be_visible()
    context.close()


def test_the_pages_meet_wcag_21_aa_and_reflow_at_200_percent_text(live_server, people, cohort, phone_page,
                                                                   axe_source):  # noqa: F811
    page = phone_page
    lan = people["lan"]
    log_in(page, live_server, "0912 000 002")
    problems = []
    urls = (f"/trainer/register/?cohort={cohort.pk}", f"/trainer/register/{lan.pk}/done/?cohort={cohort.pk}",
            f"/trainer/learners/{lan.pk}/card/", f"/trainer/cohorts/{cohort.pk}/cards/", "/card/?code=HL7K2M-48R9QT")
    for url in urls:
        problems += check_page(page, live_server.url + url, axe_source)
    page.goto(f"{live_server.url}/trainer/register/?cohort={cohort.pk}")
    box = page.get_by_role("button", name="Đăng ký", exact=True).bounding_box()
    assert box["height"] >= 44
    # The form sent back with the guardian's fields missing for a minor.
    page.fill("#id_full_name", "Trần Thị Na")
    page.fill("#id_year_of_birth", "2015")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("Dưới 16 tuổi: nhập số điện thoại của người giám hộ.")).to_be_visible()
    assert not problems, "\n".join(problems)
