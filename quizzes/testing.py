"""Builders for quizzes in tests and benchmarks: a published quiz from plain question specs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.files.images import ImageFile
from PIL import Image as PILImage

from .grading import IMAGE, MULTIPLE, SINGLE, TRUE_FALSE
from .models import QuizPage


@dataclass
class Q:
    """A question: its kind, text, and answers as (text, right?) pairs."""

    kind: str
    prompt: str
    choices: list[tuple[str, bool]]
    explanation: str = ""
    images: list = field(default_factory=list)  # one Wagtail image per answer, for picture questions


def small_image(title: str, colour: str = "#1a5fb4"):
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def sample_questions(*, with_images: bool = True) -> list[Q]:
    questions = [
        Q(SINGLE, "Ai được biết mã OTP của bạn?", [("Chỉ mình bạn", True), ("Nhân viên ngân hàng", False),
                                                  ("Công an gọi điện", False)], "Mã OTP chỉ dành cho bạn."),
        Q(MULTIPLE, "Dấu hiệu nào là lừa đảo?", [("Đòi chuyển tiền gấp", True), ("Gửi đường link lạ", True),
                                                ("Chào hỏi lịch sự", False)], "Gấp gáp và đường link lạ."),
        Q(TRUE_FALSE, "Công an có thể làm việc qua điện thoại và yêu cầu chuyển tiền.",
          [("Đúng", False), ("Sai", True)], "Công an không bao giờ yêu cầu chuyển tiền qua điện thoại."),
    ]
    if with_images:
        questions.append(Q(IMAGE, "Hình nào là ổ khóa?", [("Ổ khóa", True), ("Cái ô", False)], "Ổ khóa màu xanh.",
                           images=[small_image("o-khoa"), small_image("cai-o", "#b3261e")]))
    return questions


def question_value(question: Q) -> dict:
    images = question.images or [None] * len(question.choices)
    return {
        "kind": question.kind, "prompt": question.prompt, "image": None, "image_alt": "",
        "explanation": question.explanation, "competence": None,
        "choices": [{"text": text, "is_correct": right, "image": image.pk if image else None}
                    for (text, right), image in zip(question.choices, images, strict=True)],
    }


def make_quiz(course, *, title: str = "Bài kiểm tra", slug: str | None = None, questions: list[Q] | None = None,
              **rules) -> QuizPage:
    """A published quiz under `course`; `rules` are QuizPage fields (is_final, pass_mark, max_attempts, ...)."""
    questions = sample_questions() if questions is None else questions
    rules.setdefault("shuffle_choices", False)
    quiz = QuizPage(
        title=title, slug=slug or f"quiz-{QuizPage.objects.count() + 1}",
        questions=[{"type": "question", "value": question_value(question)} for question in questions], **rules,
    )
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def right_answers(quiz: QuizPage) -> dict[str, list[str]]:
    """Every question's right answer ids: what a learner who knows everything sends."""
    return {key.id: sorted(key.correct) for key in quiz.question_keys()}


def wrong_answers(quiz: QuizPage) -> dict[str, list[str]]:
    """One wrong answer for each question."""
    return {key.id: [next(choice for choice in key.choices if choice not in key.correct)]
            for key in quiz.question_keys()}
