"""A trainer registers a resident on the spot: one form, consents in person, guardians, duplicates, scope."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, User
from audit.models import AuditEntry
from cohorts.models import Cohort, Membership
from registration.models import Guardian
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REGISTER = "/trainer/register/"
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def cohort(people, places):
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp sáng thứ Ba", created_by=people["trainer"])
    cohort.trainers.add(people["trainer"])
    return cohort


@pytest.fixture
def trainer_client(client, people):
    client.force_login(people["trainer"])
    return client


def form_data(places, **overrides):
    data = {"full_name": "Trần Văn Bình", "phone": "0912 345 678", "year_of_birth": "1958", "gender": "male",
            "commune": places["ha_long"].code, "cohort": "", "consent_learning": "on"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_defaults_to_the_trainers_commune_and_preselects_the_cohort(trainer_client, places, cohort):
    page = trainer_client.get(REGISTER + f"?cohort={cohort.pk}").content.decode()
    assert f'<option value="{places["ha_long"].code}" selected>' in page
    assert f'<option value="{cohort.pk}" selected>' in page
    assert "chỉ điền khi người học dưới 16 tuổi" in page.lower()
    # Only the trainer's own commune is offered.
    assert places["bai_chay"].code not in page


def test_an_adult_is_registered_with_consents_given_to_the_trainer(trainer_client, people, places, cohort):
    response = trainer_client.post(REGISTER, form_data(places, cohort=cohort.pk, consent_contact="on"))
    person = User.objects.get(phone="+84912345678")
    assert response.status_code == 302
    assert response["Location"] == reverse("registration:registered", args=[person.pk]) + f"?cohort={cohort.pk}"
    assert (person.full_name, person.year_of_birth, person.gender, person.commune) == (
        "Trần Văn Bình", 1958, "male", places["ha_long"])
    assert (person.created_via, person.registered_by, person.has_usable_password()) == (
        "trainer", people["trainer"], False)
    consents = {(c.purpose, c.method, c.recorded_by_id) for c in person.consents.all()}
    assert consents == {("learning", "trainer", people["trainer"].pk), ("contact", "trainer", people["trainer"].pk)}
    assert Membership.objects.filter(cohort=cohort, learner=person).exists()
    assert not Guardian.objects.filter(learner=person).exists()
    entry = AuditEntry.objects.get(action="resident.register")
    assert (entry.actor, entry.subject, entry.commune) == (people["trainer"], f"user {person.pk}", places["ha_long"])
    done = trainer_client.get(response["Location"]).content.decode()
    assert "Đã đăng ký Trần Văn Bình" in done
    assert "Chưa có thẻ đăng nhập" in done
    assert f"{REGISTER}?commune={places['ha_long'].code}&amp;cohort={cohort.pk}" in done


def test_without_a_phone(trainer_client, places):
    assert trainer_client.post(REGISTER, form_data(places, phone="")).status_code == 302
    assert User.objects.get(full_name="Trần Văn Bình").phone is None


def test_a_minor_is_registered_with_the_guardians_consent(trainer_client, people, places):
    data = form_data(places, year_of_birth=str(THIS_YEAR - 12), guardian_name="  Trần   Thị Hoa ",
                     guardian_relationship="Mẹ", guardian_phone="0912 000 555", consent_certification="on")
    assert trainer_client.post(REGISTER, data).status_code == 302
    person = User.objects.get(phone="+84912345678")
    assert {(c.purpose, c.method) for c in person.consents.all()} == {("learning", "guardian"),
                                                                      ("certification", "guardian")}
    guardian = person.guardian
    assert (guardian.full_name, guardian.relationship, guardian.phone, guardian.recorded_by) == (
        "Trần Thị Hoa", "Mẹ", "+84912000555", people["trainer"])


@pytest.mark.parametrize("age, minor", [(15, True), (16, False), (17, False)])
def test_the_guardian_is_required_below_16_only(trainer_client, places, age, minor):
    response = trainer_client.post(REGISTER, form_data(places, year_of_birth=str(THIS_YEAR - age)))
    if minor:
        assert response.status_code == 400
        page = response.content.decode()
        assert "Dưới 16 tuổi: nhập họ tên cha, mẹ hoặc người giám hộ" in page
        assert "Dưới 16 tuổi: nhập số điện thoại của người giám hộ" in page
        assert not User.objects.filter(phone="+84912345678").exists()
    else:
        assert response.status_code == 302
        person = User.objects.get(phone="+84912345678")
        assert {c.method for c in person.consents.all()} == {"trainer"}


def test_guardian_fields_filled_for_an_adult_are_not_kept(trainer_client, places):
    trainer_client.post(REGISTER, form_data(places, guardian_name="Trần Thị Hoa", guardian_relationship="Mẹ"))
    person = User.objects.get(phone="+84912345678")
    assert not Guardian.objects.filter(learner=person).exists()
    assert {c.method for c in person.consents.all()} == {"trainer"}


def test_consent_to_learning_is_required(trainer_client, places):
    response = trainer_client.post(REGISTER, form_data(places, consent_learning=None))
    assert response.status_code == 400
    assert "Chỉ có thể giữ tài khoản khi người học đồng ý" in response.content.decode()
    assert not User.objects.filter(phone="+84912345678").exists()


@pytest.mark.parametrize("field, value, message", [
    ("phone", "0912 ABC 678", "không phải là số điện thoại"),
    ("phone", "024 3825 1234", "số máy bàn"),
    ("year_of_birth", "1899", "Nhập năm trong khoảng 1900 đến"),
    ("year_of_birth", str(THIS_YEAR + 1), "Nhập năm trong khoảng 1900 đến"),
    ("year_of_birth", "năm", "Nhập năm sinh gồm 4 chữ số"),
    ("full_name", "12345", "viết họ tên bằng chữ cái"),
    ("full_name", " \u200b ", "Vui lòng nhập họ tên người học"),
    ("commune", "06673", "Chọn một xã/phường của bạn trong danh sách"),
])
def test_bad_input_answers_400_in_vietnamese(trainer_client, places, field, value, message):
    response = trainer_client.post(REGISTER, form_data(places, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.filter(created_via="trainer").count() == 0


def test_names_are_stored_nfc_with_single_spaces(trainer_client, places):
    decomposed = "Tra\u0302\u0300n  \tVa\u0306n\u200b Bi\u0300nh "
    assert trainer_client.post(REGISTER, form_data(places, full_name=decomposed)).status_code == 302
    assert User.objects.get(phone="+84912345678").full_name == "Trần Văn Bình"


def test_a_registered_phone_offers_that_person_instead(trainer_client, people, places, cohort):
    lan = people["lan"]
    response = trainer_client.post(REGISTER, form_data(places, phone="0912.000.101", cohort=cohort.pk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Số này đã được đăng ký cho Nguyễn Thị Lan" in page and "Phường Hạ Long" in page
    assert User.objects.filter(phone="+84912000101").count() == 1
    added = trainer_client.post(reverse("registration:add_existing"), {"learner": lan.pk, "cohort": cohort.pk})
    assert added.status_code == 302
    assert Membership.objects.filter(cohort=cohort, learner=lan, added_by=people["trainer"]).exists()
    assert "Đã thêm Nguyễn Thị Lan" in trainer_client.get(added["Location"]).content.decode()


def test_a_phone_registered_elsewhere_does_not_say_whose(trainer_client, people, places):
    response = trainer_client.post(REGISTER, form_data(places, phone="0912 000 103"))  # Mai, of Bãi Cháy
    page = response.content.decode()
    assert response.status_code == 400
    assert "Số này đã được đăng ký." in page
    assert "Phạm Thị Mai" not in page and "Bãi Cháy" not in page
    # Nor can she be added to a class through the back door.
    cohort = Cohort.objects.create(commune=places["ha_long"], name="Lớp chiều")
    cohort.trainers.add(people["trainer"])
    assert trainer_client.post(reverse("registration:add_existing"),
                               {"learner": people["mai"].pk, "cohort": cohort.pk}).status_code == 404


def test_the_same_name_year_and_commune_is_flagged_then_confirmed(trainer_client, people, places, cohort):
    # Lan: Nguyễn Thị Lan, 1962, Hạ Long; typed in lower case, decomposed, without a phone.
    data = form_data(places, full_name="nguye\u0302\u0303n thi\u0323 lan", year_of_birth="1962", phone="",
                     cohort=cohort.pk)
    flagged = trainer_client.post(REGISTER, data)
    assert flagged.status_code == 400
    page = flagged.content.decode()
    assert "Có thể đã được đăng ký" in page and "Nguyễn Thị Lan · 1962" in page
    assert "Đây là người khác, vẫn đăng ký" in page
    assert f'name="learner" value="{people["lan"].pk}"' in page
    assert User.objects.filter(year_of_birth=1962).count() == 1
    # Another year or another commune is not flagged.
    assert trainer_client.post(REGISTER, {**data, "year_of_birth": "1963"}).status_code == 302
    confirmed = trainer_client.post(REGISTER, {**data, "confirm_new": "on"})
    assert confirmed.status_code == 302
    assert User.objects.filter(year_of_birth=1962, commune=places["ha_long"]).count() == 2


def test_only_trainers_register(client, people, places):
    assert client.get(REGISTER).status_code == 302  # to the login page
    client.force_login(people["staff"])
    response = client.get(REGISTER)
    assert response.status_code == 403
    assert client.post(REGISTER, form_data(places)).status_code == 403
    client.force_login(people["lan"])
    assert client.get(REGISTER).status_code == 403
    assert not User.objects.filter(phone="+84912345678").exists()


def test_a_superuser_registers_in_any_commune(client, places):
    client.force_login(make_user(username="root", full_name="Quản Trị", is_superuser=True, is_staff=True))
    assert client.post(REGISTER, form_data(places, commune=places["hoan_kiem"].code)).status_code == 302
    assert User.objects.get(phone="+84912345678").commune == places["hoan_kiem"]


def test_a_cohort_of_another_commune_or_archived_is_refused(trainer_client, people, places, cohort):
    other = Cohort.objects.create(commune=places["bai_chay"], name="Lớp Bãi Cháy")
    response = trainer_client.post(REGISTER, form_data(places, cohort=other.pk))
    assert response.status_code == 400 and "Chọn một lớp của bạn trong danh sách" in response.content.decode()
    cohort.archived_at = timezone.now()
    cohort.save()
    assert trainer_client.post(REGISTER, form_data(places, cohort=cohort.pk)).status_code == 400
    assert not Consent.objects.filter(user__phone="+84912345678").exists()
