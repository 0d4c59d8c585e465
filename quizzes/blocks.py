"""The question block a quiz is written with, and the checks that keep every question answerable."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .grading import IMAGE, MULTIPLE, SINGLE, TRUE_FALSE

KIND_CHOICES = [
    (SINGLE, _("One right answer")),
    (MULTIPLE, _("Several right answers (tick all)")),
    (TRUE_FALSE, _("True or false")),
    (IMAGE, _("Choose the right picture")),
]


class AnswerChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(
        label=_("answer"), max_length=250,
        help_text=_("Short and plain. For a picture answer, say what the picture shows: it is read aloud."),
    )
    image = ImageChooserBlock(label=_("picture"), required=False)
    is_correct = blocks.BooleanBlock(label=_("this answer is right"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Answer")


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind of question"), choices=KIND_CHOICES, default=SINGLE,
        help_text=_(
            "Several right answers: there is NO partial credit. The question counts as right only when the "
            "learner ticks exactly the right answers, all of them and nothing else."
        ),
    )
    prompt = blocks.TextBlock(label=_("question"), max_length=500)
    image = ImageChooserBlock(label=_("picture for the question"), required=False)
    image_alt = blocks.CharBlock(
        label=_("picture description"), required=False, max_length=250,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    choices = blocks.ListBlock(AnswerChoiceBlock(), label=_("answers"), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        label=_("explanation"), required=False, max_length=1000,
        help_text=_("Shown after the learner hands in the quiz: why the right answer is right."),
    )
    competence = SnippetChooserBlock("courses.CompetenceDomain", label=_("competence domain"), required=False)

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        kind = value.get("kind")
        choices = list(value.get("choices") or [])
        right = sum(bool(choice.get("is_correct")) for choice in choices)
        problems = []
        if kind in (SINGLE, TRUE_FALSE, IMAGE) and right != 1:
            problems.append(ValidationError(
                _("Mark exactly one answer as right (now %(count)s are marked).") % {"count": right},
                code="one_right_answer",
            ))
        if kind == MULTIPLE and right < 1:
            problems.append(ValidationError(_("Mark at least one answer as right."), code="no_right_answer"))
        if kind == TRUE_FALSE and len(choices) != 2:
            problems.append(ValidationError(
                _("A true-or-false question has exactly two answers, for example “True” and “False”."),
                code="true_false_two_answers",
            ))
        block_errors = {}
        if value.get("image") and not (value.get("image_alt") or "").strip():
            block_errors["image_alt"] = ValidationError(
                _("Describe the picture for people who cannot see it."), code="image_needs_description"
            )
        if kind == IMAGE:
            missing = {
                index: blocks.StructBlockValidationError(block_errors={"image": ValidationError(
                    _("Every answer of a picture question needs a picture."), code="answer_needs_picture",
                )})
                for index, choice in enumerate(choices) if not choice.get("image")
            }
            if missing:
                block_errors["choices"] = ListBlockValidationError(block_errors=missing)
        if problems or block_errors:
            raise blocks.StructBlockValidationError(block_errors=block_errors or None, non_block_errors=problems)
        return value


class QuizQuestionsBlock(blocks.StreamBlock):
    question = QuestionBlock()

    class Meta:
        min_num = 1
