"""Editors create a course and its lessons through the Wagtail admin."""

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.services import ensure_catalogue
from quizzes.models import QuizPage


class CourseAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.catalogue = ensure_catalogue()

    def setUp(self):
        self.login()

    def test_page_tree_rules(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_create_course_then_lesson_with_blocks(self):
        self.assertCanCreate(self.catalogue, CoursePage, nested_form_data({
            "title": "Thanh toán không tiền mặt",
            "slug": "thanh-toan",
            "summary": "Chuyển khoản, quét mã QR an toàn.",
            "estimated_minutes": 20,
            "sequential": True,
        }))
        course = CoursePage.objects.get(slug="thanh-toan")
        self.assertTrue(course.sequential)
        self.assertCanCreate(course, LessonPage, nested_form_data({
            "title": "Quét mã QR để trả tiền",
            "slug": "quet-ma-qr",
            "summary": "Ba bước đơn giản.",
            "estimated_minutes": 5,
            "body": streamfield([
                ("paragraph", rich_text("<p>Mã QR là một hình vuông gồm nhiều ô nhỏ.</p>")),
                ("callout", {"kind": "warning", "text": rich_text("<p>Kiểm tra tên người nhận.</p>")}),
                ("checklist", {"title": "Tự thực hành", "items": {
                    "count": 1, "0": {"value": "Mở ứng dụng ngân hàng", "deleted": "", "order": 0},
                }}),
            ]),
        }))
        lesson = LessonPage.objects.get(slug="quet-ma-qr")
        self.assertEqual([block.block_type for block in lesson.body], ["paragraph", "callout", "checklist"])
        self.assertPageIsRenderable(lesson)
