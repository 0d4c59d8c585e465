"""Template tags that show quizzes on other apps' pages (a course lists its quizzes under its lessons)."""

from django import template
from django.contrib.auth.models import AnonymousUser

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def course_quizzes(context, course) -> dict:
    """The course's published quizzes with the visitor's best score; `final_pending` when a final test is
    still to pass."""
    request = context.get("request")
    learner = getattr(request, "user", None) or AnonymousUser()
    items = selectors.course_quizzes(course=course, learner=learner)
    return {"items": items, "final_pending": any(item.quiz.is_final and not item.passed for item in items)}
