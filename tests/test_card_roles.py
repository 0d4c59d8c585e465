"""A login card signs its holder in without a password, and its code passes through the trainer's hands: a trainer
may hold one only for a plain resident, never for someone of their commune who has a role (another trainer,
provincial staff, an editor, a superuser), and a card printed before someone was given a role stops working."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from registration import services
from registration.models import LoginCard
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _roles(places):
    """Each kind of account with a role, living in Hạ Long (the demo trainer's commune)."""
    commune = places["ha_long"]
    co_trainer = make_user(username="cotrainer", full_name="Lê Văn Dũng", commune=commune)
    co_trainer.trainer_communes.add(commune)
    editor = make_user(username="editor", full_name="Trần Thị Hồng", commune=commune, is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    moderator = make_user(username="moderator", full_name="Ngô Văn Bảo", commune=commune)
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return {
        "co-trainer": co_trainer,
        "provincial staff": make_user(username="so", full_name="Đỗ Văn An", commune=commune,
                                      staff_province=places["quang_ninh"]),
        "editor": editor,
        "group member": moderator,
        "superuser": make_user(username="root", full_name="Phan Văn Tú", commune=commune, is_superuser=True,
                               is_staff=True),
    }


ROLES = ["co-trainer", "provincial staff", "editor", "group member", "superuser"]


@pytest.mark.parametrize("role", ROLES)
def test_no_card_for_someone_with_a_role(client, people, places, role):
    person = _roles(places)[role]
    client.force_login(people["trainer"])
    assert client.post(reverse("registration:card", args=[person.pk])).status_code == 404
    assert not LoginCard.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_a_card_printed_before_a_role_was_given_stops_working(people, places, role):
    person = _roles(places)[role]
    issued = services.issue_card(learner=person, issued_by=people["trainer"])
    assert services.sign_in_card(issued.code) is None
    response = Client().post(reverse("registration:card_login"), {"code": issued.code})
    assert response.status_code == 400 and "_auth_user_id" not in response.wsgi_request.session


def test_a_residents_card_still_works(people):
    issued = services.issue_card(learner=people["lan"], issued_by=people["trainer"])
    assert services.sign_in_card(issued.code) == people["lan"]
