"""Thin views for learners: enrol, read a lesson, mark it done, and "my learning"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import selectors, services


def _require_post_and_login(request, *, page):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.get_url(request))
    return None


def enrol(request, *, course):
    refusal = _require_post_and_login(request, page=course)
    if refusal:
        return refusal
    __, created = services.enroll(learner=request.user, course=course)
    if created:
        messages.success(request, _("You are enrolled in “%(course)s”. Enjoy learning!") % {"course": course.title})
    outline = selectors.course_outline(course=course, learner=request.user)
    target = outline.next_state.lesson if outline.next_state else course
    return redirect(target.get_url(request))


def _locked_response(request, *, lesson, course, first):
    context = {"page": lesson, "course": course, "first": first}
    return render(request, "courses/lesson_locked.html", context, status=403)


def read_lesson(request, *, lesson):
    course = lesson.get_parent().specific
    outline = selectors.course_outline(course=course, learner=request.user)
    state = outline.state_of(lesson)
    if state is not None and state.locked:
        return _locked_response(request, lesson=lesson, course=course, first=state.locked_by)
    if outline.enrolled:
        services.record_opened(
            learner=request.user, lesson=lesson, course=course, opened_before=bool(state and state.opened)
        )
    previous, following = outline.neighbours(lesson)
    context = lesson.get_context(request)
    context.update({"course": course, "outline": outline, "state": state, "previous": previous, "next": following})
    return TemplateResponse(request, lesson.get_template(request), context)


def complete_lesson(request, *, lesson):
    refusal = _require_post_and_login(request, page=lesson)
    if refusal:
        return refusal
    course = lesson.get_parent().specific
    try:
        __, newly = services.complete_lesson(learner=request.user, lesson=lesson)
    except services.LessonLocked as locked:
        return _locked_response(request, lesson=lesson, course=course, first=locked.first)
    outline = selectors.course_outline(course=course, learner=request.user)
    if outline.completed and newly:
        messages.success(request, _("Congratulations! You have finished the course “%(course)s”.") % {
            "course": course.title})
        return redirect(course.get_url(request))
    if newly:
        messages.success(request, _("Lesson done: %(lesson)s.") % {"lesson": lesson.title})
    __, following = outline.neighbours(lesson)
    return redirect((following.lesson if following else course).get_url(request))


@login_required
def my_learning(request):
    courses = selectors.my_learning(learner=request.user, request=request)
    return render(request, "courses/my_learning.html", {"courses": courses})
