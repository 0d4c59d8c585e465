"""Pages of class sessions: the cohort's sessions, the attendance sheet, the class QR code, check-in, the report."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cohorts.services import CohortArchived

from . import exports, selectors, services, tokens
from .forms import SessionForm, SheetForm, field_name
from .models import Attendance

SCANS = "attendance_scans"  # the session key of codes scanned before logging in: token → when


def _cohort(request, pk: int):
    """Readers see the page; only its commune's trainers may change anything (others: 404, as if it did not exist)."""
    rows = selectors.managed_cohorts if request.method == "POST" else selectors.readable_cohorts
    return get_object_or_404(rows(request.user).select_related("commune"), pk=pk)


def _session(request, pk: int, *, change: bool):
    rows = selectors.managed_sessions if change else selectors.readable_sessions
    return get_object_or_404(rows(request.user).select_related("cohort__commune"), pk=pk)


def _can_change(request, cohort) -> bool:
    return selectors.managed_cohorts(request.user).filter(pk=cohort.pk).exists()


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request, pk: int):
    cohort = _cohort(request, pk)
    can_change = _can_change(request, cohort)
    lessons = selectors.lesson_choices(cohort) if can_change else []
    form = SessionForm(request.POST if request.method == "POST" else None, lessons=lessons,
                       initial={"date": timezone.localdate(), "place": cohort.place})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.add_session(cohort=cohort, date=data["date"], starts_at=data["starts_at"],
                                           topic=data["topic"], lesson_key=data["lesson"], place=data["place"],
                                           created_by=request.user)
        except CohortArchived:  # archived since the page was opened
            return render(request, "cohorts/archived.html", {"cohort": cohort}, status=400)
        messages.success(request, _("The class session of %(date)s is added.") % {"date": f"{session.date:%d/%m/%Y}"})
        return redirect("attendance:sessions", pk=cohort.pk)
    today = timezone.localdate()
    all_sessions = selectors.with_subjects(selectors.cohort_sessions(cohort), cohort)
    context = {
        "cohort": cohort, "form": form, "can_change": can_change,
        "upcoming": [s for s in all_sessions if s.date >= today],
        "past": [s for s in reversed(all_sessions) if s.date < today],
    }
    return render(request, "attendance/sessions.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def take(request, pk: int):
    session = _session(request, pk, change=request.method == "POST")
    can_change = _can_change(request, session.cohort)
    selectors.with_subjects([session], session.cohort)
    rows = selectors.sheet(session)
    status = 200
    if request.method == "POST":
        form = SheetForm(request.POST, members=[row.learner for row in rows])
        try:
            if not form.is_valid():
                raise services.SheetRefused(_("Choose present, late, excused or absent for each member."))
            services.save_sheet(session=session, statuses=form.statuses(), marked_by=request.user)
        except services.SheetRefused as refused:
            messages.error(request, str(refused))
            status = 400
            for row in rows:  # show what was sent, so nothing tapped is lost
                sent = request.POST.get(field_name(row.learner))
                row.status = sent if sent in Attendance.Status.values else row.status
        else:
            messages.success(request, _("Attendance is saved."))
            return redirect("attendance:take", pk=session.pk)
    context = {"session": session, "cohort": session.cohort, "rows": rows, "can_change": can_change,
               "choices": Attendance.Status.choices}
    return render(request, "attendance/take.html", context, status=status)


@never_cache
@login_required
@require_safe
def qr(request, pk: int):
    # The code lets people mark themselves present: only those who may change the session show it.
    session = _session(request, pk, change=True)
    selectors.with_subjects([session], session.cohort)
    at = tokens.now()
    url = request.build_absolute_uri(reverse("attendance:check_in", args=[tokens.make_token(session.pk, at=at)]))
    code = segno.make(url, error="m", micro=False)
    context = {
        "session": session, "cohort": session.cohort, "qr_svg": code.svg_inline(scale=6, border=4, svgclass="qr",
                                                                              lineclass=None, omitsize=True),
        "check_in_url": url, "refresh": tokens.seconds_to_next_window(at), "window": tokens.window_seconds(),
        "checked_in": selectors.checked_in_count(session), "members": len(selectors.members(session.cohort)),
    }
    return render(request, "attendance/qr.html", context)


@never_cache
@require_safe
def check_in(request, token: str):
    if not request.user.is_authenticated:
        # Remember a good scan: logging in can take longer than the code lives.
        if tokens.read_token(token).fresh:
            scans = {**request.session.get(SCANS, {}), token: tokens.now()}
            request.session[SCANS] = dict(list(scans.items())[-5:])  # the last few, not every code ever scanned
        return redirect_to_login(request.get_full_path())
    scanned_at = request.session.get(SCANS, {}).get(token)
    try:
        done = services.check_in(token=token, learner=request.user, scanned_at=scanned_at)
    except services.CheckInRefused as refused:
        return render(request, "attendance/check_in_refused.html", {"message": refused.message},
                      status=refused.status)
    if scanned_at is not None:
        request.session[SCANS] = {key: value for key, value in request.session[SCANS].items() if key != token}
    selectors.with_subjects([done.session], done.session.cohort)
    return render(request, "attendance/check_in.html", {"done": done, "session": done.session})


@login_required
@require_safe
def report(request, pk: int):
    cohort = _cohort(request, pk)
    context = {"cohort": cohort, "report": selectors.report(cohort)}
    return render(request, "attendance/report.html", context)


def _export(request, pk: int, kind: str) -> HttpResponse:
    cohort = _cohort(request, pk)
    grid = selectors.grid(cohort)
    services.record_export(cohort=cohort, actor=request.user, kind=kind, members=len(grid.report.rows),
                           sessions=len(grid.sessions))
    filename = f"diem-danh-lop-{cohort.pk}-{timezone.localdate():%Y%m%d}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(exports.xlsx(grid),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(exports.csv_text(grid).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def report_xlsx(request, pk: int):
    return _export(request, pk, "xlsx")


@login_required
@require_safe
def report_csv(request, pk: int):
    return _export(request, pk, "csv")
