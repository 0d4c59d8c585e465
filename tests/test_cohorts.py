"""Cohorts through their pages: the trainer's home, creating and editing, members, archive, "My classes"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.services import record_consents
from attendance.models import ClassSession
from cohorts import selectors, services
from cohorts.models import Cohort, CohortCourse, CohortMessage, Membership
from tests.conftest import make_user
from tests.courses_factory import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client, people):
    client.force_login(people["trainer"])
    return client


@pytest.fixture
def cohort(people, places):
    cohort = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp sáng thứ Ba")
    services.add_member(cohort=cohort, learner=people["lan"], added_by=people["trainer"])
    return cohort


def form_data(places, **changes):
    data = {"name": "Lớp chiều thứ Năm", "commune": places["ha_long"].pk, "starts_on": "2026-03-02",
            "ends_on": "2026-04-30", "place": "Nhà văn hoá khu 3", "schedule": "Thứ Năm, 14:00–15:30"}
    data.update(changes)
    return data


# ------------------------------------------------------------------------------------------------ create, edit

def test_a_trainer_creates_a_cohort_in_their_commune_and_becomes_its_trainer(trainer_client, people, places):
    second, first = make_course("Dùng Zalo an toàn", lessons=1), make_course("Phòng tránh lừa đảo", lessons=1)
    page = trainer_client.get(reverse("cohorts:create"))
    assert page.status_code == 200
    assert f'value="{places["ha_long"].pk}" selected' in page.content.decode()  # their only commune
    response = trainer_client.post(reverse("cohorts:create"), form_data(
        places, courses=[str(first.translation_key), str(second.translation_key)]))
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cohorts:members", args=[cohort.pk])
    assert (cohort.name, cohort.commune, cohort.place) == ("Lớp chiều thứ Năm", places["ha_long"], "Nhà văn hoá khu 3")
    assert list(cohort.trainers.all()) == [people["trainer"]]
    # In the catalogue's order, whatever the order of the boxes ticked.
    assert [c.course_key for c in CohortCourse.objects.filter(cohort=cohort)] == [second.translation_key,
                                                                                   first.translation_key]


def test_the_end_date_may_equal_the_start_date_but_not_come_before(trainer_client, places):
    before = trainer_client.post(reverse("cohorts:create"), form_data(places, starts_on="2026-03-02",
                                                                     ends_on="2026-03-01"))
    assert before.status_code == 400
    assert "Ngày kết thúc không thể trước ngày bắt đầu" in before.content.decode()
    same = trainer_client.post(reverse("cohorts:create"), form_data(places, starts_on="2026-03-02",
                                                                   ends_on="2026-03-02"))
    assert same.status_code == 302


def test_a_commune_outside_the_trainers_area_is_refused(trainer_client, places):
    response = trainer_client.post(reverse("cohorts:create"), form_data(places, commune=places["bai_chay"].pk))
    assert response.status_code == 400
    assert not Cohort.objects.exists()


def test_a_co_trainer_must_train_the_cohorts_commune(trainer_client, people, places):
    colleague = make_user(full_name="Trần Văn Nam", phone="+84912000020")
    colleague.trainer_communes.add(places["ha_long"])
    stranger = make_user(full_name="Lê Văn Tâm", phone="+84912000021")
    stranger.trainer_communes.add(places["bai_chay"])
    people["trainer"].trainer_communes.add(places["bai_chay"])  # both show as choices now

    refused = trainer_client.post(reverse("cohorts:create"), form_data(places, co_trainers=[stranger.pk]))
    assert refused.status_code == 400
    assert "Lê Văn Tâm không phải tập huấn viên của Phường Hạ Long" in refused.content.decode()

    trainer_client.post(reverse("cohorts:create"), form_data(places, co_trainers=[colleague.pk]))
    assert set(Cohort.objects.get().trainers.all()) == {people["trainer"], colleague}


def test_a_trainer_of_another_commune_is_not_even_offered(trainer_client, places):
    stranger = make_user(full_name="Lê Văn Tâm", phone="+84912000021")
    stranger.trainer_communes.add(places["hoan_kiem"])
    assert "Lê Văn Tâm" not in trainer_client.get(reverse("cohorts:create")).content.decode()
    colleague = make_user(full_name="Trần Văn Nam", phone="+84912000020")
    colleague.trainer_communes.add(places["ha_long"])
    response = trainer_client.post(reverse("cohorts:create"), form_data(places, co_trainers=[stranger.pk]))
    assert response.status_code == 400  # not among the choices
    trainer_client.post(reverse("cohorts:create"), form_data(places, co_trainers=[colleague.pk]))
    assert stranger not in Cohort.objects.get().trainers.all()


def test_editing_keeps_the_editor_a_trainer_and_is_404_for_others(trainer_client, client, cohort, people, places):
    url = reverse("cohorts:edit", args=[cohort.pk])
    assert trainer_client.post(url, form_data(places, name="Lớp đã đổi tên")).status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Lớp đã đổi tên" and list(cohort.trainers.all()) == [people["trainer"]]
    other = make_user(full_name="Lê Văn Tâm", phone="+84912000021")
    other.trainer_communes.add(places["bai_chay"])
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(places, name="Không được")).status_code == 404


def test_a_resident_without_a_role_gets_a_vietnamese_403(client, people):
    client.force_login(people["lan"])
    for name in ("cohorts:home", "cohorts:create"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "Chỉ tập huấn viên và cán bộ" in response.content.decode() or "Chỉ tập huấn viên" in \
            response.content.decode()


# ---------------------------------------------------------------------------------------------------- the home

def test_the_home_shows_active_cohorts_with_member_count_and_next_session(trainer_client, cohort, people, places):
    today = timezone.localdate()
    ClassSession.objects.create(cohort=cohort, date=today - datetime.timedelta(days=1), topic="Buổi đã qua")
    ClassSession.objects.create(cohort=cohort, date=today + datetime.timedelta(days=7), topic="Buổi sau nữa")
    ClassSession.objects.create(cohort=cohort, date=today, topic="Nhận diện lừa đảo")
    old = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp năm ngoái")
    services.archive_cohort(cohort=old)

    page = trainer_client.get(reverse("cohorts:home")).content.decode()
    assert "Lớp sáng thứ Ba" in page and "Lớp năm ngoái" not in page
    assert "Nhận diện lừa đảo" in page and "Buổi đã qua" not in page and "Buổi sau nữa" not in page
    assert "<dd>1</dd>" in page  # one member
    assert "Tạo lớp mới" in page
    archived = trainer_client.get(reverse("cohorts:home") + "?archived=1").content.decode()
    assert "Lớp năm ngoái" in archived and "Lớp sáng thứ Ba" not in archived


def test_the_home_costs_the_same_queries_with_1_or_5_cohorts(trainer_client, cohort, people, places):
    def cost():
        trainer_client.get(reverse("cohorts:home"))  # warm: the site's catalogue link is cached
        with CaptureQueriesContext(connection) as queries:
            assert trainer_client.get(reverse("cohorts:home")).status_code == 200
        return len(queries)

    one = cost()
    for number in range(4):
        more = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name=f"Lớp {number}")
        ClassSession.objects.create(cohort=more, date=timezone.localdate(), topic="Buổi học")
        services.add_member(cohort=more, learner=people["lan"], added_by=people["trainer"])
    assert cost() == one


def test_staff_read_every_cohort_of_their_province_without_changing_them(client, cohort, people, places):
    elsewhere = services.create_cohort(creator=people["trainer"], commune=places["hoan_kiem"], name="Lớp Hà Nội")
    bai_chay = Cohort.objects.create(commune=places["bai_chay"], name="Lớp Bãi Cháy")
    client.force_login(people["staff"])
    page = client.get(reverse("cohorts:home")).content.decode()
    assert "Lớp sáng thứ Ba" in page and "Lớp Bãi Cháy" in page and elsewhere.name not in page
    assert "Tạo lớp mới" not in page
    filtered = client.get(reverse("cohorts:home") + f"?commune={places['bai_chay'].pk}").content.decode()
    assert "Lớp Bãi Cháy" in filtered and "Lớp sáng thứ Ba" not in filtered
    assert client.get(reverse("cohorts:home") + f"?commune={places['hoan_kiem'].pk}").status_code == 403

    members = client.get(reverse("cohorts:members", args=[cohort.pk]))
    assert members.status_code == 200 and "Nguyễn Thị Lan" in members.content.decode()
    assert "Thêm thành viên" not in members.content.decode() and "Xoá" not in members.content.decode()
    assert client.get(reverse("cohorts:create")).status_code == 403
    assert client.get(reverse("cohorts:edit", args=[cohort.pk])).status_code == 404
    remove = reverse("cohorts:remove_member", args=[cohort.pk, people["lan"].pk])
    assert client.post(remove).status_code == 404
    assert client.post(reverse("cohorts:archive", args=[cohort.pk])).status_code == 404
    assert client.post(reverse("cohorts:messages", args=[cohort.pk]), {"text": "Xin chào"}).status_code == 404
    assert Membership.objects.filter(cohort=cohort).count() == 1 and not CohortMessage.objects.exists()
    assert bai_chay.pk


# ------------------------------------------------------------------------------------------------ members

@pytest.mark.parametrize("query", ["nguyen thi lan", "NGUYEN THI LAN", "Nguyễn Thị Lan", "thi lan", "lan",
                                   "nguyễn lan"])
def test_the_search_ignores_diacritics_and_case(trainer_client, people, places, query):
    cohort = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp mới")
    page = trainer_client.get(reverse("cohorts:members", args=[cohort.pk]), {"q": query}).content.decode()
    assert "Nguyễn Thị Lan" in page


@pytest.mark.parametrize("query", ["0912 000 101", "912000101", "+84 912 000 101", "0912.000.101", "000101"])
def test_the_search_finds_a_number_however_it_is_written(trainer_client, people, places, query):
    cohort = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp mới")
    found = selectors.search_residents(viewer=people["trainer"], cohort=cohort, query=query)
    assert found == [people["lan"]]


def test_the_search_finds_only_residents_of_the_trainers_communes_who_are_not_members(trainer_client, people,
                                                                                     places, cohort):
    make_user(full_name="Nguyễn Thị Lan Anh", phone="+84912000201", commune=places["bai_chay"])
    neighbour = make_user(full_name="Đặng Văn Đức", phone="+84912000202", commune=places["ha_long"])
    assert selectors.search_residents(viewer=people["trainer"], cohort=cohort, query="lan") == []  # Lan is in
    assert selectors.search_residents(viewer=people["trainer"], cohort=cohort, query="dang van duc") == [neighbour]
    assert selectors.search_residents(viewer=people["trainer"], cohort=cohort, query="đức") == [neighbour]
    assert selectors.search_residents(viewer=people["trainer"], cohort=cohort, query="uc") == []  # word starts
    assert selectors.search_residents(viewer=people["trainer"], cohort=cohort, query="d") == []  # too short
    assert selectors.search_residents(viewer=people["trainer"], cohort=cohort, query="12") == []  # too short


def test_adding_and_removing_a_member(trainer_client, people, places):
    cohort = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp mới")
    other = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name="Lớp khác")
    services.add_member(cohort=other, learner=people["lan"], added_by=people["trainer"])
    add = reverse("cohorts:add_member", args=[cohort.pk])
    response = trainer_client.post(add, {"learner": people["lan"].pk}, follow=True)
    assert "Nguyễn Thị Lan đã được thêm vào lớp" in response.content.decode()
    assert trainer_client.post(add, {"learner": people["lan"].pk}).status_code == 302  # twice: still one
    assert Membership.objects.filter(learner=people["lan"]).count() == 2  # in two cohorts
    page = trainer_client.get(reverse("cohorts:members", args=[cohort.pk])).content.decode()
    assert "0912 ••• 101" in page and "sinh năm 1962" in page and "+84912000101" not in page

    remove = reverse("cohorts:remove_member", args=[cohort.pk, people["lan"].pk])
    assert trainer_client.post(remove).status_code == 302
    assert not Membership.objects.filter(cohort=cohort).exists()
    assert Membership.objects.filter(cohort=other).exists()
    assert trainer_client.post(remove).status_code == 404  # no longer a member


def test_hostile_ids_are_404(trainer_client, people, places, cohort):
    add = reverse("cohorts:add_member", args=[cohort.pk])
    for learner in (people["mai"], people["hoa"], people["staff"]):  # outside the trainer's communes
        assert trainer_client.post(add, {"learner": learner.pk}).status_code == 404
    assert trainer_client.post(add, {"learner": "abc"}).status_code == 404
    assert trainer_client.post(add, {}).status_code == 404
    foreign = Cohort.objects.create(commune=places["bai_chay"], name="Lớp Bãi Cháy")
    assert trainer_client.post(reverse("cohorts:add_member", args=[foreign.pk]),
                               {"learner": people["lan"].pk}).status_code == 404
    assert trainer_client.get(reverse("cohorts:members", args=[foreign.pk])).status_code == 404
    assert Membership.objects.count() == 1


def test_an_archived_cohort_takes_no_new_members_until_made_active(trainer_client, people, places, cohort):
    neighbour = make_user(full_name="Đặng Văn Đức", phone="+84912000202", commune=places["ha_long"])
    archive = reverse("cohorts:archive", args=[cohort.pk])
    assert trainer_client.post(archive)["Location"] == reverse("cohorts:home")
    cohort.refresh_from_db()
    assert cohort.archived
    page = trainer_client.get(reverse("cohorts:members", args=[cohort.pk]), {"q": "duc"}).content.decode()
    assert "Đặng Văn Đức" not in page and "không nhận thêm thành viên" in page
    refused = trainer_client.post(reverse("cohorts:add_member", args=[cohort.pk]), {"learner": neighbour.pk})
    assert refused.status_code == 400
    assert not Membership.objects.filter(learner=neighbour).exists()
    assert trainer_client.get(archive).status_code == 405

    trainer_client.post(archive)
    cohort.refresh_from_db()
    assert not cohort.archived
    trainer_client.post(reverse("cohorts:add_member", args=[cohort.pk]), {"learner": neighbour.pk})
    assert Membership.objects.filter(learner=neighbour, cohort=cohort).exists()


# ------------------------------------------------------------------------------------------------ messages

def test_a_message_goes_only_to_consenting_members_with_a_phone(trainer_client, people, places, cohort,
                                                                 django_capture_on_commit_callbacks):
    from accounts import sms

    no_phone = make_user(full_name="Bà Tư", commune=places["ha_long"])
    withdrawn = make_user(full_name="Ông Năm", phone="+84912000205", commune=places["ha_long"])
    for person in (people["lan"], no_phone, withdrawn):
        record_consents(user=person, purposes=["contact"], method="trainer", recorded_by=people["trainer"])
        services.add_member(cohort=cohort, learner=person, added_by=people["trainer"])
    from accounts.services import withdraw_consent

    withdraw_consent(user=withdrawn, purpose="contact")
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(reverse("cohorts:messages", args=[cohort.pk]),
                                       {"text": "Lớp học sáng mai 8:00 tại nhà văn hoá khu 3"})
    assert response.status_code == 302
    assert sms.outbox == [{"to": "+84912000101", "body": "Lớp học sáng mai 8:00 tại nhà văn hoá khu 3"}]
    message = CohortMessage.objects.get()
    assert (message.recipients, message.skipped) == (1, 2) and message.sent_at


@pytest.mark.parametrize(("text", "status"), [("a" * 319, 302), ("a" * 320, 302), ("a" * 321, 400),
                                               ("Lớp\x07 học", 400), ("   ", 400)])
def test_the_message_text_is_checked(trainer_client, cohort, text, status):
    response = trainer_client.post(reverse("cohorts:messages", args=[cohort.pk]), {"text": text})
    assert response.status_code == status


def test_the_message_text_is_stored_nfc(trainer_client, cohort):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Lớp học sáng mai")
    trainer_client.post(reverse("cohorts:messages", args=[cohort.pk]), {"text": decomposed})
    assert CohortMessage.objects.get().text == "Lớp học sáng mai"


def test_a_message_is_not_sent_twice(people, cohort):
    from accounts import sms

    record_consents(user=people["lan"], purposes=["contact"], method="trainer", recorded_by=people["trainer"])
    message = CohortMessage.objects.create(cohort=cohort, text="Nghỉ học hôm nay", sent_by=people["trainer"])
    assert services.deliver_message(message_id=message.pk).recipients == 1
    assert services.deliver_message(message_id=message.pk) is None
    assert len(sms.outbox) == 1


# --------------------------------------------------------------------------------------------- "My classes"

def test_my_classes_shows_the_residents_cohorts_with_trainers_and_next_session(client, people, places, cohort):
    cohort.place, cohort.schedule = "Nhà văn hoá khu 3", "Thứ Ba, 8:00"
    cohort.save()
    ClassSession.objects.create(cohort=cohort, date=timezone.localdate() + datetime.timedelta(days=2),
                                topic="Dùng Zalo an toàn")
    Cohort.objects.create(commune=places["ha_long"], name="Lớp không có Lan")
    client.force_login(people["lan"])
    page = client.get(reverse("cohorts:mine")).content.decode()
    assert "Lớp sáng thứ Ba" in page and "Lớp không có Lan" not in page
    assert "Nhà văn hoá khu 3" in page and "Vũ Quang Minh" in page and "Dùng Zalo an toàn" in page
    assert reverse("cohorts:mine") in client.get(reverse("my_learning")).content.decode()

    client.force_login(people["mai"])
    assert "Bạn chưa ở trong lớp nào" in client.get(reverse("cohorts:mine")).content.decode()
    assert reverse("cohorts:mine") not in client.get(reverse("my_learning")).content.decode()


def test_the_menu_shows_classes_to_trainers_and_staff_only(client, people):
    client.force_login(people["trainer"])
    assert reverse("cohorts:home") in client.get(reverse("my_learning")).content.decode()
    client.force_login(people["lan"])
    assert reverse("cohorts:home") not in client.get(reverse("my_learning")).content.decode()


def test_the_sixth_message_within_the_hour_is_a_vietnamese_429(trainer_client, cohort):
    url = reverse("cohorts:messages", args=[cohort.pk])
    for number in range(5):
        assert trainer_client.post(url, {"text": f"Tin số {number}"}).status_code == 302
    refused = trainer_client.post(url, {"text": "Tin số 6"})
    assert refused.status_code == 429
    assert "Đã gửi quá nhiều tin nhắn trong thời gian ngắn" in refused.content.decode()
    assert CohortMessage.objects.count() == 5
    assert trainer_client.post(url, {"text": "a" * 400}).status_code == 400  # a bad form costs no message


def test_an_archived_cohort_sends_no_messages(trainer_client, cohort):
    services.archive_cohort(cohort=cohort)
    url = reverse("cohorts:messages", args=[cohort.pk])
    assert "Gửi SMS cho thành viên" not in trainer_client.get(url).content.decode()
    assert trainer_client.post(url, {"text": "Xin chào"}).status_code == 400
    assert not CohortMessage.objects.exists()


def test_the_pages_keep_the_phone_budget(trainer_client, client, people, places, cohort):
    for number in range(30):
        learner = make_user(full_name=f"Nguyễn Văn Người Học {number}", phone=f"+84988{number:06d}",
                            commune=places["ha_long"], year_of_birth=1950 + number)
        services.add_member(cohort=cohort, learner=learner, added_by=people["trainer"])
    for _number in range(10):
        CohortMessage.objects.create(cohort=cohort, text="Lớp học sáng mai 8:00 " * 14, sent_by=people["trainer"])
    urls = [reverse("cohorts:home"), reverse("cohorts:create"), reverse("cohorts:edit", args=[cohort.pk]),
            reverse("cohorts:members", args=[cohort.pk]) + "?q=nguyen",
            reverse("cohorts:messages", args=[cohort.pk])]
    for url in urls:
        response = trainer_client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert len(response.content) <= 40 * 1024, (url, len(response.content))
        assert "style=" not in body and "<script" not in body, url
    client.force_login(people["lan"])
    assert len(client.get(reverse("cohorts:mine")).content) <= 40 * 1024


def test_the_admin_lists_cohorts_for_administrators_only(client, cohort, people):
    from django.contrib.auth.models import Group

    admin = make_user(username="admin", full_name="Quản Trị", email="admin@example.org", is_staff=True,
                      is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/cohorts_admin/")
    assert listing.status_code == 200 and "Lớp sáng thứ Ba" in listing.content.decode()
    editor = make_user(username="editor", full_name="Biên Tập Viên", email="editor@example.org", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/cohorts_admin/")["Location"] == "/admin/"


def test_my_classes_costs_the_same_queries_with_1_or_4_cohorts(client, people, places, cohort):
    client.force_login(people["lan"])

    def cost():
        client.get(reverse("cohorts:mine"))  # warm: the site's catalogue link is cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cohorts:mine")).status_code == 200
        return len(queries)

    one = cost()
    for number in range(3):
        more = services.create_cohort(creator=people["trainer"], commune=places["ha_long"], name=f"Lớp {number}")
        ClassSession.objects.create(cohort=more, date=timezone.localdate(), topic="Buổi học")
        services.add_member(cohort=more, learner=people["lan"], added_by=people["trainer"])
    assert cost() == one
