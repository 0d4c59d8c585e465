"""Wagtail admin views for editors: how each quiz's questions are answered."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors
from .models import QuizAttempt, QuizPage


class QuizStatisticsView(WagtailAdminTemplateMixin, TemplateView):
    """Per question: how often it is answered right and how many learners chose each answer."""

    template_name = "quizzes/admin/statistics.html"
    page_title = _("Question statistics")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.quiz = get_object_or_404(QuizPage, pk=kwargs["page_id"])
        if not self.quiz.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.quiz.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("quizzes_admin:index"), "label": _("Quiz results")},
            {"url": reverse("wagtailadmin_pages:edit", args=[self.quiz.pk]), "label": self.quiz.title},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"quiz": self.quiz, "stats": selectors.question_statistics(quiz=self.quiz)})
        return context


class QuizResultsIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Every quiz the editor may edit, with attempts and passes, linking to its question statistics."""

    template_name = "quizzes/admin/index.html"
    page_title = _("Quiz results")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quizzes = [quiz for quiz in QuizPage.objects.order_by("path").defer("questions").select_related("locale")
                   if quiz.permissions_for_user(self.request.user).can_edit()]
        counts = {
            row["quiz_key"]: row for row in QuizAttempt.objects.filter(
                quiz_key__in=[quiz.translation_key for quiz in quizzes], submitted_at__isnull=False,
            ).values("quiz_key").annotate(
                attempts=Count("id"), learners=Count("learner", distinct=True),
                passed=Count("learner", filter=Q(passed=True), distinct=True),
            )
        }
        context["rows"] = [(quiz, counts.get(quiz.translation_key, {})) for quiz in quizzes]
        return context
