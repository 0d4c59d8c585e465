"""A page costs the same number of SQL queries whatever the number of lessons (and of courses)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from courses import services
from courses.models import CoursePage, LessonPage
from courses.services import ensure_catalogue
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # pictures and their renditions go away with the test


@pytest.fixture
def picture():
    return Image.objects.create(title="Màn hình tin nhắn", file=get_test_image_file(size=(64, 48)))


def body(picture: Image) -> list[dict]:
    """Every kind of block that reads the database or the cache: pictures, steps with screenshots."""
    return [
        {"type": "paragraph", "value": "<p>Kẻ gian giả danh công an để lấy mã OTP.</p>"},
        {"type": "image", "value": {"image": picture.pk, "alt_text": "Tin nhắn giả", "caption": ""}},
        {"type": "steps", "value": {"title": "Làm theo", "steps": [
            {"text": "<p>Không bấm vào đường link lạ.</p>", "screenshot": picture.pk, "screenshot_alt": "Link lạ"},
        ]}},
        {"type": "callout", "value": {"kind": "warning", "text": "<p>Không đưa mã OTP cho ai.</p>"}},
        {"type": "checklist", "value": {"title": "Tự làm thử", "items": ["Xem lại tin nhắn"]}},
    ]


def make_course(slug: str, picture: Image, *, lessons: int) -> CoursePage:
    course = CoursePage(title=f"Khóa học {slug}", slug=slug, summary="Tóm tắt", sequential=True)
    ensure_catalogue().add_child(instance=course)
    course.save_revision().publish()
    add_lessons(course, picture, range(1, lessons + 1))
    return course


def add_lessons(course: CoursePage, picture: Image, numbers) -> None:
    for number in numbers:
        lesson = LessonPage(title=f"Bài {number}", slug=f"bai-{number}", summary="Tóm tắt", body=body(picture))
        course.add_child(instance=lesson)
        lesson.save_revision().publish()


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def count_queries(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: renditions made, caches filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def page_costs(course: CoursePage, learner_client, anonymous_client) -> dict[str, int]:
    first, second = lessons_of(course)[:2]
    return {
        "catalogue (anonymous)": count_queries(anonymous_client, ensure_catalogue().url),
        "catalogue (learner)": count_queries(learner_client, ensure_catalogue().url),
        "course (anonymous)": count_queries(anonymous_client, course.url),
        "course (learner)": count_queries(learner_client, course.url),
        "lesson (anonymous)": count_queries(anonymous_client, first.url),
        "lesson (enrolled learner)": count_queries(learner_client, second.url),
        "my learning": count_queries(learner_client, reverse("my_learning")),
    }


@pytest.fixture
def learner_client(client, places):
    learner = make_user(full_name="Nguyễn Thị Lan", phone="+84912000101", commune=places["ha_long"])
    client.force_login(learner)
    client.learner = learner
    return client


@pytest.fixture
def anonymous_client():
    from django.test import Client

    return Client()


def test_pages_cost_the_same_queries_with_2_or_12_lessons(picture, learner_client, anonymous_client):
    course = make_course("lua-dao", picture, lessons=2)
    learner = learner_client.learner
    services.enroll(learner=learner, course=course)
    services.complete_lesson(learner=learner, lesson=lessons_of(course)[0])  # the second lesson is open
    with_2 = page_costs(course, learner_client, anonymous_client)

    add_lessons(course, picture, range(3, 13))
    assert len(lessons_of(course)) == 12
    with_12 = page_costs(course, learner_client, anonymous_client)

    assert with_12 == with_2, "\n".join(
        f"{page}: {with_2[page]} queries with 2 lessons, {with_12[page]} with 12" for page in with_2
    )


def test_marking_a_lesson_done_costs_the_same_with_2_or_12_lessons(picture, learner_client):
    def cost_of_done(course: CoursePage) -> int:
        lesson = lessons_of(course)[0]
        assert learner_client.get(lesson.url).status_code == 200  # warm caches, as for the pages
        with CaptureQueriesContext(connection) as queries:
            response = learner_client.post(lesson.url + "done/")
        assert response.status_code == 302
        return len(queries)

    short, long = make_course("ngan", picture, lessons=2), make_course("dai", picture, lessons=12)
    for course in (short, long):
        services.enroll(learner=learner_client.learner, course=course)
    assert cost_of_done(short) == cost_of_done(long)


def test_catalogue_and_my_learning_cost_the_same_with_1_or_3_courses(picture, learner_client, anonymous_client):
    def costs() -> dict[str, int]:
        return {
            "catalogue (anonymous)": count_queries(anonymous_client, ensure_catalogue().url),
            "catalogue (learner)": count_queries(learner_client, ensure_catalogue().url),
            "my learning": count_queries(learner_client, reverse("my_learning")),
        }

    def enrol(course: CoursePage) -> None:
        services.enroll(learner=learner_client.learner, course=course)
        services.complete_lesson(learner=learner_client.learner, lesson=lessons_of(course)[0])

    enrol(make_course("mot", picture, lessons=2))
    with_1 = costs()
    enrol(make_course("hai", picture, lessons=3))
    enrol(make_course("ba", picture, lessons=4))
    assert costs() == with_1
