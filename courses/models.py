"""Courses and lessons (Wagtail pages), competence tags, and each learner's progress through them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import LessonBodyBlock


class FrameworkEntry(models.Model):
    """An entry of a competence framework, kept as editable data: a code and its name in both languages."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CompetenceDomain(FrameworkEntry):
    """A domain of the digital competence framework (Circular 02/2025/TT-BGDĐT)."""

    class Meta(FrameworkEntry.Meta):
        verbose_name = _("competence domain")
        verbose_name_plural = _("competence domains")


class DigitalSkill(FrameworkEntry):
    """A basic digital skill of the framework of Decision 757/QĐ-BKHCN (e.g. 0.1 using devices)."""

    class Meta(FrameworkEntry.Meta):
        verbose_name = _("basic digital skill")
        verbose_name_plural = _("basic digital skills")


class TaggedPage(Page):
    """What courses and lessons share: a summary, a time estimate and competence tags."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    domains = ParentalManyToManyField(CompetenceDomain, blank=True, verbose_name=_("competence domains"))
    skills = ParentalManyToManyField(DigitalSkill, blank=True, verbose_name=_("basic digital skills"))

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    tag_panels = [MultiFieldPanel([FieldPanel("domains"), FieldPanel("skills")], heading=_("Competences"))]

    class Meta:
        abstract = True


class CourseIndexPage(Page):
    """The catalogue at /courses/."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.catalogue(index=self, request=request))
        return context


class CoursePage(RoutablePageMixin, TaggedPage):
    cover = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cover image"),
    )
    sequential = models.BooleanField(
        _("lessons must be done in order"), default=False,
        help_text=_("A learner opens a lesson only after finishing the one before."),
    )

    content_panels = [
        *Page.content_panels, FieldPanel("summary"), FieldPanel("cover"),
        FieldPanel("estimated_minutes"), FieldPanel("sequential"), *TaggedPage.tag_panels,
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = selectors.course_outline(course=self, learner=request.user)
        return context

    @path("enrol/", name="enrol")
    def enrol_view(self, request):
        from .views import enrol

        return enrol(request, course=self)


class LessonPage(RoutablePageMixin, TaggedPage):
    body = StreamField(LessonBodyBlock(), verbose_name=_("lesson"), blank=True)

    content_panels = [
        *Page.content_panels, FieldPanel("summary"), FieldPanel("estimated_minutes"),
        FieldPanel("body"), *TaggedPage.tag_panels,
    ]
    search_fields = [*TaggedPage.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @path("", name="read")
    def read_view(self, request):
        from .views import read_lesson

        return read_lesson(request, lesson=self)

    @path("done/", name="done")
    def done_view(self, request):
        from .views import complete_lesson

        return complete_lesson(request, lesson=self)


class Enrollment(models.Model):
    """A learner taking a course. Keyed by the course's translation key, so languages share it."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    learner_path = "learner"  # accounts/scoping.py
    course_key = models.UUIDField(_("course"), db_index=True)
    # The commune at enrolment: statistics never move when a learner moves.
    commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="enrollments", verbose_name=_("commune at enrolment"))
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["learner", "course_key"], name="one_enrollment_per_course")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.course_key}"


class LessonProgress(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    learner_path = "learner"  # accounts/scoping.py
    course_key = models.UUIDField(db_index=True)
    lesson_key = models.UUIDField()
    first_opened_at = models.DateTimeField(_("first opened at"), auto_now_add=True)
    last_opened_at = models.DateTimeField(_("last opened at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["learner", "lesson_key"], name="one_progress_per_lesson")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.lesson_key}"
