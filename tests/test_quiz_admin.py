"""Editors write quizzes in the Wagtail admin; questions keep their ids; statistics show how they are answered."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail.users.models import UserProfile

from courses.models import CoursePage, LessonPage
from quizzes.blocks import QuestionBlock
from quizzes.grading import IMAGE, MULTIPLE, SINGLE, TRUE_FALSE
from quizzes.models import QuizPage
from quizzes.services import start_attempt, submit_attempt
from quizzes.testing import make_quiz, right_answers, small_image, wrong_answers
from tests.conftest import make_user
from tests.courses_factory import make_course

RULES = {"is_final": True, "pass_mark": 80, "draw_count": 0, "shuffle_choices": True, "max_attempts": 3,
         "wait_minutes": 10, "feedback": "each"}


def choices_form(*choices, ids=None):
    """ListBlock form data: (text, right) pairs, optionally with the ids the admin sends back."""
    data = {"count": len(choices)}
    for index, (text, right) in enumerate(choices):
        value = {"text": text, "image": ""}
        if right:
            value["is_correct"] = "on"
        data[str(index)] = {"value": value, "deleted": "", "order": index, "id": (ids or {}).get(index, "")}
    return data


def question_form(prompt, kind=SINGLE, choices=(("Có", True), ("Không", False)), choice_ids=None):
    return {"kind": kind, "prompt": prompt, "image": "", "image_alt": "", "explanation": "Vì vậy.",
            "competence": "", "choices": choices_form(*choices, ids=choice_ids)}


class QuizAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = make_course(lessons=1)

    def setUp(self):
        self.user = self.login()

    def test_page_tree_rules(self):
        self.assertAllowedParentPageTypes(QuizPage, {CoursePage})
        self.assertAllowedSubpageTypes(QuizPage, set())
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizPage})

    def create(self, questions, **rules):
        data = nested_form_data({"title": "Kiểm tra cuối khóa", "slug": "kiem-tra", "intro": "Tám câu hỏi.",
                                 **{**RULES, **rules}, "questions": streamfield(questions)})
        self.assertCanCreate(self.course, QuizPage, data)
        return QuizPage.objects.get(slug="kiem-tra")

    def test_create_a_quiz_then_edit_it_and_the_ids_stay(self):
        quiz = self.create([
            ("question", question_form("Có nên đưa mã OTP cho người lạ?", choices=(("Có", False), ("Không", True)))),
            ("question", question_form("Dấu hiệu lừa đảo?", kind=MULTIPLE,
                                       choices=(("Gấp gáp", True), ("Link lạ", True), ("Lịch sự", False)))),
        ])
        self.assertTrue(quiz.is_final and quiz.live)
        self.assertEqual([child.block_type for child in quiz.questions], ["question", "question"])
        before = quiz.questions.get_prep_value()
        question_ids = [item["id"] for item in before]
        choice_ids = [[choice["id"] for choice in item["value"]["choices"]] for item in before]
        self.assertTrue(all(len(question_id) == 36 for question_id in question_ids))

        # Edit as the admin form does: it sends every block's id back. Reorder the questions, reword one.
        second = question_form("Những dấu hiệu nào cho thấy lừa đảo?", kind=MULTIPLE,
                               choices=(("Gấp gáp", True), ("Link lạ", True), ("Lịch sự", False)),
                               choice_ids=dict(enumerate(choice_ids[1])))
        first = question_form("Có nên đưa mã OTP cho người lạ?", choices=(("Có", False), ("Không", True)),
                              choice_ids=dict(enumerate(choice_ids[0])))
        stream = streamfield([("question", second), ("question", first)])
        stream["0"]["id"], stream["1"]["id"] = question_ids[1], question_ids[0]
        data = nested_form_data({"title": quiz.title, "slug": quiz.slug, "intro": quiz.intro, **RULES,
                                 "questions": stream, "action-publish": "action-publish"})
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[quiz.pk]), data)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        quiz.refresh_from_db()
        after = quiz.questions.get_prep_value()
        self.assertEqual([item["id"] for item in after], [question_ids[1], question_ids[0]])
        self.assertEqual([[choice["id"] for choice in item["value"]["choices"]] for item in after],
                         [choice_ids[1], choice_ids[0]])
        self.assertEqual(after[0]["value"]["prompt"], "Những dấu hiệu nào cho thấy lừa đảo?")
        # Every revision keeps the same ids, so attempts and statistics made before the edit still match.
        for revision in quiz.revisions.all():
            self.assertEqual({item["id"] for item in revision.as_object().questions.get_prep_value()},
                             set(question_ids))
        self.assertPageIsRenderable(quiz)

    def test_an_invalid_question_is_not_saved(self):
        data = nested_form_data({"title": "Sai", "slug": "sai", "intro": "", **RULES, "questions": streamfield([
            ("question", question_form("Hai đáp án đúng?", choices=(("A", True), ("B", True)))),
        ])})
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", self.course.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(QuizPage.objects.filter(slug="sai").exists())

    def test_draw_count_cannot_exceed_the_questions(self):
        data = nested_form_data({"title": "Rút", "slug": "rut", "intro": "", **{**RULES, "draw_count": 5},
                                 "questions": streamfield([("question", question_form("Một câu"))])})
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", self.course.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(QuizPage.objects.filter(slug="rut").exists())

    def test_admin_help_says_there_is_no_partial_credit(self):
        profile = UserProfile.get_for_user(self.user)
        profile.preferred_language = "en"
        profile.save()
        response = self.client.get(reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", self.course.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("NO partial credit", response.content.decode())
        with translation.override("en"):
            self.assertIn("NO partial credit", str(QuestionBlock().child_blocks["kind"].field.help_text))


# ------------------------------------------------------------------------------------------ block validation

def codes(error: StructBlockValidationError) -> set[str]:
    found = {item.code for item in error.non_block_errors.as_data()}
    for child in error.block_errors.values():
        if isinstance(child, StructBlockValidationError):
            found |= codes(child)
        elif hasattr(child, "block_errors"):  # a ListBlock's errors, per answer
            for item in child.block_errors.values():
                found |= codes(item)
        else:
            found.add(child.code)
    return found


def question(kind, choices, **extra):
    block = QuestionBlock()
    raw = {"kind": kind, "prompt": "Câu hỏi", "image": None, "image_alt": "", "explanation": "", "competence": None,
           "choices": [{"text": text, "is_correct": right, "image": image} for text, right, image in choices], **extra}
    return block, block.to_python(raw)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "choices", "expected"), [
    (SINGLE, [("A", True, None), ("B", True, None)], {"one_right_answer"}),
    (SINGLE, [("A", False, None), ("B", False, None)], {"one_right_answer"}),
    (MULTIPLE, [("A", False, None), ("B", False, None)], {"no_right_answer"}),
    (TRUE_FALSE, [("Đúng", True, None), ("Sai", False, None), ("Không biết", False, None)],
     {"true_false_two_answers"}),
    (IMAGE, [("A", True, None), ("B", False, None)], {"answer_needs_picture"}),
])
def test_question_block_refuses_with_a_clear_code(kind, choices, expected):
    block, value = question(kind, choices)
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert codes(refused.value) == expected


@pytest.mark.django_db
def test_question_block_accepts_good_questions_and_asks_for_picture_text():
    picture = small_image("anh")
    for kind, choices in [
        (SINGLE, [("A", True, None), ("B", False, None)]),
        (MULTIPLE, [("A", True, None), ("B", True, None), ("C", False, None)]),
        (TRUE_FALSE, [("Đúng", False, None), ("Sai", True, None)]),
        (IMAGE, [("A", True, picture.pk), ("B", False, picture.pk)]),
    ]:
        block, value = question(kind, choices)
        block.clean(value)
    block, value = question(SINGLE, [("A", True, None), ("B", False, None)], image=picture.pk)
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert codes(refused.value) == {"image_needs_description"}


# ------------------------------------------------------------------------------------------------ statistics

@pytest.mark.django_db
def test_statistics_count_answers_and_learners(people):
    course = make_course(lessons=1)
    quiz = make_quiz(course)
    keys = quiz.question_keys()
    right, wrong = right_answers(quiz), wrong_answers(quiz)
    for person, answers in [("lan", right), ("mai", wrong), ("hoa", right), ("lan", wrong)]:
        attempt, __ = start_attempt(learner=people[person], quiz=quiz)
        submit_attempt(learner=people[person], attempt_id=attempt.pk, answers=answers)

    admin = make_user(username="editor", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("quizzes_admin:statistics", args=[quiz.pk]))
    assert response.status_code == 200
    stats = response.context["stats"]
    assert (stats.attempts, stats.learners, stats.learners_passed) == (4, 3, 2)
    first = stats.questions[0]
    assert (first.answered, first.right, first.learners, first.percent_right) == (4, 2, 3, 50)
    by_id = {choice.id: choice for choice in first.choices}
    right_choice = by_id[right[keys[0].id][0]]
    wrong_choice = by_id[wrong[keys[0].id][0]]
    assert (right_choice.chosen, right_choice.learners, right_choice.is_correct) == (2, 2, True)
    assert (wrong_choice.chosen, wrong_choice.learners, wrong_choice.is_correct) == (2, 2, False)
    assert sum(choice.chosen for choice in first.choices) == 4
    multiple = stats.questions[1]  # two right answers ticked by each right attempt
    assert sum(choice.chosen for choice in multiple.choices) == 2 * 2 + 2 * 1

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))
    assert reverse("quizzes_admin:statistics", args=[quiz.pk]) in edit.content.decode()
    index = client.get(reverse("quizzes_admin:index"))
    assert index.status_code == 200 and index.context["rows"][0][1]["attempts"] == 4


@pytest.mark.django_db
def test_statistics_are_for_editors_only(people):
    quiz = make_quiz(make_course(lessons=1))
    client = Client()
    client.force_login(people["lan"])
    response = client.get(reverse("quizzes_admin:statistics", args=[quiz.pk]))
    assert response.status_code in (302, 403)
    assert "stats" not in (response.context or {})
    assert Page.objects.filter(pk=quiz.pk).exists()
