"""Pages of the registration app: a resident registered on the spot, login cards printed and used."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.scoping import managed, visible
from cms.ratelimits import consume, forgive
from cohorts.models import Cohort
from cohorts.services import add_member

from . import selectors, services
from .access import CARD, SESSION_KEY
from .forms import CardLoginForm, CohortCardsForm, RegisterResidentForm


def _trainer(request) -> None:
    if not selectors.can_register(request.user):
        raise PermissionDenied(_("Only the trainers of a commune can register its residents."))


def _learner(request, pk: int) -> User:
    # Someone the viewer may not register or issue a card for does not exist for them (404, not 403).
    return get_object_or_404(selectors.registrable_learners(request.user).select_related("commune"), pk=pk)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # the card's secret is in it
    return response


def _done_url(learner: User, cohort: Cohort | None, **more) -> str:
    query = {"cohort": cohort.pk} if cohort else {}
    query.update(more)
    url = reverse("registration:registered", args=[learner.pk])
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    _trainer(request)
    initial = {key: request.GET[key] for key in ("commune", "cohort") if request.GET.get(key)}
    form = RegisterResidentForm(request.POST or None, initial=initial, viewer=request.user)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        taken = services.find_by_phone(data["phone"])
        duplicates = [] if taken or data["confirm_new"] else services.possible_duplicates(
            full_name=data["full_name"], year_of_birth=data["year_of_birth"], commune=data["commune"])
        if not taken and not duplicates:
            try:
                learner = services.register_resident(registered_by=request.user, **form.service_arguments())
            except IntegrityError:  # the same number registered a moment ago, by someone else
                taken = services.find_by_phone(data["phone"])
            else:
                return redirect(_done_url(learner, data["cohort"]))
        if taken:
            form.add_error("phone", _("This number is registered already."))
            context["phone_taken"] = True
            # Who it is, only to a viewer who may see them anyway (their commune's trainer).
            context["taken"] = visible(User, request.user).select_related("commune").filter(pk=taken.pk).first()
            context["can_add"] = selectors.registrable_learners(request.user).filter(pk=taken.pk).exists()
        else:
            # Same name, year and one of the viewer's own communes: people they may see.
            context["duplicates"] = duplicates
        context["cohort"] = data["cohort"]
    status = 400 if form.errors or context.get("duplicates") else 200
    return render(request, "registration/register.html", context, status=status)


@login_required
@require_POST
def add_existing(request):
    """"Add this person instead": someone registered already joins the chosen cohort."""
    _trainer(request)
    learner = _learner(request, _int(request.POST.get("learner")))
    cohort = get_object_or_404(selectors.joinable_cohorts(request.user), pk=_int(request.POST.get("cohort")))
    _membership, created = add_member(cohort=cohort, learner=learner, added_by=request.user)
    if created:
        messages.success(request, _("%(name)s was added to the cohort “%(cohort)s”.")
                         % {"name": learner.full_name, "cohort": cohort.name})
    else:
        messages.info(request, _("%(name)s is a member of the cohort “%(cohort)s” already.")
                      % {"name": learner.full_name, "cohort": cohort.name})
    return redirect(_done_url(learner, cohort, added=1))


def _int(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


@login_required
def registered(request, pk: int):
    _trainer(request)
    learner = _learner(request, pk)
    cohort = selectors.joinable_cohorts(request.user).filter(pk=_int(request.GET.get("cohort"))).first()
    again = {"commune": learner.commune_id, **({"cohort": cohort.pk} if cohort else {})}
    context = {
        "learner": learner, "cohort": cohort, "added": request.GET.get("added") == "1",
        "card": selectors.current_card(learner), "guardian": getattr(learner, "guardian", None),
        "register_again": reverse("registration:register") + "?" + urlencode(again),
    }
    return render(request, "registration/registered.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def card(request, pk: int):
    learner = _learner(request, pk)
    if request.method == "POST":
        issued = services.issue_card(learner=learner, issued_by=request.user)
        return _pdf(services.cards_pdf([issued], sheet=False), "the-dang-nhap.pdf")
    return render(request, "registration/card.html", {"learner": learner, "card": selectors.current_card(learner)})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_cards(request, pk: int):
    cohort = get_object_or_404(managed(Cohort, request.user).select_related("commune"), pk=pk)
    form = CohortCardsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holders = selectors.cohort_card_holders(cohort=cohort, viewer=request.user,
                                                only_without_card=form.cleaned_data["who"] == "missing")
        if holders:
            issued = services.issue_cards(learners=holders, issued_by=request.user, cohort=cohort)
            return _pdf(services.cards_pdf(issued, sheet=True), "the-dang-nhap-lop.pdf")
        messages.info(request, _("Every member of this cohort has a card already; nothing was printed."))
        return redirect("registration:cohort_cards", pk=cohort.pk)
    members = selectors.cohort_card_holders(cohort=cohort, viewer=request.user, only_without_card=False)
    without = selectors.cohort_card_holders(cohort=cohort, viewer=request.user, only_without_card=True)
    context = {"cohort": cohort, "form": form, "members": len(members), "without": len(without)}
    return render(request, "registration/cohort_cards.html", context, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def card_login(request):
    """Sign in with the code of a login card (typed, or filled in from its QR code): learning only."""
    if request.method == "POST":
        form = CardLoginForm(request.POST)
        key = services.normalize_card_code(request.POST.get("code", ""))[:services.CARD_KEY_LENGTH]
        consume(request, action="login_card", key=key,
                message=_("Too many tries with this card or from this device."))
        if form.is_valid():
            learner = services.sign_in_card(form.cleaned_data["code"])
            if learner is not None:
                forgive(request, action="login_card", key=key)
                login(request, learner, backend="django.contrib.auth.backends.ModelBackend")
                request.session[SESSION_KEY] = CARD
                return redirect("my_learning")
            form.add_error("code", _("This code does not open any card. Check it letter by letter, or ask your "
                                     "trainer for a new card."))
    else:
        form = CardLoginForm(initial={"code": request.GET.get("code", "")[:40]})
    return render(request, "registration/card_login.html", {"form": form}, status=400 if form.errors else 200)
