"""A resident on a 360 px phone logs in, enrols, reads a lesson and marks it done; and the same without JavaScript."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
from courses.services import ensure_catalogue

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-dai-123"  # noqa: S105 - tests/conftest.py's make_user


def vi(message: str, **values) -> str:
    """What the page says, in Vietnamese (the catalogues are compiled by `make test`)."""
    with translation.override("vi"):
        return gettext(message) % values if values else gettext(message)


@pytest.fixture
def course():
    """A published course of two lessons, learned in order, under the catalogue."""
    course = CoursePage(title="Phòng tránh lừa đảo qua điện thoại", slug="phong-tranh-lua-dao",
                        summary="Nhận ra cuộc gọi và tin nhắn lừa đảo.", sequential=True, estimated_minutes=15)
    ensure_catalogue().add_child(instance=course)
    course.save_revision().publish()
    for number, (title, text) in enumerate([
        ("Cuộc gọi giả danh công an", "Công an không bao giờ gọi điện yêu cầu bạn chuyển tiền."),
        ("Không đưa mã OTP cho ai", "Mã OTP là chìa khóa tài khoản ngân hàng của bạn."),
    ], start=1):
        lesson = LessonPage(title=title, slug=f"bai-{number}", summary="Bài học ngắn.", body=[
            {"type": "paragraph", "value": f"<p>{text}</p>"},
            {"type": "callout", "value": {"kind": "warning", "text": "<p>Hãy hỏi người thân trước khi làm.</p>"}},
        ])
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def log_in(page, live_server, phone="0912 000 101"):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill(phone)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=vi("My learning"))).to_be_visible()


def test_a_resident_enrols_reads_a_lesson_and_marks_it_done(live_server, people, course, phone_page):
    page = phone_page
    first, second = lessons_of(course)
    log_in(page, live_server)

    page.get_by_role("navigation", name=vi("Main menu")).get_by_role("link", name=vi("Courses")).click()
    page.get_by_role("link", name=course.title).click()
    page.get_by_role("button", name=vi("Enrol in this course")).click()

    # Enrolling opens the first lesson.
    expect(page).to_have_url(live_server.url + first.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(page.get_by_text("Công an không bao giờ gọi điện")).to_be_visible()
    done = page.get_by_role("button", name=vi("I have finished this lesson"))
    done.scroll_into_view_if_needed()
    expect(done).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on the phone
    done.click()

    # The next lesson opens, with a word that the first one is done.
    expect(page).to_have_url(live_server.url + second.url)
    expect(page.get_by_role("status")).to_contain_text(vi("Lesson done: %(lesson)s.", lesson=first.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(second.title)

    page.get_by_role("link", name=vi("My learning")).click()
    expect(page.get_by_text(vi("%(done)s of %(total)s lessons done", done=1, total=2))).to_be_visible()

    lan = people["lan"]
    assert Enrollment.objects.filter(learner=lan, course_key=course.translation_key).exists()
    assert LessonProgress.objects.get(learner=lan, lesson_key=first.translation_key).completed_at is not None
    assert not LessonProgress.objects.filter(learner=lan, lesson_key=second.translation_key,
                                             completed_at__isnull=False).exists()


def test_a_lesson_reads_and_is_marked_done_without_javascript(live_server, people, course, no_js_page):
    page = no_js_page
    first, second = lessons_of(course)
    log_in(page, live_server)

    page.goto(live_server.url + first.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(page.get_by_text("Công an không bao giờ gọi điện")).to_be_visible()
    page.get_by_role("button", name=vi("I have finished this lesson")).click()  # a plain form POST

    expect(page).to_have_url(live_server.url + second.url)
    expect(page.get_by_role("status")).to_contain_text(vi("Lesson done: %(lesson)s.", lesson=first.title))
    page.goto(live_server.url + first.url)
    expect(page.get_by_text(vi("You have done this lesson."))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(re.escape(vi("I have finished this lesson"))))).to_have_count(0)
    assert LessonProgress.objects.get(learner=people["lan"], lesson_key=first.translation_key).completed_at
