"""Wagtail admin for quizzes: question statistics, reached from each quiz's buttons and the Reports menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from .admin_views import QuizResultsIndexView, QuizStatisticsView
from .models import QuizPage

admin_urls = [
    path("", QuizResultsIndexView.as_view(), name="index"),
    path("<int:page_id>/statistics/", QuizStatisticsView.as_view(), name="statistics"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("quiz-results/", include((admin_urls, "quizzes_admin"), namespace="quizzes_admin"))]


def _statistics_button(page, user, priority):
    if page.specific_class is QuizPage and page.permissions_for_user(user).can_edit():
        yield Button(_("Question statistics"), reverse("quizzes_admin:statistics", args=[page.pk]),
                     icon_name="table", priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name=None, next_url=None):
    yield from _statistics_button(page, user, priority=68)


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    yield from _statistics_button(page, user, priority=55)


@hooks.register("register_reports_menu_item")
def register_quiz_results_menu_item():
    return MenuItem(_("Quiz results"), reverse("quizzes_admin:index"), icon_name="table", order=900)
