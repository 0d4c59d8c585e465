"""Thin views for residents: a quiz's rules and Start, the attempt form, handing it in, the result.

Plain HTML forms only (radio buttons and check boxes), so a quiz works on any phone, with or without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import selectors, services


def _course_of(quiz):
    return quiz.get_parent().specific


def _url(quiz, name: str, request, **kwargs) -> str:
    return quiz.get_url(request) + quiz.reverse_subpage(name, kwargs=kwargs)


def _problem_messages() -> dict[str, str]:
    return {
        "missing_answer": _("Please choose an answer."),
        "one_answer_only": _("Please choose only one answer."),
    }


def quiz_home(request, *, quiz, refusal: services.QuizError | None = None, status: int = 200):
    standing = selectors.standing(quiz=quiz, learner=request.user)
    context = quiz.get_context(request)
    context.update({
        "course": _course_of(quiz), "standing": standing, "refusal": refusal,
        "not_now": services.refusal_for(standing) if refusal is None else None,
        "question_count": quiz.draw_count or len(quiz.questions),
        "open_attempt_url": (_url(quiz, "attempt", request, attempt_id=standing.open_attempt_id)
                             if standing.open_attempt_id else None),
    })
    return TemplateResponse(request, quiz.get_template(request), context, status=status)


def start(request, *, quiz):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(quiz.get_url(request))
    try:
        attempt, __ = services.start_attempt(learner=request.user, quiz=quiz)
    except services.QuizError as refusal:
        response = quiz_home(request, quiz=quiz, refusal=refusal, status=refusal.status)
        if isinstance(refusal, services.MustWait):
            response["Retry-After"] = str(refusal.details["minutes"] * 60)
        return response
    return redirect(_url(quiz, "attempt", request, attempt_id=attempt.pk))


def _own_attempt(request, quiz, attempt_id):
    attempt = selectors.attempt_of(learner=request.user, attempt_id=attempt_id, quiz=quiz)
    if attempt is None:
        raise Http404("no such attempt")  # someone else's attempt is not there for you
    return attempt


def attempt(request, *, quiz, attempt_id):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = _own_attempt(request, quiz, attempt_id)
    result_url = _url(quiz, "result", request, attempt_id=attempt.pk)
    chosen, errors, refusal, status = {}, {}, None, 200
    if request.method == "POST":
        chosen = {question_id: request.POST.getlist(f"q-{question_id}") for question_id in attempt.question_ids}
        try:
            submission = services.submit_attempt(learner=request.user, attempt_id=attempt.pk, answers=chosen)
        except services.AttemptClosed as closed:
            context = {"page": quiz, "course": _course_of(quiz), "result_url": result_url, "refusal": closed}
            return TemplateResponse(request, "quizzes/attempt_closed.html", context, status=closed.status)
        except services.AnswersRefused as refused:
            refusal, status = refused, refused.status
            texts = _problem_messages()
            fallback = _("This answer could not be accepted. Please choose again.")
            for problem in refused.invalid.problems:
                errors.setdefault(problem.question_id, set()).add(texts.get(problem.code, fallback))
        else:
            if submission.course_completed:
                messages.success(request, _("Congratulations! You passed the final test and finished the course "
                                            "“%(course)s”.") % {"course": _course_of(quiz).title})
            return redirect(result_url)
    elif not attempt.is_open:
        return redirect(result_url)
    questions = selectors.attempt_questions(attempt, reveal=False, chosen=chosen)
    for question in questions:
        question.errors = sorted(errors.get(question.id, ()))
    context = quiz.get_context(request)
    context.update({
        "course": _course_of(quiz), "attempt": attempt, "questions": questions, "refusal": refusal,
        "action": _url(quiz, "attempt", request, attempt_id=attempt.pk),
    })
    return TemplateResponse(request, "quizzes/attempt.html", context, status=status)


def result(request, *, quiz, attempt_id):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = _own_attempt(request, quiz, attempt_id)
    if attempt.is_open:
        return redirect(_url(quiz, "attempt", request, attempt_id=attempt.pk))
    questions = selectors.attempt_questions(attempt, reveal=True)
    standing = selectors.standing(quiz=quiz, learner=request.user)
    context = quiz.get_context(request)
    context.update({
        "course": _course_of(quiz), "attempt": attempt, "questions": questions,
        "right": sum(bool(question.is_correct) for question in questions),
        "standing": standing, "not_now": services.refusal_for(standing),
        "start_url": _url(quiz, "start", request),
    })
    return TemplateResponse(request, "quizzes/result.html", context)
