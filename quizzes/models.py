"""Quizzes (Wagtail pages under a course) and the facts of taking them: attempts and their answers."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import QuizQuestionsBlock
from .grading import QuestionKey, question_keys


class QuizPage(RoutablePageMixin, Page):
    FEEDBACK_EACH = "each"
    FEEDBACK_END = "end"
    FEEDBACK_CHOICES = [
        (FEEDBACK_EACH, _("After each question")),
        (FEEDBACK_END, _("At the end")),
    ]

    intro = models.TextField(_("introduction"), blank=True, max_length=1000)
    is_final = models.BooleanField(
        _("the course's final test"), default=False,
        help_text=_("Learners finish the course only after passing its final test."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MaxValueValidator(100)],
        help_text=_("The lowest score, out of 100, that passes."),
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=0,
        help_text=_("0 asks every question. Another number asks that many, drawn at random for each attempt."),
    )
    shuffle_choices = models.BooleanField(
        _("shuffle the answers"), default=True,
        help_text=_("Show the answers in a different order in each attempt (true-or-false keeps its order)."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means as many as the learner wants."),
    )
    wait_minutes = models.PositiveIntegerField(
        _("minutes to wait between attempts"), default=0, validators=[MaxValueValidator(60 * 24 * 30)],
    )
    feedback = models.CharField(
        _("when to show the explanations"), max_length=10, choices=FEEDBACK_CHOICES, default=FEEDBACK_EACH,
        help_text=_(
            "Learners answer every question on one page and see the right answers only after handing it in. "
            "“After each question” shows each explanation right under that question's answer; “At the end” "
            "shows the score first and all explanations together below it."
        ),
    )
    questions = StreamField(QuizQuestionsBlock(), verbose_name=_("questions"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("questions"),
    ]
    settings_panels = [
        MultiFieldPanel([
            FieldPanel("is_final"),
            FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("draw_count")]),
            FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("wait_minutes")]),
            FieldPanel("shuffle_choices"),
            FieldPanel("feedback"),
        ], heading=_("Rules of the quiz")),
        *Page.settings_panels,
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    template = "quizzes/quiz_page.html"

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        count = len(self.questions or [])
        if self.draw_count and self.draw_count > count:
            raise ValidationError({"draw_count": ValidationError(
                _("There are only %(count)s questions: ask at most that many, or 0 for all.") % {"count": count},
                code="draw_count_too_high",
            )})

    def save(self, *args, **kwargs):
        # Build every question once so each question and each answer gets its permanent id (UUID) now,
        # even when the content came in as plain data (demo content, imports).
        list(self.questions)
        return super().save(*args, **kwargs)

    def question_keys(self) -> list[QuestionKey]:
        return question_keys(self.questions.get_prep_value())

    @path("", name="index")
    def index_view(self, request):
        from .views import quiz_home

        return quiz_home(request, quiz=self)

    @path("start/", name="start")
    def start_view(self, request):
        from .views import start

        return start(request, quiz=self)

    @path("attempt/<uuid:attempt_id>/", name="attempt")
    def attempt_view(self, request, attempt_id):
        from .views import attempt

        return attempt(request, quiz=self, attempt_id=attempt_id)

    @path("attempt/<uuid:attempt_id>/result/", name="result")
    def result_view(self, request, attempt_id):
        from .views import result

        return result(request, quiz=self, attempt_id=attempt_id)


class QuizAttempt(models.Model):
    """One go at a quiz: created at Start, closed once at submission. Never edited after that."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts",
                                verbose_name=_("learner"))
    learner_path = "learner"  # accounts/scoping.py
    # The page in the language it was taken in; the key is shared by all languages (limits, completion).
    quiz = models.ForeignKey(QuizPage, on_delete=models.SET_NULL, null=True, related_name="attempts",
                             verbose_name=_("quiz"))
    quiz_key = models.UUIDField(_("quiz"), db_index=True)
    # What the learner saw, for showing the questions again; grading uses answer_key below.
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    seed = models.BigIntegerField(_("random seed"))
    question_ids = models.JSONField(_("questions drawn"), default=list)
    choice_order = models.JSONField(_("order of the answers"), default=dict)
    # Per drawn question: its kind and right answers, frozen at start so a later edit never changes a grade.
    answer_key = models.JSONField(default=dict)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("handed in at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["learner", "quiz_key"], name="quizattempt_learner_quiz")]
        constraints = [
            # At most one attempt in progress per learner and quiz: a double tap on Start resumes it.
            models.UniqueConstraint(fields=["learner", "quiz_key"], condition=Q(submitted_at__isnull=True),
                                    name="one_open_attempt_per_quiz"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="score_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.quiz_key} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    def keys(self) -> list[QuestionKey]:
        return [
            QuestionKey(id=question_id, kind=self.answer_key[question_id]["kind"],
                        choices=tuple(self.choice_order[question_id]),
                        correct=frozenset(self.answer_key[question_id]["correct"]))
            for question_id in self.question_ids
        ]


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    learner_path = "attempt__learner"  # accounts/scoping.py
    question_id = models.CharField(_("question"), max_length=64)
    choice_ids = models.JSONField(_("chosen answers"), default=list)
    is_correct = models.BooleanField(_("right"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_id"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.question_id}"
