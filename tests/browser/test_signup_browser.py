"""A resident signs up on a phone: with the commune search, and without JavaScript at all."""

import re

import pytest
from playwright.sync_api import expect

from accounts import sms
from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def fill_person(page):
    page.fill("#id_phone", "0912.345.678")
    page.fill("#id_full_name", "Nguyễn Văn An")
    page.fill("#id_year_of_birth", "1958")


def finish(page):
    page.fill("#id_password1", "hoc-ky-nang-so-2025")
    page.fill("#id_password2", "hoc-ky-nang-so-2025")
    page.check("#id_consent_learning")
    page.click("form button[type=submit]:not([name])")
    page.wait_for_url("**/accounts/phone/verify/")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1]["body"]).group(1)
    page.fill("#id_code", code)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def test_signup_with_the_commune_search(live_server, places, phone_page):
    page = phone_page
    page.goto(live_server.url + "/accounts/signup/")
    assert page.is_hidden("[data-picker-step]")  # the no-JS step button is not needed
    fill_person(page)
    page.get_by_label("Tìm nhanh xã/phường").fill("ha long")
    page.get_by_role("button", name=re.compile("Phường Hạ Long")).click()
    # The commune list loads over the network after the province is set: wait for it.
    expect(page.locator("#id_province")).to_have_value(places["quang_ninh"].code)
    expect(page.locator("#id_commune")).to_have_value(places["ha_long"].code)
    finish(page)
    user = User.objects.get()
    assert (user.phone, user.commune_id, user.phone_verified) == ("+84912345678", "06688", True)


def test_signup_without_javascript(live_server, places, no_js_page):
    page = no_js_page
    page.goto(live_server.url + "/accounts/signup/")
    fill_person(page)
    page.select_option("#id_province", places["quang_ninh"].code)
    page.click("button[name=choose_province]")
    assert page.input_value("#id_full_name") == "Nguyễn Văn An"  # nothing typed is lost
    page.select_option("#id_commune", places["bai_chay"].code)
    finish(page)
    assert User.objects.get().commune == places["bai_chay"]
