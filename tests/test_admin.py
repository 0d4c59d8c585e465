"""Administrators manage people and roles; seed_demo sets up a demo province."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, places):
    admin = make_user(username="admin", full_name="Quản Trị", email="admin@example.org",
                      is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_makes_someone_a_trainer_in_the_django_admin(admin_client, people, places):
    mai = people["mai"]
    response = admin_client.get(f"/django-admin/accounts/user/{mai.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update({
        "username": mai.username, "full_name": mai.full_name, "phone": mai.phone,
        "commune": mai.commune_id, "created_via": "self", "is_active": "on",
        "trainer_communes": [places["bai_chay"].code], "groups": [], "user_permissions": [],
        "date_joined_0": "2025-07-01", "date_joined_1": "08:00:00",
        "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0",
    })
    for key in ("last_login", "date_joined", "password", "staff_province", "year_of_birth", "gender",
                "email"):
        data.setdefault(key, "")
    data["year_of_birth"] = mai.year_of_birth
    response = admin_client.post(f"/django-admin/accounts/user/{mai.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(User.objects.get(pk=mai.pk).trainer_communes.all()) == [places["bai_chay"]]


def test_wagtail_user_admin_creates_a_user_with_one_full_name(admin_client):
    response = admin_client.get("/admin/users/new/")
    assert response.status_code == 200
    assert "first_name" not in response.content.decode()
    response = admin_client.post("/admin/users/new/", {
        "username": "bien-tap", "full_name": "Hoàng  Thị Thu", "email": "thu@example.org",
        "phone": "0912 000 555", "password1": "mot-mat-khau-dai-2025",
        "password2": "mot-mat-khau-dai-2025", "groups": [],
    })
    assert response.status_code == 302
    user = User.objects.get(username="bien-tap")
    assert (user.full_name, user.phone) == ("Hoàng Thị Thu", "+84912000555")


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
