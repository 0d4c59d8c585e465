"""Pages of the cohorts app: the trainer's home, a cohort's form, members and messages, and "My classes"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import managed, trained_communes, visible_communes
from cms.ratelimits import consume

from . import selectors, services
from .forms import CohortForm, MessageForm
from .models import Cohort


def _workspace(request) -> None:
    """The trainer's workspace is for trainers and provincial staff only."""
    if not selectors.is_trainer_or_staff(request.user):
        raise PermissionDenied(_("Only trainers and provincial staff can see cohorts."))


def _readable(request, pk: int) -> Cohort:
    cohort = selectors.readable_cohort(viewer=request.user, pk=pk)
    if cohort is None:
        raise Http404
    return cohort


def _managed(request, pk: int) -> Cohort:
    # Out of the viewer's hands (another commune, or staff who only read) a cohort simply does not exist: 404.
    return get_object_or_404(managed(Cohort, request.user).select_related("commune"), pk=pk)


def _page(request, cohort: Cohort, template: str, status: int = 200, **context):
    context = {"cohort": cohort, "can_manage": selectors.can_manage(viewer=request.user, cohort=cohort), **context}
    return render(request, f"cohorts/{template}", context, status=status)


@login_required
def home(request):
    _workspace(request)
    communes = visible_communes(request.user).order_by("name")
    commune_code = request.GET.get("commune") or None
    if commune_code and not communes.filter(pk=commune_code).exists():
        raise PermissionDenied(_("This commune is outside your area."))
    archived = request.GET.get("archived") == "1"
    cohorts = selectors.workspace_cohorts(viewer=request.user, archived=archived, commune_code=commune_code)
    context = {
        "cohorts": cohorts[:300], "archived": archived, "commune_code": commune_code,
        "communes": communes[:200],
        "can_create": trained_communes(request.user).exists(),
    }
    return render(request, "cohorts/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    _workspace(request)
    if not trained_communes(request.user).exists():
        raise PermissionDenied(_("Only the trainers of a commune can create its cohorts."))
    form = CohortForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        cohort = services.create_cohort(creator=request.user, **form.service_arguments())
        messages.success(request, _("The cohort “%(name)s” was created. Now add its members.") % {"name": cohort.name})
        return redirect("cohorts:members", pk=cohort.pk)
    status = 400 if form.errors else 200
    return render(request, "cohorts/cohort_form.html", {"form": form, "cohort": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    cohort = _managed(request, pk)
    form = CohortForm(request.POST or None, viewer=request.user, cohort=cohort)
    if request.method == "POST" and cohort.archived:
        return _page(request, cohort, "archived.html", status=400)
    if request.method == "POST" and form.is_valid():
        services.update_cohort(cohort=cohort, editor=request.user, **form.service_arguments())
        messages.success(request, _("The cohort was saved."))
        return redirect("cohorts:members", pk=cohort.pk)
    status = 400 if form.errors else 200
    return render(request, "cohorts/cohort_form.html", {"form": form, "cohort": cohort, "can_manage": True},
                  status=status)


@login_required
def members(request, pk: int):
    cohort = _readable(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    can_manage = selectors.can_manage(viewer=request.user, cohort=cohort)
    found = None
    if query and can_manage and not cohort.archived:
        found = selectors.search_residents(viewer=request.user, cohort=cohort, query=query)
    rows = [(m, selectors.masked_phone(m.learner.phone)) for m in selectors.members(cohort=cohort)]
    return render(request, "cohorts/members.html", {"cohort": cohort, "can_manage": can_manage, "rows": rows,
                                                    "query": query, "found": found})


@login_required
@require_POST
def add_member(request, pk: int):
    cohort = _managed(request, pk)
    learner_pk = request.POST.get("learner", "")
    if not learner_pk.isdigit():
        raise Http404
    learner = get_object_or_404(selectors.addable_residents(viewer=request.user), pk=int(learner_pk))
    try:
        _membership, created = services.join(cohort=cohort, learner=learner, added_by=request.user)
    except services.CohortArchived:
        return _page(request, cohort, "archived.html", status=400)
    if created:
        messages.success(request, _("%(name)s was added to the cohort.") % {"name": learner.full_name})
    else:
        messages.info(request, _("%(name)s is already a member.") % {"name": learner.full_name})
    return redirect("cohorts:members", pk=cohort.pk)


@login_required
@require_POST
def remove_member(request, pk: int, learner_pk: int):
    cohort = _managed(request, pk)
    membership = get_object_or_404(cohort.memberships.select_related("learner"), learner_id=learner_pk)
    try:
        services.remove_member(cohort=cohort, learner=membership.learner)
    except services.CohortArchived:
        return _page(request, cohort, "archived.html", status=400)
    messages.success(request, _("%(name)s was removed from the cohort.") % {"name": membership.learner.full_name})
    return redirect("cohorts:members", pk=cohort.pk)


@login_required
@require_POST
def archive(request, pk: int):
    cohort = _managed(request, pk)
    if cohort.archived:
        services.unarchive_cohort(cohort=cohort)
        messages.success(request, _("The cohort is active again."))
    else:
        services.archive_cohort(cohort=cohort)
        messages.success(request, _("The cohort was archived. You can find it under “Archived cohorts”."))
    return redirect("cohorts:home")


@login_required
@require_http_methods(["GET", "POST"])
def cohort_messages(request, pk: int):
    cohort = _managed(request, pk) if request.method == "POST" else _readable(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if cohort.archived:
            return _page(request, cohort, "archived.html", status=400)
        if form.is_valid():
            consume(request, action="cohort_message", key=f"cohort:{cohort.pk}",
                    message=_("Too many messages were sent in a short time: at most 5 an hour to one cohort, "
                              "and 15 an hour from one trainer."))
            services.send_message(cohort=cohort, text=form.cleaned_data["text"], sent_by=request.user)
            messages.success(request, _("The message is being sent to the members who agreed to receive SMS."))
            return redirect("cohorts:messages", pk=cohort.pk)
    status = 400 if form.errors else 200
    return _page(request, cohort, "messages.html", status=status, form=form,
                 sent=selectors.cohort_messages(cohort=cohort)[:50])


@login_required
def mine(request):
    return render(request, "cohorts/mine.html", {"items": selectors.my_cohorts(learner=request.user)})
