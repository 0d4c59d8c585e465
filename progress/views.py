"""The cohort report, the trainer's main screen: the overview, one course, one member, difficult questions, exports."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import selectors, services


def _report(request, pk: int, course_key=None) -> selectors.CohortReport:
    # Out of scope (another commune, or only a member of it) the cohort does not exist for the viewer.
    cohort = get_object_or_404(selectors.report_cohorts(request.user), pk=pk)
    return selectors.cohort_report(cohort=cohort, viewer=request.user, course_key=course_key)


@login_required
def cohort_report(request, pk: int):
    report = _report(request, pk)
    rows = report.summaries()
    return render(request, "progress/cohort_report.html", {
        "cohort": report.cohort, "report": report, "rows": rows, "counts": selectors.status_counts(rows),
        "learners_url": _learners_url(report.cohort),
    })


def _learners_url(cohort) -> str:
    """The start of each member's link (their id and a slash follow): reversed once, not once per row."""
    return reverse("progress:cohort_learner", args=[cohort.pk, 0]).removesuffix("0/")


@login_required
def cohort_course(request, pk: int, course_key):
    report = _report(request, pk, course_key=course_key)
    course = report.course(course_key)
    if course is None:
        raise Http404
    return render(request, "progress/cohort_course.html", {
        "cohort": report.cohort, "report": report, "course": course, "rows": report.course_rows(course),
        "quizzes": report.standings.quizzes[course.translation_key], "learners_url": _learners_url(report.cohort),
    })


@login_required
def cohort_learner(request, pk: int, learner_pk: int):
    report = _report(request, pk)
    learner = next((member for member in report.members if member.pk == learner_pk), None)
    if learner is None:
        raise Http404
    return render(request, "progress/cohort_learner.html", {
        "cohort": report.cohort, "report": report, "learner": learner, "overall": report.standings.overall(learner),
    })


@login_required
def difficult_questions(request, pk: int):
    report = _report(request, pk)
    return render(request, "progress/difficult_questions.html", {
        "cohort": report.cohort, "report": report, "quizzes": selectors.difficult_questions(report=report),
        "below": settings.DIFFICULT_QUESTION_BELOW,
    })


def _export(request, pk: int, kind: str) -> HttpResponse:
    export = services.export_report(report=_report(request, pk), kind=kind, actor=request.user)
    response = HttpResponse(export.body, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
def cohort_report_xlsx(request, pk: int):
    return _export(request, pk, "xlsx")


@login_required
def cohort_report_csv(request, pk: int):
    return _export(request, pk, "csv")
