"""Who sees whom: trainers their communes, provincial staff their province, residents themselves."""

import json

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.scoping import visible, visible_communes

pytestmark = pytest.mark.django_db


def detail(user):
    return reverse("learner_detail", args=[user.pk])


def test_trainer_sees_own_commune_learners_only(client, people):
    client.force_login(people["trainer"])
    assert client.get(detail(people["lan"])).status_code == 200
    assert client.get(detail(people["mai"])).status_code == 404  # other commune, same province
    assert client.get(detail(people["hoa"])).status_code == 404  # other province
    names = [u.full_name for u in client.get(reverse("learner_list")).context["learners"]]
    assert names == ["Nguyễn Thị Lan"]


def test_trainer_cannot_filter_to_a_commune_outside_their_area(client, people, places):
    client.force_login(people["trainer"])
    response = client.get(reverse("learner_list"), {"commune": places["bai_chay"].code})
    assert response.status_code == 403


def test_provincial_staff_see_their_province_only(client, people):
    client.force_login(people["staff"])
    assert client.get(detail(people["lan"])).status_code == 200
    assert client.get(detail(people["mai"])).status_code == 200
    assert client.get(detail(people["hoa"])).status_code == 404
    names = {u.full_name for u in client.get(reverse("learner_list")).context["learners"]}
    assert names == {"Nguyễn Thị Lan", "Phạm Thị Mai"}


def test_resident_sees_only_themself(client, people):
    client.force_login(people["lan"])
    assert client.get(detail(people["lan"])).status_code == 200
    assert client.get(detail(people["mai"])).status_code == 404
    assert client.get(reverse("learner_list")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, people):
    response = client.get(detail(people["lan"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_selector_scopes(people, places):
    assert set(visible_communes(people["trainer"])) == {places["ha_long"]}
    assert set(visible_communes(people["staff"])) == {places["ha_long"], places["bai_chay"]}
    assert list(visible_communes(people["lan"])) == []
    assert list(visible(User, people["lan"])) == [people["lan"]]


def test_resident_downloads_their_data(client, people):
    client.force_login(people["lan"])
    response = client.get(reverse("download_my_data"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["full_name"] == "Nguyễn Thị Lan"
    assert data["commune"]["name"] == "Phường Hạ Long"


def test_resident_deletes_their_account_with_password(client, people):
    lan = people["lan"]
    client.force_login(lan)
    response = client.post(reverse("delete_my_account"), {"password": "sai"})
    assert response.status_code == 400
    assert User.objects.filter(pk=lan.pk).exists()
    response = client.post(reverse("delete_my_account"), {"password": "mat-khau-dai-123"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=lan.pk).exists()


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_django_admin_user_list_keeps_to_the_viewers_area(client, people):
    from django.contrib.auth.models import Permission

    staff = people["staff"]
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(staff)
    listed = set(client.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list)
    assert listed == {staff, people["lan"], people["mai"]}
    response = client.get(reverse("admin:accounts_user_change", args=[people["hoa"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")  # as if not there
