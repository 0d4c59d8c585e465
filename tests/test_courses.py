"""Enrolment, reading, progress, the sequential lock, and sharing progress across languages."""

import pytest
from django.test import Client
from wagtail.models import Locale

from courses.models import Enrollment, LessonProgress
from tests.courses_factory import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client, people):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    client.force_login(people["lan"])
    return client


def test_catalogue_lists_published_courses(client, places):
    make_course("Dùng VNeID", lessons=2)
    response = client.get("/courses/")
    assert response.status_code == 200
    assert "Dùng VNeID" in response.content.decode()


def test_enrol_is_one_tap_and_idempotent(learner_client, people):
    course = make_course(lessons=2)
    url = course.url + "enrol/"
    first = learner_client.post(url)
    second = learner_client.post(url)  # a double tap or a retried POST
    assert first.status_code == second.status_code == 302
    assert first["Location"] == lessons_of(course)[0].url
    enrollment = Enrollment.objects.get()
    assert enrollment.course_key == course.translation_key
    assert enrollment.commune == people["lan"].commune  # frozen at enrolment


def test_enrol_needs_a_login_and_a_post(client, places):
    course = make_course(lessons=1)
    assert client.get(course.url + "enrol/").status_code == 405
    response = client.post(course.url + "enrol/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enrollment.objects.exists()


def test_progress_x_of_n_and_continue_where_i_left_off(learner_client):
    course = make_course(lessons=3)
    one, two, _ = lessons_of(course)
    learner_client.post(course.url + "enrol/")
    learner_client.get(one.url)
    learner_client.post(one.url + "done/")
    page = learner_client.get(course.url)
    body = page.content.decode()
    assert "1 trên 3 bài đã xong" in body
    assert page.context["outline"].next_state.lesson.pk == two.pk
    my = learner_client.get("/my-learning/")
    assert my.status_code == 200
    assert two.url in my.content.decode()


def test_marking_done_twice_counts_once(learner_client):
    course = make_course(lessons=2)
    one = lessons_of(course)[0]
    learner_client.post(one.url + "done/")
    learner_client.post(one.url + "done/")
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == 1


def test_completing_a_lesson_without_enrolling_enrols_you(learner_client):
    course = make_course(lessons=2)
    one = lessons_of(course)[0]
    response = learner_client.post(one.url + "done/", follow=True)
    assert response.status_code == 200
    assert Enrollment.objects.filter(course_key=course.translation_key).exists()
    assert "Đã xong bài" in response.content.decode()


def test_sequential_course_refuses_lesson_three_before_two(learner_client):
    course = make_course(lessons=3, sequential=True)
    one, two, three = lessons_of(course)
    learner_client.post(course.url + "enrol/")
    learner_client.post(one.url + "done/")
    response = learner_client.get(three.url)
    assert response.status_code == 403
    assert "Bài 2" in response.content.decode() and "theo thứ tự" in response.content.decode()
    assert learner_client.post(three.url + "done/").status_code == 403
    assert not LessonProgress.objects.filter(lesson_key=three.translation_key).exists()
    learner_client.post(two.url + "done/")
    assert learner_client.get(three.url).status_code == 200


def test_course_completes_once_and_announces_it_once(learner_client, people, completions):
    course = make_course(lessons=2)
    for lesson in lessons_of(course):
        learner_client.post(lesson.url + "done/")
    learner_client.post(lessons_of(course)[-1].url + "done/")
    assert completions == [(people["lan"].pk, course.pk)]
    assert Enrollment.objects.get().completed_at is not None


def test_vietnamese_and_english_share_progress(learner_client):
    course = make_course(lessons=2)
    english = Locale.objects.create(language_code="en")
    home_en = course.get_parent().get_parent().copy_for_translation(english)
    home_en.save_revision().publish()
    index_en = course.get_parent().copy_for_translation(english)
    index_en.save_revision().publish()
    course_en = course.copy_for_translation(english)
    course_en.save_revision().publish()
    lesson_vi = lessons_of(course)[0]
    lesson_en = lesson_vi.copy_for_translation(english)
    lesson_en.save_revision().publish()

    learner_client.post(lesson_en.url + "done/")  # done in English
    outline = learner_client.get(course.url).context["outline"]  # seen in Vietnamese
    assert outline.lessons[0].done
    assert Enrollment.objects.count() == 1


def test_unknown_or_unpublished_course_is_404(client, places):
    course = make_course(lessons=1)
    course.unpublish()
    assert client.get(course.url or "/courses/course-1/").status_code == 404
    assert client.get("/courses/khong-co/").status_code == 404


def test_post_without_csrf_is_refused(people, places):
    course = make_course(lessons=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["lan"])
    assert client.post(course.url + "enrol/").status_code == 403
    assert not Enrollment.objects.exists()


def test_reopening_a_lesson_writes_at_most_every_ten_minutes(learner_client):
    from datetime import timedelta

    from django.utils import timezone

    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    learner_client.post(course.url + "enrol/")
    learner_client.get(lesson.url)
    progress = LessonProgress.objects.get()
    first = progress.last_opened_at
    learner_client.get(lesson.url)
    progress.refresh_from_db()
    assert progress.last_opened_at == first
    LessonProgress.objects.update(last_opened_at=first - timedelta(minutes=11))
    learner_client.get(lesson.url)
    progress.refresh_from_db()
    assert progress.last_opened_at > first - timedelta(minutes=1)
    assert progress.last_opened_at <= timezone.now()


def test_lesson_counts_count_only_this_learners_finished_published_lessons_of_this_course(people):
    from courses import services
    from courses.selectors import lesson_counts

    lan, mai = people["lan"], people["mai"]
    course, other = make_course(lessons=3), make_course(lessons=1)
    first, second, third = lessons_of(course)
    third.unpublish()
    assert lesson_counts(learner=lan, course_path=course.path) == (0, 2)
    services.complete_lesson(learner=lan, lesson=first)
    services.complete_lesson(learner=lan, lesson=lessons_of(other)[0])  # another course
    for lesson in (first, second):
        services.complete_lesson(learner=mai, lesson=lesson)  # another learner
    LessonProgress.objects.create(learner=lan, lesson_key=second.translation_key, course_key=course.translation_key)
    assert lesson_counts(learner=lan, course_path=course.path) == (1, 2)  # opened is not finished
    assert lesson_counts(learner=mai, course_path=course.path) == (2, 2)
