"""Shared fixtures: a few real communes, an empty SMS outbox and cache, people in roles."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from wagtail.models import Locale

from accounts import sms
from accounts.models import User
from places.models import Commune, Province


@pytest.fixture(autouse=True)
def _fresh_cache_and_outbox():
    cache.clear()  # rate limits live in the cache
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup, django_db_blocker):
    """What the migrations put in the test database (root and home pages, site, locales), serialized once."""
    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _restore_migrated_data(request):
    """Transactional tests end with a flush that empties every table: put the migrated data back first.

    One fixture for all such tests (browser, live server, worker, concurrency), instead of
    serialized_rollback, which breaks when tests with and without it are mixed.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    data = request.getfixturevalue("_migrated_data")
    request.getfixturevalue("transactional_db")
    if Locale.objects.exists():
        return
    # Restoring makes models whose content type Django looks up: from its cache, never the emptied table.
    ContentType.objects.get_for_models(*apps.get_models())
    call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0)
    connection.creation.deserialize_db_from_string(data)
    ContentType.objects.clear_cache()


@pytest.fixture
def completions():
    """(learner pk, course pk) for every course_completed announcement made during the test."""
    from courses.signals import course_completed

    heard = []

    def listener(sender, learner, course, enrollment, **kwargs):
        heard.append((learner.pk, course.pk))

    course_completed.connect(listener)
    yield heard
    course_completed.disconnect(listener)


@pytest.fixture
def places(db):
    """Two provinces with real codes and names, three communes."""
    quang_ninh = Province.objects.create(
        code="22", name="Quảng Ninh", codename="quang_ninh", division_type="tỉnh"
    )
    ha_noi = Province.objects.create(
        code="01", name="Thành phố Hà Nội", codename="ha_noi", division_type="thành phố trung ương"
    )
    communes = {
        "ha_long": Commune.objects.create(code="06688", name="Phường Hạ Long", codename="phuong_ha_long",
                                          division_type="phường", province=quang_ninh),
        "bai_chay": Commune.objects.create(code="06673", name="Phường Bãi Cháy",
                                           codename="phuong_bai_chay", division_type="phường",
                                           province=quang_ninh),
        "hoan_kiem": Commune.objects.create(code="00070", name="Phường Hoàn Kiếm",
                                            codename="phuong_hoan_kiem", division_type="phường",
                                            province=ha_noi),
    }
    return {"quang_ninh": quang_ninh, "ha_noi": ha_noi, **communes}


def make_user(**fields) -> User:
    fields.setdefault("username", f"u{User.objects.count() + 1}")
    fields.setdefault("full_name", "Người Dùng")
    password = fields.pop("password", "mat-khau-dai-123")
    fields.setdefault("phone_verified", bool(fields.get("phone")))
    user = User.objects.create(**fields)
    user.set_password(password)
    user.save()
    return user


@pytest.fixture
def people(places):
    """A resident in each of three communes, a trainer of Hạ Long, staff of Quảng Ninh."""
    trainer = make_user(username="trainer", full_name="Vũ Quang Minh", phone="+84912000002")
    trainer.trainer_communes.add(places["ha_long"])
    return {
        "lan": make_user(full_name="Nguyễn Thị Lan", phone="+84912000101",
                         commune=places["ha_long"], year_of_birth=1962),
        "mai": make_user(full_name="Phạm Thị Mai", phone="+84912000103",
                         commune=places["bai_chay"], year_of_birth=1975),
        "hoa": make_user(full_name="Đinh Thị Hoa", phone="+84912000105",
                         commune=places["hoan_kiem"], year_of_birth=1980),
        "trainer": trainer,
        "staff": make_user(username="staff", full_name="Đỗ Thu Hà", email="so@example.org",
                           staff_province=places["quang_ninh"]),
    }
