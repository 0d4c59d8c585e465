"""The demo courses: real lessons that use every block, pictures with alt text, an English translation, idempotent."""

import re

import pytest
from django.db import transaction
from django.test import Client, override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from courses import services
from courses.demo import build_demo_courses
from courses.models import LessonPage
from courses.services import ensure_catalogue
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

BLOCK_TYPES = {"paragraph", "image", "steps", "callout", "video", "audio", "checklist"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at its end (each test adds a savepoint)."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))  # pictures go away afterwards
    with django_db_blocker.unblock(), media, transaction.atomic():
        ensure_catalogue()
        yield build_demo_courses()
        transaction.set_rollback(True)


@pytest.fixture
def fast_avif(monkeypatch):
    """Encode AVIF renditions at Pillow's fastest speed: the pages are under test here, not the encoder."""
    PILImage.init()  # Pillow registers its formats lazily
    save = PILImage.SAVE.get("AVIF")
    if save is None:
        return

    def fast(image, fp, filename, *args, **kwargs):
        image.encoderinfo.setdefault("speed", 10)
        return save(image, fp, filename, *args, **kwargs)

    monkeypatch.setitem(PILImage.SAVE, "AVIF", fast)


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def words(lesson: LessonPage) -> int:
    """The words a learner reads in a lesson (not the pictures' descriptions)."""
    parts = []
    for block in lesson.body.raw_data:
        value = block["value"]
        if block["type"] == "paragraph":
            parts.append(value)
        elif block["type"] == "callout":
            parts.append(value["text"])
        elif block["type"] == "steps":
            parts += [value["title"], *(step["text"] for step in value["steps"])]
        elif block["type"] == "checklist":
            parts += [value["title"], *value["items"]]
        elif block["type"] == "image":
            parts.append(value["caption"])
        else:
            parts.append(value["title"])
    return len(re.sub(r"<[^>]+>", " ", " ".join(parts)).split())


def test_two_courses_of_real_lessons_using_every_block(demo):
    assert [course.slug for course in demo] == ["nhan-biet-va-phong-tranh-lua-dao", "vneid-va-dich-vu-cong-truc-tuyen"]
    scams, vneid = demo
    assert scams.sequential and not vneid.sequential
    assert {d.code for d in scams.domains.all()} == {"4"} and {s.code for s in scams.skills.all()} == {"0.2"}
    assert {d.code for d in vneid.domains.all()} == {"1", "2"}
    assert {s.code for s in vneid.skills.all()} == {"0.1", "0.2"}
    used = set()
    for course in demo:
        assert course.live and course.cover and course.summary
        lessons = lessons_of(course)
        assert 4 <= len(lessons) <= 6
        assert course.estimated_minutes == sum(lesson.estimated_minutes for lesson in lessons)
        for lesson in lessons:
            assert lesson.summary and lesson.domains.exists()
            assert 150 <= words(lesson) <= 350, (lesson.title, words(lesson))
            used |= {block.block_type for block in lesson.body}
            checklists = [block.value for block in lesson.body if block.block_type == "checklist"]
            assert [value["title"] for value in checklists] == ["Tự thực hành"]
    assert used == BLOCK_TYPES


def test_every_picture_is_described_and_every_video_is_linked(demo):
    english = Locale.objects.get(language_code="en")
    lessons = LessonPage.objects.live()
    assert lessons.filter(locale=english).count() == len(lessons_of(demo[0]))
    screenshots = 0
    for lesson in lessons:
        for block in lesson.body:
            if block.block_type == "image":
                assert block.value["image"] is not None and block.value["alt_text"].strip()
            elif block.block_type == "steps":
                for step in block.value["steps"]:
                    if step["screenshot"]:
                        screenshots += 1
                        assert step["screenshot_alt"].strip()
            elif block.block_type == "video":
                assert block.value["poster"] and block.value["external_url"].startswith("https://")
                assert not block.value["file"]
            elif block.block_type == "audio":
                assert block.value["file"].file.name.endswith(".wav")
    assert screenshots >= 6
    for image in get_image_model().objects.all():
        assert image.width == 720 and image.file_size and image.title.startswith("[demo]")


def test_a_second_run_creates_nothing(demo):
    counts = (Page.objects.count(), get_image_model().objects.count(), get_document_model().objects.count(),
              Locale.objects.count())
    again = build_demo_courses()
    assert [course.pk for course in again] == [course.pk for course in demo]
    assert (Page.objects.count(), get_image_model().objects.count(), get_document_model().objects.count(),
            Locale.objects.count()) == counts


def test_the_english_course_shares_translation_keys(demo):
    scams = demo[0]
    english = Locale.objects.get(language_code="en")
    translated = scams.get_translation(english).specific
    assert translated.live and translated.translation_key == scams.translation_key
    assert translated.title == "Spotting and avoiding online scams" and translated.sequential
    assert {d.code for d in translated.domains.all()} == {"4"}
    assert translated.cover_id != scams.cover_id  # the pictures are drawn with English words
    vietnamese, english_lessons = lessons_of(scams), lessons_of(translated)
    assert [lesson.translation_key for lesson in english_lessons] == [lesson.translation_key for lesson in vietnamese]
    for vi, en in zip(vietnamese, english_lessons, strict=True):
        assert en.title != vi.title and en.summary != vi.summary
        assert [b.block_type for b in en.body] == [b.block_type for b in vi.body]
        assert 150 <= words(en) <= 350, (en.title, words(en))
    assert not demo[1].get_translation_or_none(english)  # only the scams course is translated


def test_catalogues_and_every_lesson_answer(demo, fast_avif):
    client = Client()
    learner = make_user(username="demo-reader")
    for lesson in lessons_of(demo[0]):  # the scams course opens its lessons in order
        services.complete_lesson(learner=learner, lesson=lesson)
    client.force_login(learner)
    catalogue = client.get("/courses/")
    assert catalogue.status_code == 200
    body = catalogue.content.decode()
    assert "Nhận biết và phòng tránh lừa đảo trên mạng" in body and "Sử dụng VNeID và dịch vụ công" in body
    english = client.get("/en/courses/")
    assert english.status_code == 200
    assert "Spotting and avoiding online scams" in english.content.decode()
    assert client.get(f"/en/courses/{demo[0].slug}/").status_code == 200
    for lesson in LessonPage.objects.live():
        url = lesson.get_url()
        assert url.startswith("/en/courses/" if lesson.locale.language_code == "en" else "/courses/")
        response = client.get(url)
        assert response.status_code == 200, url
        assert lesson.title in response.content.decode()
