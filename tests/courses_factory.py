"""Build small courses for tests: a catalogue, a course and its lessons, published."""

from courses.models import CoursePage, LessonPage
from courses.services import ensure_catalogue


def make_course(title="Phòng tránh lừa đảo", *, lessons=3, sequential=False, slug=None) -> CoursePage:
    index = ensure_catalogue()
    course = CoursePage(title=title, slug=slug or f"course-{CoursePage.objects.count() + 1}",
                        summary="Tóm tắt", sequential=sequential)
    index.add_child(instance=course)
    course.save_revision().publish()
    for number in range(1, lessons + 1):
        lesson = LessonPage(
            title=f"Bài {number}", slug=f"bai-{number}",
            body=[{"type": "paragraph", "value": f"<p>Nội dung bài {number}</p>"},
                  {"type": "callout", "value": {"kind": "warning", "text": "<p>Không đưa mã OTP cho ai.</p>"}}],
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))
